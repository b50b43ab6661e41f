"""Receivables as of any date, each schedule line aged by its own due date, in buckets that add up."""

from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from gendan.finance.choices import ScheduleKind
from gendan.finance.models import ScheduleLine
from gendan.finance.selectors import BUCKETS, aging_by_customer, bucket_of, receivables
from gendan.finance.services import receipt_allocate, receipt_confirm
from gendan.finance.tests.factories import record
from gendan.followup.tests.factories import confirmed_order

pytestmark = pytest.mark.django_db


@pytest.fixture
def order(salesperson, sales_manager, merchandiser):
    """Confirmed 2026-09-28: deposit USD 750.00 due 10-05, balance USD 1,750.00 due after the B/L."""
    return confirmed_order(salesperson=salesperson, manager=sales_manager, merchandiser=merchandiser)


def aged(as_of) -> dict:
    return {line.kind: (line.outstanding, line.bucket) for line in receivables(as_of)}


@pytest.mark.parametrize(("as_of", "bucket"), [
    (date(2026, 10, 5), "not_due"), (date(2026, 10, 6), "1_30"), (date(2026, 11, 4), "1_30"),
    (date(2026, 11, 5), "31_60"), (date(2026, 12, 10), "61_90"), (date(2027, 1, 4), "over_90"),
])
def test_the_deposit_ages_by_its_own_due_date_and_the_balance_waits_for_the_bl(order, as_of, bucket):
    assert aged(as_of) == {ScheduleKind.DEPOSIT: (Decimal(750), bucket),
                           ScheduleKind.BALANCE: (Decimal(1750), "not_due")}


def test_as_of_a_past_date_counts_what_had_arrived_by_then(order, finance):
    deposit = ScheduleLine.objects.get(order=order, kind=ScheduleKind.DEPOSIT)
    receipt = record(by=finance, customer=order.customer, amount="500", received_on=date(2026, 10, 10))
    receipt_allocate(receipt=receipt, by=finance, version=receipt.version, allocations=[(deposit, Decimal(500))])
    receipt_confirm(receipt=receipt, by=finance, version=receipt.version)
    assert aged(date(2026, 10, 9))[ScheduleKind.DEPOSIT] == (Decimal(750), "1_30")
    assert aged(date(2026, 10, 10))[ScheduleKind.DEPOSIT] == (Decimal(250), "1_30")
    assert aged(date(2026, 9, 27)) == {}  # the order was confirmed the next day


def test_per_customer_the_buckets_add_up_to_the_total(order):
    [row] = aging_by_customer(date(2026, 10, 20))
    assert (row["customer"], row["currency"], row["1_30"], row["not_due"], row["total"]) == (
        order.customer, "USD", Decimal(750), Decimal(1750), Decimal(2500))


@pytest.mark.parametrize(("late", "bucket"), [(0, "not_due"), (1, "1_30"), (30, "1_30"), (31, "31_60"),
                                               (60, "31_60"), (61, "61_90"), (90, "61_90"), (91, "over_90")])
def test_bucket_edges(late, bucket):
    assert bucket_of(date(2026, 1, 1), date(2026, 1, 1) + timedelta(days=late)) == bucket


@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(paid=st.lists(st.tuples(st.integers(0, 1), st.decimals(min_value=Decimal("0.01"), max_value=Decimal(900),
                                                             places=2), st.integers(0, 120)), max_size=4),
       as_of=st.integers(-5, 200))
def test_buckets_always_add_up_to_the_outstanding(order, finance, paid, as_of):
    from django.db import transaction

    lines = list(ScheduleLine.objects.filter(order=order).order_by("kind"))
    day = date(2026, 9, 28) + timedelta(days=as_of)
    with transaction.atomic():
        savepoint = transaction.savepoint()
        for which, amount, offset in paid:
            line = lines[which]
            receipt = record(by=finance, customer=order.customer, amount=str(amount),
                             received_on=min(date(2026, 9, 28) + timedelta(days=offset), date(2026, 11, 30)))
            try:
                receipt_allocate(receipt=receipt, by=finance, version=receipt.version, allocations=[(line, amount)])
            except ValidationError:  # more than is open: refused, as tested elsewhere
                continue
            receipt.refresh_from_db()
            receipt_confirm(receipt=receipt, by=finance, version=receipt.version)
        rows = receivables(day)
        for row in aging_by_customer(day):
            assert sum(row[b] for b in BUCKETS) == row["total"]
        assert sum((r["total"] for r in aging_by_customer(day)), Decimal(0)) == sum(
            (line.outstanding for line in rows), Decimal(0))
        assert all(line.outstanding > 0 for line in rows)
        transaction.savepoint_rollback(savepoint)
