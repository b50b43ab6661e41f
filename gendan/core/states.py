"""One helper moves every stateful record (orders now; production orders and shipments later).

It refuses moves that are not in the model's table, naming both states, and updates only while
the old state still holds, so of two people pressing at once exactly one wins, on SQLite too.
"""

from django.db.models import F
from django.utils import timezone

from gendan.core.errors import ConcurrentChange, InvalidTransition


def allowed_moves(obj, field: str = "status") -> set:
    return set(type(obj).status_moves.get(getattr(obj, field), ()))


def transition(obj, *, to, field: str = "status", extra: dict | None = None) -> str:
    """Move `obj` to state `to`; returns the old state. Callers record the event."""
    old = getattr(obj, field)
    if to not in type(obj).status_moves.get(old, ()):
        raise InvalidTransition(obj, old, to)
    values = {field: to, "updated_at": timezone.now(), **(extra or {})}
    if hasattr(obj, "version"):
        values["version"] = F("version") + 1
    won = type(obj).objects.filter(pk=obj.pk, **{field: old}).update(**values)
    if not won:
        raise ConcurrentChange(obj)
    for name, value in values.items():
        if name != "version":
            setattr(obj, name, value)
    if hasattr(obj, "version"):
        obj.version += 1
    return old
