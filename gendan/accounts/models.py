from django.conf import settings
from django.contrib.auth.models import AbstractUser
from django.db import models
from django.db.models import F, Value
from django.db.models.functions import Coalesce, Concat, NullIf, Trim
from django.utils.translation import gettext_lazy as _

from gendan.accounts.roles import Role


class User(AbstractUser):
    """A person of the company. Departments are roles (Django groups); a user may hold several."""

    full_name = models.CharField(_("full name"), max_length=100, blank=True)
    phone = models.CharField(_("phone"), max_length=40, blank=True)
    # The language of this person's pages, morning digest and notifications; empty: the company's default.
    language = models.CharField(_("language"), max_length=10, choices=settings.LANGUAGES, blank=True,
                                help_text=_("Empty: the company's default language."))

    class Meta:
        verbose_name = _("user")
        verbose_name_plural = _("users")
        ordering = ["username"]

    def __str__(self) -> str:
        return self.full_name or self.get_full_name() or self.username  # display_name() below says it in SQL

    def role_codes(self) -> list[str]:
        if not hasattr(self, "_role_codes"):
            names = {r.value for r in Role}
            self._role_codes = [g.name for g in self.groups.all() if g.name in names]
        return self._role_codes

    def has_role(self, *roles: str) -> bool:
        return any(r in self.role_codes() for r in roles)

    @property
    def role_labels(self) -> list[str]:
        return [str(Role(code).label) for code in self.role_codes()]


def display_name(user: str):
    """What User.__str__ says, in SQL, for the user at the path `user` (e.g. "owner", "order__salesperson"):
    the full name, else first and last name, else the login."""
    blank = Value("")
    return Coalesce(
        NullIf(F(f"{user}__full_name"), blank),
        NullIf(Trim(Concat(F(f"{user}__first_name"), Value(" "), F(f"{user}__last_name"))), blank),
        F(f"{user}__username"),
    )
