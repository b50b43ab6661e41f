from datetime import date
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from gendan.catalog.tests.factories import ProductFactory
from gendan.core.errors import ConcurrentChange, InvalidTransition
from gendan.parties.tests.factories import CustomerFactory
from gendan.sales.choices import ORDER_MOVES, OrderStatus
from gendan.sales.models import OrderEvent, OrderRevision, SalesOrder
from gendan.sales.services import (
    TRANSITIONS,
    LineInput,
    order_apply_transition,
    order_cancel,
    order_confirm,
    order_line_add,
    order_line_delete,
    order_line_update,
    order_submit,
    order_update,
)
from gendan.sales.tests.factories import make_order

pytestmark = pytest.mark.django_db


@pytest.fixture
def customer(salesperson, merchandiser):
    return CustomerFactory(owner=salesperson, merchandiser=merchandiser, currency="USD")


def test_order_create_numbers_and_totals(salesperson, customer):
    # given two lines whose amounts need rounding half-up to cents
    p1, p2 = ProductFactory(units_per_carton=48), ProductFactory(units_per_carton=100)
    order = make_order(by=salesperson, customer=customer, lines=0)
    order = SalesOrder.objects.get(pk=order.pk)
    order_line_add(order=order, by=salesperson, version=order.version,
                   line=LineInput(product=p1, quantity=Decimal("1000"), unit_price=Decimal("0.0325")))
    order_line_add(order=order, by=salesperson, version=order.version,
                   line=LineInput(product=p2, quantity=Decimal("3"), unit_price=Decimal("0.335")))
    order.refresh_from_db()
    assert order.number == "SO-2026-00001"
    lines = list(order.lines.order_by("position"))
    assert [line.amount for line in lines] == [Decimal("32.50"), Decimal("1.01")]  # 1.005 → 1.01 half-up
    assert order.total_amount == Decimal("33.51")
    assert [line.cartons for line in lines] == [21, 1]  # 1000/48 → 21 cartons
    assert order.total_cartons == 22
    assert order.total_cbm == Decimal("0.660")  # 22 × 0.03 m³
    assert order.salesperson == salesperson and order.merchandiser == customer.merchandiser


def test_jpy_amounts_have_no_decimals(salesperson, customer):
    order = make_order(by=salesperson, customer=customer, currency="JPY", lines=1, price="12.5", quantity="3")
    line = order.lines.get()
    assert line.amount == Decimal("38")  # 37.5 → 38, no sen
    order.refresh_from_db()
    assert order.total_amount == Decimal("38")


def test_order_numbers_continue_per_year(salesperson, customer):
    first = make_order(by=salesperson, customer=customer, order_date=date(2026, 12, 30))
    second = make_order(by=salesperson, customer=customer, order_date=date(2027, 1, 2))
    third = make_order(by=salesperson, customer=customer, order_date=date(2026, 12, 31))
    assert [first.number, second.number, third.number] == ["SO-2026-00001", "SO-2027-00001", "SO-2026-00002"]


def test_failed_create_gives_its_number_back(salesperson, customer):
    with pytest.raises(ValidationError) as error:
        make_order(by=salesperson, customer=customer, incoterm_place="")
    assert "incoterm_place" in error.value.message_dict
    assert make_order(by=salesperson, customer=customer).number == "SO-2026-00001"
    assert SalesOrder.objects.count() == 1


def test_salesperson_cannot_order_for_someone_elses_customer(other_salesperson, customer):
    with pytest.raises(ValidationError) as error:
        make_order(by=other_salesperson, customer=customer)
    assert "customer" in error.value.message_dict
    assert not SalesOrder.objects.exists()


def _walk(order, path, by):
    for name in path:
        order = order_apply_transition(order=order, name=name, by=by, reason="because")
    return order


PATHS = {
    OrderStatus.DRAFT: [],
    OrderStatus.UNDER_REVIEW: ["submit"],
    OrderStatus.CONFIRMED: ["submit", "confirm"],
    OrderStatus.IN_PRODUCTION: ["submit", "confirm", "start_production"],
    OrderStatus.READY_TO_SHIP: ["submit", "confirm", "start_production", "mark_ready"],
    OrderStatus.PARTIALLY_SHIPPED: ["submit", "confirm", "start_production", "mark_ready", "ship_partially"],
    OrderStatus.SHIPPED: ["submit", "confirm", "start_production", "mark_ready", "ship"],
    OrderStatus.COMPLETED: ["submit", "confirm", "start_production", "mark_ready", "ship", "complete"],
    OrderStatus.CANCELLED: ["cancel"],
}


@pytest.mark.parametrize("start", list(OrderStatus))
@pytest.mark.parametrize("name", list(TRANSITIONS))
def test_every_transition_allowed_or_refused(start, name, general_manager, customer):
    # given an order in `start` (the GM holds every permission); when `name` is tried
    order = make_order(by=general_manager, customer=customer)
    order = _walk(order, PATHS[start], general_manager)
    target = TRANSITIONS[name][1]
    allowed = target in ORDER_MOVES.get(start, set())
    events_before = OrderEvent.objects.filter(order=order).count()
    if allowed:
        order_apply_transition(order=order, name=name, by=general_manager, reason="because")
        order.refresh_from_db()
        assert order.status == target
        assert OrderEvent.objects.filter(order=order).count() == events_before + 1
    else:
        with pytest.raises(InvalidTransition) as error:
            order_apply_transition(order=order, name=name, by=general_manager, reason="because")
        order.refresh_from_db()
        assert order.status == start
        assert str(OrderStatus(start).label) in str(error.value)


