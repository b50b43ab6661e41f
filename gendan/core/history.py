"""Reading the change history that django-simple-history keeps for every business record."""

from dataclasses import dataclass
from datetime import datetime
from functools import cache

from simple_history.manager import HistoryManager
from simple_history.models import HistoricalRecords


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


class CachedHistoryManager(HistoryManager):
    """simple-history builds a new manager class (Manager.from_queryset, which walks the queryset with
    `inspect`) on every `.history` access — about a millisecond each, twice per saved order. Build it once."""

    @classmethod
    @cache
    def from_queryset(cls, queryset_class, class_name=None):
        return super().from_queryset(queryset_class, class_name)


class BusinessHistory(HistoricalRecords):
    """History is read one record at a time, so its table is indexed by the record's id (and by simple-history's
    own date and user) only; copies of the record's other indexes would just make every write dearer."""

    def copy_fields(self, model):
        fields = super().copy_fields(model)
        for name, field in fields.items():
            if name != model._meta.pk.name:
                field.db_index = False
        return fields


def business_history(**options) -> HistoricalRecords:
    """The change history every business record keeps (who, when, old → new)."""
    return BusinessHistory(history_manager=CachedHistoryManager, **options)
