"""Taking an allocation off (to move it, or because it was wrong) and paying money back to the customer: the
line opens again and its milestone reopens, a refund never takes more than the receipt's unallocated rest, and
the statement shows the money going back."""

from datetime import date
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from gendan.finance.models import Allocation, Refund, ScheduleLine
from gendan.finance.selectors import customer_credit, unallocated
from gendan.finance.services import allocation_release, receipt_allocate, receipt_confirm, refund_record
from gendan.finance.statements import statement_of
from gendan.finance.tests.factories import bank_account, record
from gendan.followup.choices import MilestoneStatus
from gendan.followup.models import Milestone
from gendan.followup.tests.factories import at, confirmed_order

pytestmark = pytest.mark.django_db
TODAY = date(2026, 10, 20)


@pytest.fixture
def orders(salesperson, sales_manager, merchandiser):
    bank_account("USD")
    first = confirmed_order(salesperson=salesperson, manager=sales_manager, merchandiser=merchandiser)
    second = confirmed_order(salesperson=salesperson, manager=sales_manager, merchandiser=merchandiser,
                             customer=first.customer)
    return first, second


def deposit(order) -> ScheduleLine:
    return ScheduleLine.objects.get(order=order, kind="deposit")


def paid(finance, order, amount="1000", on=date(2026, 10, 5)):
    receipt = record(by=finance, customer=order.customer, amount=amount, received_on=on)
    receipt_allocate(receipt=receipt, by=finance, version=receipt.version, allocations=[(deposit(order), Decimal(750))])
    receipt_confirm(receipt=receipt, by=finance, version=receipt.version)
    return receipt


def test_moving_an_allocation_to_the_right_order(orders, finance):
    wrong, right = orders
    with at(TODAY):
        receipt = paid(finance, wrong)
        assert Milestone.objects.get(plan__order=wrong, code="deposit").status == MilestoneStatus.DONE
        receipt.refresh_from_db()
        allocation = receipt.allocations.get()
        allocation_release(allocation=allocation, by=finance, version=receipt.version, reason="PO 7781 is SO 2")
        receipt.refresh_from_db()
        receipt_allocate(receipt=receipt, by=finance, version=receipt.version,
                         allocations=[(deposit(right), Decimal(750))])
    milestones = {m.plan.order_id: m for m in Milestone.objects.filter(code="deposit").select_related("plan")}
    assert milestones[wrong.pk].status == MilestoneStatus.OPEN  # reopened: its money went elsewhere
    assert milestones[right.pk].status == MilestoneStatus.DONE
    gone = Allocation.history.get(history_type="-")
    assert (gone.line_id, gone.history_user, gone.history_change_reason) == (deposit(wrong).pk, finance,
                                                                            "PO 7781 is SO 2")
    assert unallocated(receipt) == Decimal(250)


def test_taking_off_needs_a_reason_and_the_version_shown(orders, finance, salesperson):
    with at(TODAY):
        receipt = paid(finance, orders[0])
    allocation = receipt.allocations.get()
    with pytest.raises(ValidationError) as refused:
        allocation_release(allocation=allocation, by=finance, version=receipt.version, reason=" ")
    assert "reason" in refused.value.message_dict
    from gendan.core.errors import ConcurrentChange

    with pytest.raises(ConcurrentChange):
        allocation_release(allocation=allocation, by=finance, version=receipt.version - 1, reason="x")
    from django.core.exceptions import PermissionDenied

    with pytest.raises(PermissionDenied):
        allocation_release(allocation=allocation, by=salesperson, version=receipt.version, reason="x")
    assert Allocation.objects.count() == 1


def test_paying_back_the_customers_credit(orders, finance):
    customer = orders[0].customer
    with at(TODAY):
        receipt = paid(finance, orders[0], amount="1000")  # 750 to the deposit, 250 on account
        receipt.refresh_from_db()
        assert customer_credit(customer) == {"USD": Decimal(250)}
        with pytest.raises(ValidationError) as too_much:
            refund_record(receipt=receipt, by=finance, version=receipt.version, amount=Decimal("250.01"),
                          refunded_on=TODAY, reason="overpaid")
        assert "amount" in too_much.value.message_dict
        for wrong, field in (({"refunded_on": date(2026, 10, 21)}, "refunded_on"),
                             ({"refunded_on": date(2026, 10, 4)}, "refunded_on"), ({"reason": ""}, "reason"),
                             ({"amount": Decimal("0")}, "amount"), ({"amount": Decimal("1.005")}, "amount")):
            values = {"amount": Decimal(100), "refunded_on": TODAY, "reason": "overpaid", **wrong}
            receipt.refresh_from_db()  # a refused try leaves the version as it was
            with pytest.raises(ValidationError) as refused:
                refund_record(receipt=receipt, by=finance, version=receipt.version, **values)
            assert field in refused.value.message_dict, wrong
        receipt.refresh_from_db()
        refund = refund_record(receipt=receipt, by=finance, version=receipt.version, amount=Decimal(250),
                               refunded_on=TODAY, reason="overpaid", reference="TT-BACK-1")
    assert customer_credit(customer) == {} and unallocated(receipt) == 0
    assert refund.history.get().history_user == finance and Refund.objects.count() == 1
    october = statement_of(customer, "USD", date(2026, 10, 1), date(2026, 10, 31))
    back = [e for e in october.entries if e.debit == 250]
    assert back and back[0].day == TODAY and "overpaid" in back[0].description
    # billed 2 × 2,500 on 28 Sep, paid 1,000, 250 paid back: 4,250 owed
    assert october.closing == Decimal(4250)


def test_only_confirmed_money_is_paid_back(orders, finance):
    with at(TODAY):
        receipt = record(by=finance, customer=orders[0].customer, amount="500", received_on=TODAY)
        with pytest.raises(ValidationError) as refused:
            refund_record(receipt=receipt, by=finance, version=receipt.version, amount=Decimal(100),
                          refunded_on=TODAY, reason="x")
    assert "receipt" in refused.value.message_dict
