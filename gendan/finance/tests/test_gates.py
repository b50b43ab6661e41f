"""The money gates hold at every entry point: no production before the deposit, no shipment before the money the
terms want first — through the services, the order page, the API and the plan's milestones — and open with
confirmed money or an exception, and close again when the money is reversed."""

from datetime import date
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from gendan.finance.choices import Gate
from gendan.finance.gates import may_ship, may_start_production
from gendan.finance.models import GateException
from gendan.finance.services import gate_exception_grant, gate_exception_revoke, receipt_reverse
from gendan.finance.tests.factories import pay
from gendan.followup.choices import MilestoneStatus
from gendan.followup.models import Milestone
from gendan.followup.services import milestone_complete
from gendan.followup.tests.factories import api_for, at, confirmed_order
from gendan.parties.choices import BalanceCondition
from gendan.sales.choices import OrderStatus
from gendan.sales.services import order_mark_ready, order_ship, order_start_production

pytestmark = pytest.mark.django_db
TODAY = date(2026, 10, 8)


@pytest.fixture
def order(salesperson, sales_manager, merchandiser):
    """2,500.00 USD, T/T 30 % deposit (750.00), balance against copy B/L."""
    return confirmed_order(salesperson=salesperson, manager=sales_manager, merchandiser=merchandiser)


def refused_message(action) -> str:
    with pytest.raises(ValidationError) as refused:
        action()
    return " ".join(refused.value.message_dict["status"])


def test_production_waits_for_the_deposit_and_starts_once_it_is_confirmed(order, sales_manager, finance):
    with at(TODAY):
        message = refused_message(lambda: order_start_production(order=order, by=sales_manager))
        assert "Deposit USD 750.00 not received" in message
        order.refresh_from_db()
        assert order.status == OrderStatus.CONFIRMED
        pay(order, by=finance, kinds=["deposit"])
        order_start_production(order=order, by=sales_manager)
    order.refresh_from_db()
    assert order.status == OrderStatus.IN_PRODUCTION


def test_reversing_the_deposit_closes_the_gate_again(order, finance):
    with at(TODAY):
        receipt = pay(order, by=finance, kinds=["deposit"])
        assert may_start_production(order)
        receipt.refresh_from_db()
        receipt_reverse(receipt=receipt, by=finance, version=receipt.version, reason="remittance recalled")
    answer = may_start_production(order, today=TODAY)
    assert not answer and "750.00" in answer.reason


def test_ticking_production_start_by_hand_is_the_same_gate(order, sales_manager, finance):
    start = Milestone.objects.get(plan__order=order, code="production_start")
    with at(TODAY):
        with pytest.raises(ValidationError):
            milestone_complete(milestone=start, by=sales_manager, actual_date=TODAY)
        assert Milestone.objects.get(pk=start.pk).status == MilestoneStatus.OPEN
        pay(order, by=finance, kinds=["deposit"])
        milestone_complete(milestone=Milestone.objects.get(pk=start.pk), by=sales_manager, actual_date=TODAY)
    assert Milestone.objects.get(pk=start.pk).status == MilestoneStatus.DONE


def test_balance_before_shipment_holds_the_shipment_not_production(salesperson, sales_manager, merchandiser,
                                                                   finance):
    order = confirmed_order(salesperson=salesperson, manager=sales_manager, merchandiser=merchandiser,
                            balance_condition=BalanceCondition.BEFORE_SHIPMENT)
    with at(TODAY):
        pay(order, by=finance, kinds=["deposit"])
        order_start_production(order=order, by=sales_manager)
        order_mark_ready(order=order, by=sales_manager)
        message = refused_message(lambda: order_ship(order=order, by=sales_manager))
        assert "Balance USD 1,750.00 not received" in message
        pay(order, by=finance, kinds=["balance"])
        order_ship(order=order, by=sales_manager)
    order.refresh_from_db()
    assert order.status == OrderStatus.SHIPPED


