"""Finance records money, allocates it to orders and confirms it arrived; confirmed money completes the plan's
deposit and balance milestones, and reversing it reopens them. Bad input is refused naming the field."""

from datetime import date
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from gendan.core.errors import InvalidTransition
from gendan.finance.choices import ReceiptStatus, ScheduleKind
from gendan.finance.models import Allocation, Receipt, ScheduleLine
from gendan.finance.selectors import schedule_of, unallocated
from gendan.finance.services import receipt_allocate, receipt_confirm, receipt_reverse
from gendan.finance.tests.factories import bank_account, record
from gendan.followup.choices import MilestoneStatus
from gendan.followup.models import Milestone
from gendan.followup.tests.factories import at, confirmed_order
from gendan.parties.tests.factories import CustomerFactory

pytestmark = pytest.mark.django_db
TODAY = date(2026, 10, 8)


@pytest.fixture
def customer(salesperson, merchandiser):
    return CustomerFactory(owner=salesperson, merchandiser=merchandiser)


@pytest.fixture
def orders(customer, salesperson, sales_manager, merchandiser):
    """Two orders of one customer, 2,500.00 USD each, 30 % deposit (750.00) against copy B/L."""
    return [confirmed_order(salesperson=salesperson, manager=sales_manager, merchandiser=merchandiser,
                            customer=customer) for _ in range(2)]


def deposit_of(order) -> ScheduleLine:
    return ScheduleLine.objects.get(order=order, kind=ScheduleKind.DEPOSIT)


def milestone(order, code="deposit") -> Milestone:
    return Milestone.objects.get(plan__order=order, code=code)


def allocate(receipt, by, *pairs):
    receipt.refresh_from_db()
    with at(TODAY):
        return receipt_allocate(receipt=receipt, by=by, version=receipt.version,
                                allocations=[(line, Decimal(amount)) for line, amount in pairs])


def confirm(receipt, by):
    receipt.refresh_from_db()
    with at(TODAY):
        return receipt_confirm(receipt=receipt, by=by, version=receipt.version)


def test_one_remittance_pays_two_deposits_and_completes_both_milestones(orders, customer, finance):
    receipt = record(by=finance, customer=customer, amount="1520", bank_charges=Decimal("15"), rate="7.1023",
                     received_on=date(2026, 10, 6), reference="FT2610061234")
    allocate(receipt, finance, (deposit_of(orders[0]), "750"), (deposit_of(orders[1]), "750"))
    assert milestone(orders[0]).status == MilestoneStatus.OPEN  # recorded is not yet money: not confirmed
    confirm(receipt, finance)
    for order in orders:
        done = milestone(order)
        assert (done.status, done.actual_date, done.done_by) == (MilestoneStatus.DONE, date(2026, 10, 6), finance)
        assert schedule_of(order)[0].open == 0
    assert unallocated(receipt) == Decimal(20)  # the rest stays as the customer's credit
    history = Receipt.history.filter(id=receipt.pk).order_by("history_id")
    assert [row.status for row in history] == [ReceiptStatus.RECORDED, ReceiptStatus.CONFIRMED]
    assert history.last().history_user == finance


def test_money_received_before_confirmation_is_allocated_once_the_order_is_confirmed(
        customer, finance, salesperson, sales_manager, merchandiser):
    receipt = record(by=finance, customer=customer, amount="750", received_on=date(2026, 9, 20))
    confirm(receipt, finance)  # the deposit came first, as customers often send it with the PO
    order = confirmed_order(salesperson=salesperson, manager=sales_manager, merchandiser=merchandiser,
                            customer=customer)
    allocate(receipt, finance, (deposit_of(order), "750"))
    assert (milestone(order).status, milestone(order).actual_date) == (MilestoneStatus.DONE, date(2026, 9, 20))


def test_a_partial_payment_leaves_the_milestone_open(orders, customer, finance):
    receipt = record(by=finance, customer=customer, amount="500")
    allocate(receipt, finance, (deposit_of(orders[0]), "500"))
    confirm(receipt, finance)
    assert milestone(orders[0]).status == MilestoneStatus.OPEN and schedule_of(orders[0])[0].open == 250
    second = record(by=finance, customer=customer, amount="250", received_on=date(2026, 10, 7))
    allocate(second, finance, (deposit_of(orders[0]), "250"))
    confirm(second, finance)
    assert (milestone(orders[0]).status, milestone(orders[0]).actual_date) == (MilestoneStatus.DONE, date(2026, 10, 7))


def test_reversing_a_receipt_reopens_what_it_completed(orders, customer, finance):
    receipt = record(by=finance, customer=customer, amount="750")
    allocate(receipt, finance, (deposit_of(orders[0]), "750"))
    confirm(receipt, finance)
    receipt.refresh_from_db()
    with at(TODAY):
        receipt_reverse(receipt=receipt, by=finance, version=receipt.version, reason="cheque bounced")
    assert milestone(orders[0]).status == MilestoneStatus.OPEN
    assert schedule_of(orders[0])[0].open == 750
    receipt.refresh_from_db()
    assert (receipt.status, receipt.reverse_reason) == (ReceiptStatus.REVERSED, "cheque bounced")
    with pytest.raises(InvalidTransition):  # reversing a reversed receipt
        receipt_reverse(receipt=receipt, by=finance, version=receipt.version, reason="again")


