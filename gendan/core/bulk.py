"""Inserting many new rows, with their history, in one statement each; updating many rows at once.

What `bulk_create_with_history` does, less Django's per-value SQL compilation (about 3 µs a value):
confirming an order writes a plan of some 25 milestones and their 25 history rows, 30 columns each,
and that compilation alone cost more than everything else the confirmation does.
"""

from __future__ import annotations

from functools import cache

from django.db import connection, models
from django.utils import timezone

MAX_PARAMETERS = 30_000  # per statement: SQLite takes at most 32,766
ARRAY_ROWS = 10_000  # rows per PostgreSQL statement that passes one array per column
FEW_ROWS = 10  # up to this many, a plain VALUES list: the driver writes a few values faster than a few arrays


def insert_with_history(objs: list[models.Model], *, by, reason: str = "") -> list[models.Model]:
    """Insert new records of one model and their "created" history rows; sets each record's pk."""
    if not objs:
        return objs
    model = type(objs[0])
    now = timezone.now()
    for obj in objs:
        obj._prepare_related_fields_for_save(operation_name="insert_with_history")  # parent saved after assigning
        for field in _auto_now_fields(model):
            setattr(obj, field.attname, now)
    fields = _columns(model)
    ids = insert_values(model, fields, [[getattr(obj, f.attname) for f in fields] for obj in objs])
    for obj, pk in zip(objs, ids, strict=True):
        obj.pk = pk
        obj._state.adding, obj._state.db = False, connection.alias
    insert_history(model, objs, by=by, reason=reason, kind="+", now=now)
    return objs


def update_with_history(records: models.QuerySet, *, by, reason: str = "", **values) -> int:
    """What `records.update(**values)` does, plus what it skips: each row's `version` and `updated_at` move on
    and each row gets its history row ("changed", with `by` and `reason`). One SELECT, one UPDATE, one INSERT;
    the rows are locked while read (callers are inside a transaction). Returns how many rows changed."""
    model = records.model
    objs = [obj for obj in records.select_for_update()
            if any(getattr(obj, name) != value for name, value in values.items())]
    if not objs:
        return 0
    now = timezone.now()
    names = [*values, *[f.name for f in _auto_now_fields(model) if getattr(f, "auto_now", False)]]
    for obj in objs:
        for name, value in values.items():
            setattr(obj, name, value)
        for field in _auto_now_fields(model):
            if field.auto_now:
                setattr(obj, field.attname, now)
        if hasattr(obj, "version"):
            obj.version += 1
    if hasattr(model, "version"):
        names.append("version")
    update_values(model, objs, names)
    insert_history(model, objs, by=by, reason=reason, kind="~", now=now)
    return len(objs)


def insert_history(model, objs: list[models.Model], *, by, reason: str, kind: str, now) -> None:
    """The history rows of `objs` as they are now, in one INSERT."""
    history = model.history.model
    tracked, history_fields = _history_columns(history)
    by_id = getattr(by, "pk", by)
    insert_values(history, history_fields, [
        [getattr(obj, name) for name in tracked] + [now, reason[:100], kind, by_id] for obj in objs
    ])


