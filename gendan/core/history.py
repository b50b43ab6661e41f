"""Reading the change history that django-simple-history keeps for every business record."""

from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from functools import cache

from django.utils import timezone
from django.utils.translation import gettext as _
from simple_history.manager import HistoryManager
from simple_history.models import HistoricalRecords


@dataclass
class HistoryEntry:
    when: datetime
    who: object
    kind: str  # "+" created, "~" changed, "-" deleted
    changes: list[tuple[str, str, str]]  # (field label, old, new), as a person reads them
    subject: str = ""  # what changed, when it is not the record itself (e.g. "Line 2")


def history_of(obj, limit: int = 50) -> list[HistoryEntry]:
    """The record's changes, newest first: who, when, and each field's old and new value as shown."""
    rows = obj.history.select_related("history_user").order_by("-history_date", "-history_id")[: limit + 1]
    return entries_of(list(rows), type(obj))[:limit]


def entries_of(rows: list, model, subject=lambda row: "") -> list[HistoryEntry]:
    """History rows (of one or several records of `model`, newest first) as entries: each row compared with
    the same record's row before it; a change that touched no field shown is left out."""
    previous = {}
    for row in reversed(rows):  # oldest first, so each row finds the one before it
        previous[row.history_id] = previous.get(("last", row.id))
        previous[("last", row.id)] = row
    entries = []
    for row in rows:
        older = previous[row.history_id]
        changes = [] if older is None else [
            (str(model._meta.get_field(c.field).verbose_name), *(shown(model, c.field, v) for v in (c.old, c.new)))
            for c in row.diff_against(older).changes if c.field not in BOOKKEEPING]
        if older is not None and row.history_type == "~" and not changes:
            continue
        entries.append(HistoryEntry(row.history_date, row.history_user, row.history_type, changes, subject(row)))
    return entries


BOOKKEEPING = {"version", "updated_at"}  # kept for concurrency, not news to a reader


def shown(model, name: str, value) -> str:
    """A stored value as a person reads it: a choice's label, yes/no, the related record, grouped digits."""
    field = model._meta.get_field(name)
    if value is None or value == "":
        return ""
    if field.choices:
        return str(dict(field.flatchoices).get(value, value))
    if isinstance(value, bool):
        return str(_("Yes") if value else _("No"))
    if field.is_relation:
        related = field.related_model._default_manager.filter(pk=value).first()
        return str(related) if related is not None else f"#{value}"
    if isinstance(value, Decimal):
        return f"{value:,}"
    if isinstance(value, datetime):
        return timezone.localtime(value).strftime("%Y-%m-%d %H:%M")
    if isinstance(value, date):
        return value.isoformat()
    return str(value)


class CachedHistoryManager(HistoryManager):
    """simple-history builds a new manager class (Manager.from_queryset, which walks the queryset with
    `inspect`) on every `.history` access — about a millisecond each, twice per saved order. Build it once."""

    @classmethod
    @cache
    def from_queryset(cls, queryset_class, class_name=None):
        return super().from_queryset(queryset_class, class_name)


class BusinessHistory(HistoricalRecords):
    """History is mostly read one record at a time, so its table is indexed by the record's id (and by
    simple-history's own date and user); copies of the record's other indexes would just make every write
    dearer. `indexed` names the fields a reader looks history up by (a statement reads a customer's receipts'
    history as it stood on a day)."""

    def __init__(self, *args, indexed: tuple[str, ...] = (), **kwargs):
        super().__init__(*args, **kwargs)
        self.indexed = set(indexed)

    def copy_fields(self, model):
        fields = super().copy_fields(model)
        for name, field in fields.items():
            if name != model._meta.pk.name and name not in self.indexed:
                field.db_index = False
        return fields


def business_history(**options) -> HistoricalRecords:
    """The change history every business record keeps (who, when, old → new)."""
    return BusinessHistory(history_manager=CachedHistoryManager, **options)
