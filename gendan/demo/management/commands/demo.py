"""`gendan demo`: load the demo company once, then print the logins for every role."""

import time

from django.core.management.base import BaseCommand

from gendan.demo import data
from gendan.demo.company import build_demo, database_has_other_data, demo_exists, demo_logins


class Command(BaseCommand):
    help = "Create the demo company (users for every role, customers, products, a year of orders) once."

    def handle(self, *args, **options):
        if demo_exists():
            self.stdout.write("The demo company is already loaded; nothing was changed.")
        elif database_has_other_data():
            self.stdout.write(self.style.WARNING(
                "This database already holds customers, orders or users with the demo usernames; "
                "the demo company is loaded only into an empty database. Nothing was changed."
            ))
            return
        else:
            self.stdout.write(f"Creating the demo company {data.COMPANY_NAME_ZH} ({data.COMPANY_NAME_EN}) …")
            started = time.monotonic()
            made = build_demo(log=self.stdout.write)
            summary = ", ".join(f"{count} {kind.replace('_', ' ')}" for kind, count in made.items())
            self.stdout.write(self.style.SUCCESS(f"Done in {time.monotonic() - started:.1f} s: {summary}."))
        self.print_logins()

    def print_logins(self) -> None:
        logins = demo_logins()
        width = max(len(login.username) for login in logins) + 2
        roles_width = max(len(", ".join(login.roles)) for login in logins) + 2
        self.stdout.write("")
        self.stdout.write(f"Demo logins (password for all: {data.PASSWORD})")
        self.stdout.write(f"  {'username':<{width}}{'password':<14}{'roles':<{roles_width}}name")
        for login in logins:
            roles = ", ".join(login.roles)
            self.stdout.write(f"  {login.username:<{width}}{login.password:<14}{roles:<{roles_width}}{login.full_name}")
