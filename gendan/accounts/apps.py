from django.apps import AppConfig
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


class AccountsConfig(AppConfig):
    name = "gendan.accounts"
    label = "accounts"
    verbose_name = _("Accounts")

    def ready(self):
        from gendan.accounts.roles import sync_roles

        # Every app's permissions must exist first, so this runs after each app's migrations.
        post_migrate.connect(lambda **kwargs: sync_roles(), weak=False, dispatch_uid="gendan_sync_roles")