def insert_values(model, fields: list[models.Field], rows: list[list], *, ignore_conflicts: bool = False
                  ) -> list[int]:
    """INSERT rows (values in the order of `fields`) and return their new primary keys, in order. With
    ignore_conflicts, rows that would break a unique constraint are skipped, and only the others' keys return."""
    head, arrays, placeholder, tail = _insert_sql(model, tuple(fields), ignore_conflicts, connection.vendor)
    adapt = [_adapter(field, connection.vendor) for field in fields]
    ids: list[int] = []
    size = max(1, MAX_PARAMETERS // len(fields))
    with connection.cursor() as cursor:
        for start in range(0, len(rows), size):
            chunk = [[a(value) if a else value for a, value in zip(adapt, row, strict=True)]
                     for row in rows[start:start + size]]
            if arrays and len(chunk) > FEW_ROWS:
                cursor.execute(f"{head} {arrays} {tail}", [list(column) for column in zip(*chunk, strict=True)])
            else:
                cursor.execute(f"{head} VALUES {', '.join([placeholder] * len(chunk))} {tail}",
                               [value for row in chunk for value in row])
            ids += [row[0] for row in cursor.fetchall()]
    return ids


@cache
def _insert_sql(model, fields: tuple[models.Field, ...], ignore_conflicts: bool, vendor: str) -> tuple[str, ...]:
    """The parts of `insert_values`'s statement, built once per model and columns: "INSERT INTO t (columns)", the
    source of many rows on PostgreSQL (one array per column: a short statement, where a placeholder per value has
    the driver parse tens of thousands of them, as Django's own bulk_create does there since 5.2), the VALUES
    placeholder of one row, and the RETURNING tail."""
    quote = connection.ops.quote_name
    head = f"INSERT INTO {quote(model._meta.db_table)} ({', '.join(quote(f.column) for f in fields)})"
    arrays = ("SELECT * FROM unnest(" + ", ".join(f"%s::{f.db_type(connection)}[]" for f in fields) + ")"
              if vendor == "postgresql" else "")
    tail = f"{'ON CONFLICT DO NOTHING ' if ignore_conflicts else ''}RETURNING {quote(model._meta.pk.column)}"
    return head, arrays, "(" + ", ".join(["%s"] * len(fields)) + ")", tail


def update_values(model, rows, fields: list[str]) -> None:
    """Write `fields` of many rows (anything with those attributes and a pk) at once. Django's bulk_update
    builds a CASE per field and row, which cost more than the morning re-projection's scheduling itself.
    PostgreSQL takes one UPDATE … FROM unnest(one array per column), SQLite an executemany."""
    if not rows:
        return
    columns = [model._meta.get_field(name) for name in fields]
    adapt = [(c.attname, _adapter(c, connection.vendor)) for c in columns]
    table, quote = model._meta.db_table, connection.ops.quote_name
    values = [[a(getattr(row, name)) if a else getattr(row, name) for name, a in adapt] + [row.pk] for row in rows]
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            names = [quote(c.column) for c in columns]
            arrays = ", ".join(f"%s::{c.db_type(connection)}[]" for c in columns)
            for start in range(0, len(values), ARRAY_ROWS):
                cursor.execute(
                    f"UPDATE {quote(table)} AS t SET {', '.join(f'{n} = v.{n}' for n in names)} "
                    f"FROM unnest({arrays}, %s::bigint[]) AS v({', '.join(names)}, id) WHERE t.id = v.id",
                    [list(column) for column in zip(*values[start:start + ARRAY_ROWS], strict=True)],
                )
        else:
            assignments = ", ".join(f"{quote(c.column)} = %s" for c in columns)
            cursor.executemany(f"UPDATE {quote(table)} SET {assignments} WHERE id = %s", values)


@cache
def _history_columns(history) -> tuple[list[str], list[models.Field]]:
    """The record's attributes a history row copies, and the history row's fields to insert."""
    tracked = [f.attname for f in history.tracked_fields]
    return tracked, [history._meta.get_field(name) for name in tracked] + [
        history._meta.get_field(name)
        for name in ("history_date", "history_change_reason", "history_type", "history_user")]


@cache
def _columns(model) -> list[models.Field]:
    return [f for f in model._meta.concrete_fields if not f.primary_key]


@cache
def _auto_now_fields(model) -> list[models.Field]:
    return [f for f in _columns(model) if getattr(f, "auto_now", False) or getattr(f, "auto_now_add", False)]


_PLAIN = {"IntegerField", "PositiveIntegerField", "PositiveSmallIntegerField", "SmallIntegerField",
          "BigIntegerField", "BooleanField", "ForeignKey", "OneToOneField", "AutoField", "BigAutoField"}
_TEXT = {"CharField", "TextField", "SlugField", "EmailField"}


@cache
def _adapter(field: models.Field, vendor: str):
    """How a Python value becomes a database parameter for this field; None when it goes as it is."""
    kind = field.get_internal_type()
    ops = connection.ops
    if kind in _PLAIN:
        return None
    if kind in _TEXT:  # choices are str enums; drivers may send an enum by its name, so send the value
        return lambda value: value if value is None or type(value) is str else str(value)
    if kind == "DateField":
        return ops.adapt_datefield_value
    if kind == "DateTimeField":
        return ops.adapt_datetimefield_value
    if kind == "DecimalField":
        return lambda value: ops.adapt_decimalfield_value(value, field.max_digits, field.decimal_places)
    return lambda value: field.get_db_prep_save(value, connection)
