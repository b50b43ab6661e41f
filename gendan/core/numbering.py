"""Gap-free document numbers shared by every document type.

The row lock taken by the UPDATE (PostgreSQL) or the write lock taken at BEGIN IMMEDIATE
(SQLite) queues concurrent savers; each sees the value the previous one committed.
"""

from datetime import date

from django.db import connection, transaction

from gendan.core.models import NumberSeries

WIDTH = 5


def next_number(prefix: str, *, on: date) -> str:
    if not transaction.get_connection().in_atomic_block:
        raise RuntimeError("next_number() must run inside the transaction that saves the document")
    value = _take(prefix, on.year)
    if value is None:
        NumberSeries.objects.bulk_create(
            [NumberSeries(prefix=prefix, year=on.year, last_value=0)], ignore_conflicts=True
        )
        value = _take(prefix, on.year)
    return f"{prefix}-{on.year}-{value:0{WIDTH}d}"


def _take(prefix: str, year: int) -> int | None:
    """Increment and read in one statement (SQLite ≥ 3.35 and PostgreSQL both have RETURNING)."""
    table = NumberSeries._meta.db_table
    with connection.cursor() as cursor:
        cursor.execute(
            f"UPDATE {table} SET last_value = last_value + 1 WHERE prefix = %s AND year = %s RETURNING last_value",
            [prefix, year],
        )
        row = cursor.fetchone()
    return row[0] if row else None
