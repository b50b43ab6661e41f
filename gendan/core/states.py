"""One helper moves every stateful record: orders, plans and milestones now; production orders and
shipments later. Each model names its table of allowed moves (`status_moves`, beside its choices).

It refuses moves that are not in the table, naming both states, and updates only while the old state
(and, when the caller sends it, the version the caller was shown) still holds, so of two people pressing
at once exactly one wins, on SQLite too.
"""

from django.db.models import F
from django.utils import timezone

from gendan.core.bulk import insert_history
from gendan.core.errors import ConcurrentChange, InvalidTransition


def allowed_moves(obj, field: str = "status") -> set:
    return set(type(obj).status_moves.get(getattr(obj, field), ()))


def transition(obj, *, to, field: str = "status", extra: dict | None = None, version: int | None = None,
               by=None, reason: str = "") -> str:
    """Move `obj` to state `to`; returns the old state.

    With `by`, the record's history row is written here. Callers that save more of the record afterwards
    (a file, say) leave `by` out and their save writes the history row; orders record an event instead."""
    old = getattr(obj, field)
    if to not in type(obj).status_moves.get(old, ()):
        raise InvalidTransition(obj, old, to, field)
    values = {field: to, "updated_at": timezone.now(), **(extra or {})}
    guard = {field: old}
    if hasattr(obj, "version"):
        values["version"] = F("version") + 1
        if version is not None:
            guard["version"] = version
    won = type(obj).objects.filter(pk=obj.pk, **guard).update(**values)
    if not won:
        raise ConcurrentChange(obj)
    for name, value in values.items():
        if name != "version":
            setattr(obj, name, value)
    if hasattr(obj, "version"):
        obj.version += 1
    if by is not None and hasattr(type(obj), "history"):
        insert_history(type(obj), [obj], by=by, reason=reason, kind="~", now=values["updated_at"])
    return old
