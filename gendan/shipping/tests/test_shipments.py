"""Shipments: ready goods of one customer's orders, partial and consolidated; never more than an order line asks
for; shipping moves the orders through the money gate, which an exception lifts for one order."""

from datetime import date
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from gendan.finance.choices import Gate
from gendan.finance.services import gate_exception_grant
from gendan.followup.tests.factories import at, confirmed_order
from gendan.parties.tests.factories import CustomerFactory
from gendan.sales.choices import OrderStatus
from gendan.shipping.choices import ShipmentStatus
from gendan.shipping.models import Shipment, ShipmentLine
from gendan.shipping.services import shipment_cancel, shipment_create, shipment_ship

pytestmark = pytest.mark.django_db
DAY = date(2026, 11, 20)


def lines_of(order):
    return list(order.lines.order_by("position"))


def test_two_orders_ship_together_one_of_them_in_part(ready, customer, merchandiser):
    first, second = ready(), ready()
    a1, a2 = lines_of(first)
    with at(DAY):
        shipment = shipment_create(by=merchandiser, customer=customer, lines=[
            (a1, Decimal(1000)), (a2, Decimal(400)), *[(line, line.quantity) for line in lines_of(second)]])
        shipment_ship(shipment=shipment, by=merchandiser, version=shipment.version)
    shipment.refresh_from_db()
    assert (shipment.status, shipment.shipped_on, shipment.number[:3]) == (ShipmentStatus.SHIPPED, DAY, "SH-")
    assert list(shipment.history.order_by("history_id").values_list("status", "history_user")) == [
        ("draft", merchandiser.pk), ("shipped", merchandiser.pk)]
    first.refresh_from_db(), second.refresh_from_db()
    assert (first.status, second.status) == (OrderStatus.PARTIALLY_SHIPPED, OrderStatus.SHIPPED)

    with at(DAY):  # the rest of the first order, later
        rest = shipment_create(by=merchandiser, customer=customer, lines=[(a2, Decimal(600))])
        shipment_ship(shipment=rest, by=merchandiser, version=rest.version)
    first.refresh_from_db()
    assert first.status == OrderStatus.SHIPPED


def test_nothing_ships_more_than_ordered_and_a_refused_shipment_saves_nothing(ready, customer, merchandiser):
    order = ready()
    line, _other = lines_of(order)
    with at(DAY):
        draft = shipment_create(by=merchandiser, customer=customer, lines=[(line, Decimal(600))])
        with pytest.raises(ValidationError) as error:
            shipment_create(by=merchandiser, customer=customer, lines=[(line, Decimal(300)), (line, Decimal(200))])
    assert error.value.message_dict == {"lines.1.quantity": [f"{order.number} line 1: 100 of 1000 left to ship."]}
    assert (Shipment.objects.count(), ShipmentLine.objects.count()) == (1, 1)
    with at(DAY):  # the draft is cancelled: its goods are free again
        shipment_cancel(shipment=draft, by=merchandiser, version=draft.version, reason="Customer moved the date")
        again = shipment_create(by=merchandiser, customer=customer, lines=[(line, Decimal(1000))])
    assert again.lines.get().quantity == 1000


def test_only_ready_goods_of_the_shipments_customer(ready, customer, merchandiser, salesperson, sales_manager):
    ready_order = ready()
    other = confirmed_order(salesperson=salesperson, manager=sales_manager, merchandiser=merchandiser,
                            customer=CustomerFactory(owner=salesperson, merchandiser=merchandiser, code="BETA-UK"))
    not_ready = confirmed_order(salesperson=salesperson, manager=sales_manager, merchandiser=merchandiser,
                                customer=customer)
    with pytest.raises(ValidationError) as error, at(DAY):
        shipment_create(by=merchandiser, customer=customer, lines=[
            (lines_of(ready_order)[0], Decimal(10)), (lines_of(other)[0], Decimal(10)),
            (lines_of(not_ready)[0], Decimal(10)), (lines_of(ready_order)[1], Decimal(0))])
    messages = error.value.message_dict
    assert messages["lines.1.quantity"] == [f"{other.number} is another customer's order."]
    assert messages["lines.2.quantity"] == [
        f"{not_ready.number} is Confirmed: only goods ready to ship go on a shipment."]
    assert messages["lines.3.quantity"] == ["Enter a quantity greater than zero."]
    assert "lines.0.quantity" not in messages and not Shipment.objects.exists()


def test_the_money_gate_holds_the_whole_shipment_until_an_exception(ready, customer, merchandiser, finance):
    paid, unpaid = ready(), ready(paid=False)
    with at(DAY):
        shipment = shipment_create(by=merchandiser, customer=customer, lines=[
            (line, line.quantity) for order in (paid, unpaid) for line in lines_of(order)])
        with pytest.raises(ValidationError) as error:
            shipment_ship(shipment=shipment, by=merchandiser, version=shipment.version)
    assert "Deposit" in str(error.value) and "not received" in str(error.value)
    shipment.refresh_from_db(), paid.refresh_from_db(), unpaid.refresh_from_db()
    assert (shipment.status, paid.status, unpaid.status) == (
        ShipmentStatus.DRAFT, OrderStatus.READY_TO_SHIP, OrderStatus.READY_TO_SHIP)  # nothing moved
    with at(DAY):
        gate_exception_grant(order=unpaid, gate=Gate.SHIPMENT, by=finance, reason="L/C confirmed by the bank")
        shipment_ship(shipment=shipment, by=merchandiser, version=shipment.version)
    paid.refresh_from_db(), unpaid.refresh_from_db()
    assert (paid.status, unpaid.status) == (OrderStatus.SHIPPED, OrderStatus.SHIPPED)


def test_who_may_ship(ready, customer, finance, salesperson):
    line = lines_of(ready())[0]
    for user in (finance, salesperson):  # they see the order; shipping it is the merchandiser's
        with pytest.raises(PermissionDenied), at(DAY):
            shipment_create(by=user, customer=customer, lines=[(line, Decimal(10))])
    assert not Shipment.objects.exists()


def test_goods_on_a_shipment_stay_on_the_order(ready, customer, merchandiser):
    from gendan.sales.services import order_line_delete, order_line_update

    order = ready()
    line, other = lines_of(order)
    with at(DAY):
        shipment_create(by=merchandiser, customer=customer, lines=[(line, Decimal(600))])
        with pytest.raises(ValidationError) as error:
            order_line_delete(order=order, line=line, by=merchandiser, version=order.version)
        assert "is on shipment SH-" in error.value.message_dict["line"][0]
        order.refresh_from_db()
        with pytest.raises(ValidationError) as error:
            order_line_update(order=order, line=line, by=merchandiser, version=order.version, quantity=Decimal(500))
        assert error.value.message_dict == {
            "quantity": ["600 of line 1 are on shipments: the line cannot ask for less."]}
        order.refresh_from_db()
        order_line_update(order=order, line=line, by=merchandiser, version=order.version, quantity=Decimal(1200))
    line.refresh_from_db()
    assert line.quantity == 1200 and order.lines.count() == 2
