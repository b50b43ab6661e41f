from django.utils.functional import SimpleLazyObject

from gendan.followup.models import Notification

UNREAD_CAP = 99  # the bell says "99+" rather than counting a backlog of thousands on every page


def _unread(user) -> str:
    unread = Notification.objects.filter(user=user, read_at__isnull=True)[:UNREAD_CAP + 1].count()
    return f"{UNREAD_CAP}+" if unread > UNREAD_CAP else str(unread or "")


def notifications(request) -> dict:
    """The unread count on the bell in the header, counted only where a page shows it (not in htmx partials)."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    return {"unread_notifications": SimpleLazyObject(lambda: _unread(user))}  # counted once, when first shown
