"""Gap-free document numbers shared by every document type.

The row lock taken by the UPDATE (PostgreSQL) or the write lock taken at BEGIN IMMEDIATE
(SQLite) queues concurrent savers; each sees the value the previous one committed.
"""

from datetime import date

from django.db import transaction
from django.db.models import F

from gendan.core.models import NumberSeries

WIDTH = 5


def next_number(prefix: str, *, on: date) -> str:
    if not transaction.get_connection().in_atomic_block:
        raise RuntimeError("next_number() must run inside the transaction that saves the document")
    series = NumberSeries.objects.filter(prefix=prefix, year=on.year)
    if not series.update(last_value=F("last_value") + 1):
        NumberSeries.objects.bulk_create(
            [NumberSeries(prefix=prefix, year=on.year, last_value=0)], ignore_conflicts=True
        )
        series.update(last_value=F("last_value") + 1)
    value = series.values_list("last_value", flat=True).get()
    return f"{prefix}-{on.year}-{value:0{WIDTH}d}"