def test_submit_needs_a_line(salesperson, customer):
    order = make_order(by=salesperson, customer=customer, lines=0)
    with pytest.raises(ValidationError) as error:
        order_submit(order=order, by=salesperson)
    assert "lines" in error.value.message_dict


def test_salesperson_cannot_confirm_own_order(salesperson, customer):
    order = order_submit(order=make_order(by=salesperson, customer=customer), by=salesperson)
    with pytest.raises(PermissionDenied):
        order_confirm(order=order, by=salesperson)
    order.refresh_from_db()
    assert order.status == OrderStatus.UNDER_REVIEW


def test_confirm_needs_confirmed_ex_factory(salesperson, sales_manager, customer):
    order = make_order(by=salesperson, customer=customer, confirmed_ex_factory=None)
    order_submit(order=order, by=salesperson)
    with pytest.raises(ValidationError) as error:
        order_confirm(order=order, by=sales_manager)
    assert "confirmed_ex_factory" in error.value.message_dict


def test_cancel_needs_reason_and_keeps_it(salesperson, customer):
    order = make_order(by=salesperson, customer=customer)
    with pytest.raises(ValidationError):
        order_cancel(order=order, by=salesperson, reason=" ")
    order_cancel(order=order, by=salesperson, reason="Customer went with another supplier")
    order.refresh_from_db()
    assert order.status == OrderStatus.CANCELLED
    assert order.cancel_reason == "Customer went with another supplier"


def test_salesperson_cannot_cancel_confirmed_order(salesperson, sales_manager, customer):
    order = _walk(make_order(by=salesperson, customer=customer), ["submit"], salesperson)
    order_confirm(order=order, by=sales_manager)
    with pytest.raises(PermissionDenied):
        order_cancel(order=order, by=salesperson, reason="changed mind")
    order_cancel(order=order, by=sales_manager, reason="Customer cancelled in writing")
    assert order.status == OrderStatus.CANCELLED


def test_stale_transition_loses(salesperson, customer):
    order = make_order(by=salesperson, customer=customer)
    stale = SalesOrder.objects.get(pk=order.pk)
    order_submit(order=order, by=salesperson)
    with pytest.raises(ConcurrentChange):
        order_cancel(order=stale, by=salesperson, reason="x")  # it still thinks the order is a draft
    order.refresh_from_db()
    assert order.status == OrderStatus.UNDER_REVIEW


def test_changing_confirmed_order_makes_revisions(salesperson, sales_manager, customer):
    order = _walk(make_order(by=salesperson, customer=customer, price="2.00"), ["submit"], salesperson)
    order_confirm(order=order, by=sales_manager)
    line = order.lines.order_by("position").first()
    order_line_update(order=order, line=line, by=salesperson, version=order.version,
                      quantity=Decimal("1500"), reason="Customer added 500 pcs")
    order_update(order=order, by=salesperson, version=order.version, customer_po="PO-778-B")
    order.refresh_from_db()
    assert order.revision == 2
    revisions = list(OrderRevision.objects.filter(order=order).order_by("number"))
    assert [r.number for r in revisions] == [0, 1, 2]
    # the confirmed version stays readable as it was
    assert revisions[0].snapshot["lines"][0]["quantity"] == "1000"
    assert revisions[0].snapshot["header"]["total_amount"] == "4000.00"
    assert revisions[1].changes == [{"line": 1, "field": "quantity", "old": "1000", "new": "1500"}]
    assert revisions[1].reason == "Customer added 500 pcs"
    assert revisions[1].snapshot["header"]["total_amount"] == "5000.00"
    assert revisions[2].changes[0]["field"] == "customer_po"
    assert order.total_amount == Decimal("5000.00")


def test_draft_changes_make_no_revision(salesperson, customer):
    order = make_order(by=salesperson, customer=customer)
    order_update(order=order, by=salesperson, version=order.version, customer_po="X-1")
    assert order.revision == 0
    assert not OrderRevision.objects.filter(order=order).exists()
    assert order.history.count() == 2  # created, then changed


def test_parallel_edit_is_refused(salesperson, merchandiser, customer):
    order = make_order(by=salesperson, customer=customer)
    seen_version = order.version
    order_update(order=order, by=salesperson, version=seen_version, customer_po="FIRST")
    other_copy = SalesOrder.objects.get(pk=order.pk)
    with pytest.raises(ConcurrentChange):
        order_update(order=other_copy, by=merchandiser, version=seen_version, customer_po="SECOND")
    order.refresh_from_db()
    assert order.customer_po == "FIRST"


def test_order_under_review_cannot_be_edited(salesperson, customer):
    order = order_submit(order=make_order(by=salesperson, customer=customer), by=salesperson)
    with pytest.raises(ValidationError) as error:
        order_update(order=order, by=salesperson, version=order.version, customer_po="late change")
    assert "status" in error.value.message_dict


def test_last_line_of_confirmed_order_stays(salesperson, sales_manager, customer):
    order = _walk(make_order(by=salesperson, customer=customer, lines=1), ["submit"], salesperson)
    order_confirm(order=order, by=sales_manager)
    with pytest.raises(ValidationError):
        order_line_delete(order=order, line=order.lines.get(), by=salesperson, version=order.version)
    assert order.lines.count() == 1


def test_line_quantity_must_be_positive(salesperson, customer):
    order = make_order(by=salesperson, customer=customer)
    with pytest.raises(ValidationError) as error:
        order_line_add(order=order, by=salesperson, version=order.version,
                       line=LineInput(product=ProductFactory(), quantity=Decimal("0"), unit_price=Decimal("1")))
    assert "quantity" in error.value.message_dict
    assert order.lines.count() == 2
