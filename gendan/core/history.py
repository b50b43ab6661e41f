"""Reading the change history that django-simple-history keeps for every business record."""

from dataclasses import dataclass
from datetime import datetime


@dataclass
class HistoryEntry:
    when: datetime
    who: object
    kind: str  # "+" created, "~" changed, "-" deleted
    changes: list[tuple[str, object, object]]  # (field label, old, new)


def history_of(obj, limit: int = 50) -> list[HistoryEntry]:
    records = list(obj.history.select_related("history_user").order_by("-history_date", "-history_id")[: limit + 1])
    entries = []
    for newer, older in zip(records, records[1:] + [None], strict=False):
        if len(entries) == limit:
            break
        changes = []
        if older is not None:
            delta = newer.diff_against(older)
            for change in delta.changes:
                field = obj._meta.get_field(change.field)
                changes.append((str(field.verbose_name), change.old, change.new))
        if older is not None and not changes:
            continue
        entries.append(HistoryEntry(newer.history_date, newer.history_user, newer.history_type, changes))
    return entries