def test_over_allocation_is_refused_naming_the_row_and_nothing_is_saved(orders, customer, finance):
    receipt = record(by=finance, customer=customer, amount="1000")
    with pytest.raises(ValidationError) as refused:
        allocate(receipt, finance, (deposit_of(orders[0]), "700"), (deposit_of(orders[1]), "800"))
    assert "USD 750.00" in str(refused.value.message_dict["allocations.1.amount"])  # the line has 750 open
    with pytest.raises(ValidationError) as refused:
        allocate(receipt, finance, (deposit_of(orders[0]), "700"), (deposit_of(orders[1]), "700"))
    assert "USD 1,000.00" in str(refused.value.message_dict["allocations"])  # the receipt has 1,000
    with pytest.raises(ValidationError) as refused:
        allocate(receipt, finance, (deposit_of(orders[0]), "500"), (deposit_of(orders[0]), "300"))
    assert "allocations.1.amount" in refused.value.message_dict  # the same line twice, 800 > 750
    assert not Allocation.objects.exists()


def test_a_line_cannot_be_paid_twice_by_two_receipts(orders, customer, finance):
    first, second = (record(by=finance, customer=customer, amount="750") for _ in range(2))
    allocate(first, finance, (deposit_of(orders[0]), "750"))
    with pytest.raises(ValidationError) as refused:  # the first is not confirmed yet: it still counts here
        allocate(second, finance, (deposit_of(orders[0]), "1"))
    assert "USD 0.00" in str(refused.value.message_dict["allocations.0.amount"])


def test_another_customers_order_or_currency_is_refused(orders, customer, finance, salesperson, sales_manager,
                                                        merchandiser):
    other = confirmed_order(salesperson=salesperson, manager=sales_manager, merchandiser=merchandiser)
    receipt = record(by=finance, customer=customer, amount="750")
    with pytest.raises(ValidationError) as refused:
        allocate(receipt, finance, (deposit_of(other), "750"))
    assert other.number in str(refused.value.message_dict["allocations.0.amount"])
    euros = record(by=finance, customer=customer, amount="700", currency="EUR")
    with pytest.raises(ValidationError) as refused:
        allocate(euros, finance, (deposit_of(orders[0]), "700"))
    assert "USD" in str(refused.value.message_dict["allocations.0.amount"])


@pytest.mark.parametrize(("fields", "field", "message"), [
    ({"amount": "0"}, "amount", "greater than zero"),
    ({"amount": "-5"}, "amount", "greater than zero"),
    ({"amount": "10.001"}, "amount", "2 decimal places"),
    ({"rate": "0"}, "rate_to_cny", "greater than zero"),
    ({"bank_charges": Decimal("-1")}, "bank_charges", "negative"),
    ({"bank_charges": Decimal("100")}, "bank_charges", "less than the amount"),
    ({"received_on": date(2026, 12, 1)}, "received_on", "future"),
    ({"currency": "EUR", "account": "USD"}, "currency", "holds USD"),
    ({"currency": "CNY", "rate": "7.1"}, "rate_to_cny", "rate 1"),
])
def test_bad_receipts_are_refused_naming_the_field(customer, finance, fields, field, message):
    fields = {"amount": "100", **fields}
    if fields.get("account"):
        fields["account"] = bank_account(fields["account"])
    with pytest.raises(ValidationError) as refused:
        record(by=finance, customer=customer, **fields)
    assert message in str(refused.value.message_dict[field])
    assert not Receipt.objects.exists()


def test_reversing_needs_a_reason(customer, finance):
    receipt = record(by=finance, customer=customer, amount="100")
    with pytest.raises(ValidationError) as refused:
        receipt_reverse(receipt=receipt, by=finance, version=receipt.version, reason="  ")
    assert "reason" in refused.value.message_dict
    receipt.refresh_from_db()
    assert receipt.status == ReceiptStatus.RECORDED


def test_only_finance_and_the_general_manager_handle_money(orders, customer, finance, salesperson, merchandiser,
                                                         general_manager):
    for user in (salesperson, merchandiser):
        with pytest.raises(PermissionDenied):
            record(by=user, customer=customer, amount="750")
    receipt = record(by=general_manager, customer=customer, amount="750")
    allocate(receipt, general_manager, (deposit_of(orders[0]), "750"))
    with pytest.raises(PermissionDenied):
        receipt_confirm(receipt=receipt, by=salesperson, version=receipt.version)
    confirm(receipt, general_manager)
    assert milestone(orders[0]).status == MilestoneStatus.DONE
