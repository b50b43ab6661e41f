"""The statement of account from the books' history: figures worked out by hand, a past statement re-run after
later changes, and (hypothesis) every statement balancing and periods chaining into each other."""

from datetime import date, timedelta
from decimal import Decimal

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from gendan.finance.selectors import ZERO
from gendan.finance.services import receipt_confirm, receipt_reverse
from gendan.finance.statements import statement_of
from gendan.finance.tests.factories import bank_account, record
from gendan.followup.tests.factories import at, confirmed_order

pytestmark = pytest.mark.django_db


@pytest.fixture
def order(salesperson, sales_manager, merchandiser):
    bank_account("USD")
    # 2 lines × 1,000 × 1.25 = USD 2,500: deposit 30 % = 750, balance 1,750
    return confirmed_order(salesperson=salesperson, manager=sales_manager, merchandiser=merchandiser,
                           confirm_on=date(2026, 2, 10), ex_factory=date(2026, 5, 20))


def received(by, customer, amount, on, *, reverse_on=None):
    with at(on):
        receipt = record(by=by, customer=customer, amount=amount, received_on=on)
        receipt_confirm(receipt=receipt, by=by, version=receipt.version)
    if reverse_on:
        receipt.refresh_from_db()
        with at(reverse_on):
            receipt_reverse(receipt=receipt, by=by, version=receipt.version, reason="cheque bounced")
    return receipt


def test_march_and_april_worked_by_hand_and_march_re_run_after_april(order, finance):
    customer = order.customer
    received(finance, customer, "750", date(2026, 3, 5))
    bounced = received(finance, customer, "1000", date(2026, 3, 20), reverse_on=date(2026, 4, 10))

    april = statement_of(customer, "USD", date(2026, 4, 1), date(2026, 4, 30))
    # opening 2,500 billed in February − 750 − 1,000 paid in March = 750; the bounce adds 1,000 back
    assert (april.opening, april.invoiced, april.received, april.closing) == (750, 1000, 0, 1750)
    assert [(e.day, e.reference, e.debit) for e in april.entries] == [(date(2026, 4, 10), bounced.number, 1000)]
    assert "cheque bounced" in april.entries[0].description

    # re-running March now gives what March said then: the bounce had not happened by 31 March
    march = statement_of(customer, "USD", date(2026, 3, 1), date(2026, 3, 31))
    assert (march.opening, march.invoiced, march.received, march.closing) == (2500, 0, 1750, 750)
    assert [e.balance for e in march.entries] == [1750, 750]

    february = statement_of(customer, "USD", date(2026, 2, 1), date(2026, 2, 28))
    assert (february.opening, february.invoiced, february.closing) == (0, 2500, 2500)
    assert sorted(e.debit for e in february.entries) == [750, 1750]
    assert all(order.number in e.description for e in february.entries)


def test_a_receipt_confirmed_after_the_closing_day_is_not_in_that_statement(order, finance):
    with at(date(2026, 3, 31)):
        receipt = record(by=finance, customer=order.customer, amount="750", received_on=date(2026, 3, 30))
    with at(date(2026, 4, 2)):
        receipt_confirm(receipt=receipt, by=finance, version=receipt.version)
    assert statement_of(order.customer, "USD", date(2026, 3, 1), date(2026, 3, 31)).received == 0
    # known now: it belongs to the day the money arrived
    assert statement_of(order.customer, "USD", date(2026, 3, 1), date(2026, 4, 30)).received == 750


@settings(max_examples=12, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(payments=st.lists(st.tuples(st.integers(1, 900), st.integers(0, 80), st.one_of(st.none(), st.integers(1, 30))),
                         min_size=0, max_size=5),
       split=st.integers(0, 120))
def test_every_statement_balances_and_periods_chain(order, finance, payments, split):
    """opening + invoiced − received = closing; March's closing is April's opening, whatever the cut; and the
    closing balance today is what was billed less what was confirmed and is still confirmed."""
    from gendan.finance.models import Receipt

    customer = order.customer
    start = date(2026, 2, 11)
    for amount, day, reverse_after in payments:
        on = start + timedelta(days=day)
        received(finance, customer, str(amount), on, reverse_on=on + timedelta(days=reverse_after) if reverse_after
                 else None)
    cut = start + timedelta(days=split)
    end = start + timedelta(days=200)
    first = statement_of(customer, "USD", date(2026, 1, 1), cut)
    second = statement_of(customer, "USD", cut + timedelta(days=1), end)
    for statement in (first, second):
        assert statement.opening + statement.invoiced - statement.received == statement.closing
        running = statement.opening
        for entry in statement.entries:
            running += entry.debit - entry.credit
            assert entry.balance == running
    assert first.closing == second.opening
    still_counted = sum((r.amount for r in Receipt.objects.filter(customer=customer, status="confirmed")), ZERO)
    assert second.closing == Decimal(2500) - still_counted
