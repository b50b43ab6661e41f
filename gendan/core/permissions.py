from django.core.exceptions import PermissionDenied
from django.utils.translation import gettext as _


def require_perm(user, perm: str) -> None:
    if not user.has_perm(perm):
        raise PermissionDenied(_("You do not have permission to do this."))