def test_against_copy_bl_ships_after_the_deposit_and_an_lc_order_needs_none(order, salesperson, sales_manager,
                                                                           merchandiser, finance):
    with at(TODAY):
        pay(order, by=finance, kinds=["deposit"])
    assert may_ship(order, today=TODAY)  # the balance is due against the copy B/L, after shipment
    lc = confirmed_order(salesperson=salesperson, manager=sales_manager, merchandiser=merchandiser,
                         deposit_percent=0, balance_condition=BalanceCondition.LC_AT_SIGHT)
    assert may_start_production(lc, today=TODAY) and may_ship(lc, today=TODAY)


def test_an_exception_lifts_one_gate_until_it_expires_or_is_revoked(order, sales_manager, general_manager):
    with at(TODAY):
        exception = gate_exception_grant(order=order, gate=Gate.PRODUCTION, by=general_manager,
                                         reason="Long-standing customer; deposit on its way",
                                         expires_on=date(2026, 10, 9))
    answer = may_start_production(order, today=TODAY)
    assert answer and answer.exception == exception and "deposit on its way" in answer.reason
    assert not may_ship(order, today=TODAY)  # the other gate stays shut
    assert not may_start_production(order, today=date(2026, 10, 10))  # expired
    with at(TODAY):
        gate_exception_revoke(exception=exception, by=general_manager)
    assert not may_start_production(order, today=TODAY)
    assert GateException.history.filter(id=exception.pk).count() == 2  # granted, revoked


@pytest.mark.parametrize(("fields", "field"), [
    ({"reason": "  "}, "reason"),
    ({"expires_on": date(2026, 10, 1)}, "expires_on"),
    ({"gate": "anything"}, "gate"),
])
def test_a_bad_exception_is_refused_naming_the_field(order, finance, fields, field):
    fields = {"gate": Gate.PRODUCTION, "reason": "trusted", **fields}
    with pytest.raises(ValidationError) as refused, at(TODAY):
        gate_exception_grant(order=order, by=finance, **fields)
    assert field in refused.value.message_dict and not GateException.objects.exists()


def test_only_finance_and_the_general_manager_grant_exceptions(order, sales_manager, merchandiser, finance):
    for user in (sales_manager, merchandiser):
        with pytest.raises(PermissionDenied), at(TODAY):
            gate_exception_grant(order=order, gate=Gate.PRODUCTION, by=user, reason="please")
    with at(TODAY):
        gate_exception_grant(order=order, gate=Gate.PRODUCTION, by=finance, reason="L/C received by fax")


def test_the_order_page_and_the_api_are_held_too(client, order, sales_manager):
    client.force_login(sales_manager)
    with at(TODAY):
        page = client.post(reverse("sales:order_transition", args=[order.pk, "start_production"]), follow=True)
    assert "750.00" in page.content.decode()
    with at(TODAY):
        response = api_for(sales_manager).post(f"/api/v1/orders/{order.pk}/start-production/")
    assert response.status_code == 400 and "Deposit USD 750.00 not received" in str(response.json())
    order.refresh_from_db()
    assert order.status == OrderStatus.CONFIRMED
    assert Decimal(order.total_amount) == Decimal(2500)


def test_money_milestones_are_done_by_receipts_not_by_a_click(order, finance):
    deposit = Milestone.objects.get(plan__order=order, code="deposit")
    with at(TODAY), pytest.raises(ValidationError) as refused:
        milestone_complete(milestone=deposit, by=finance, actual_date=TODAY)
    assert "confirmed receipt" in str(refused.value.message_dict["status"])
    assert Milestone.objects.get(pk=deposit.pk).status == MilestoneStatus.OPEN
    with at(TODAY):
        pay(order, by=finance, kinds=["deposit"])
    assert Milestone.objects.get(pk=deposit.pk).status == MilestoneStatus.DONE
