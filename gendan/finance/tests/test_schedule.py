"""An order's payment terms make its schedule when it is confirmed, and a revision keeps it in step."""

from datetime import date
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from gendan.finance.choices import DueAfter, ScheduleKind
from gendan.finance.models import ScheduleLine
from gendan.finance.selectors import schedule_of
from gendan.finance.services import receipt_allocate, receipt_confirm
from gendan.finance.tests.factories import record
from gendan.followup.tests.factories import at, confirmed_order
from gendan.parties.choices import BalanceCondition
from gendan.sales.models import SalesOrderLine
from gendan.sales.services import order_line_update

pytestmark = pytest.mark.django_db
CONFIRMED = date(2026, 9, 28)  # confirmed_order's day; its two lines come to 2,500.00


def order_on(terms, people, **header):
    salesperson, manager, merchandiser = people
    deposit, condition, days = terms
    return confirmed_order(salesperson=salesperson, manager=manager, merchandiser=merchandiser,
                           deposit_percent=deposit, balance_condition=condition, balance_days=days, **header)


@pytest.fixture
def people(salesperson, sales_manager, merchandiser):
    return salesperson, sales_manager, merchandiser


def lines(order) -> dict:
    return {line.kind: (line.amount, line.due_after, line.due_days, line.due_date) for line in schedule_of(order)}


def test_tt_30_70_against_copy_bl(people):
    order = order_on((30, BalanceCondition.AGAINST_COPY_BL, 0), people)
    assert lines(order) == {
        ScheduleKind.DEPOSIT: (Decimal("750.000"), DueAfter.CONFIRMATION, 7, date(2026, 10, 5)),
        ScheduleKind.BALANCE: (Decimal("1750.000"), DueAfter.BL_DATE, 0, None),  # due once the B/L is dated
    }


def test_100_percent_in_advance_is_one_line(people):
    order = order_on((100, BalanceCondition.IN_ADVANCE, 0), people)
    assert lines(order) == {ScheduleKind.DEPOSIT: (Decimal("2500.000"), DueAfter.CONFIRMATION, 7, date(2026, 10, 5))}


def test_lc_at_sight_without_deposit(people):
    order = order_on((0, BalanceCondition.LC_AT_SIGHT, 0), people)
    assert lines(order) == {ScheduleKind.BALANCE: (Decimal("2500.000"), DueAfter.BL_DATE, 0, None)}


def test_open_account_60_days_after_bl(people):
    order = order_on((0, BalanceCondition.OPEN_ACCOUNT, 60), people)
    assert lines(order) == {ScheduleKind.BALANCE: (Decimal("2500.000"), DueAfter.BL_DATE, 60, None)}


def test_balance_before_shipment_is_due_on_the_ex_factory_date(people):
    order = order_on((30, BalanceCondition.BEFORE_SHIPMENT, 0), people)
    assert lines(order)[ScheduleKind.BALANCE] == (Decimal("1750.000"), DueAfter.EX_FACTORY, 0, date(2026, 11, 20))


def test_yen_deposit_rounds_to_whole_yen_and_the_lines_add_up(people):
    order = order_on((33, BalanceCondition.AGAINST_COPY_BL, 0), people, currency="JPY")
    order.refresh_from_db()
    deposit, balance = schedule_of(order)
    assert deposit.amount == Decimal(825) and deposit.amount + balance.amount == order.total_amount == 2500


def test_a_revision_moves_the_open_lines_with_history(people, salesperson):
    order = order_on((30, BalanceCondition.AGAINST_COPY_BL, 0), people)
    line = SalesOrderLine.objects.filter(order=order).first()
    with at(date(2026, 10, 1)):
        order_line_update(order=order, line=line, by=salesperson, version=order.version, quantity=Decimal(2000),
                          reason="customer doubled the first item")
    assert lines(order)[ScheduleKind.DEPOSIT][0] == Decimal("1125.000")  # 30 % of 3,750.00
    assert lines(order)[ScheduleKind.BALANCE][0] == Decimal("2625.000")
    deposit = ScheduleLine.objects.get(order=order, kind=ScheduleKind.DEPOSIT)
    assert deposit.due_date == date(2026, 10, 5)  # still counted from the confirmation
    last = deposit.history.first()
    assert (last.amount, last.history_user) == (Decimal("1125.000"), salesperson)


def test_a_revision_that_would_strand_received_money_is_refused(people, salesperson, finance):
    order = order_on((30, BalanceCondition.AGAINST_COPY_BL, 0), people)
    deposit = ScheduleLine.objects.get(order=order, kind=ScheduleKind.DEPOSIT)
    receipt = record(by=finance, customer=order.customer, amount="750")
    receipt_allocate(receipt=receipt, by=finance, version=receipt.version, allocations=[(deposit, Decimal(750))])
    receipt_confirm(receipt=receipt, by=finance, version=receipt.version)
    line = SalesOrderLine.objects.filter(order=order).first()
    order.refresh_from_db()
    with pytest.raises(ValidationError) as refused, at(date(2026, 10, 6)):
        order_line_update(order=order, line=line, by=salesperson, version=order.version, quantity=Decimal(1),
                          reason="customer cut the first item")
    assert "already allocated" in str(refused.value.message_dict["lines"])
    order.refresh_from_db()
    assert order.total_amount == Decimal("2500.000") and lines(order)[ScheduleKind.DEPOSIT][0] == Decimal(750)
