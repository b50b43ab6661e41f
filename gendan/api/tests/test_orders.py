"""Sales orders through the API: create with lines, field errors, versions, lines, transitions, filters."""

from datetime import date
from decimal import Decimal

import pytest

from gendan.catalog.tests.factories import ProductFactory
from gendan.parties.tests.factories import CustomerFactory
from gendan.sales.choices import ORDER_MOVES, OrderStatus
from gendan.sales.models import OrderEvent, OrderRevision, SalesOrder, SalesOrderLine
from gendan.sales.services import TRANSITIONS, LineInput, order_apply_transition, order_line_add
from gendan.sales.tests.factories import make_order

pytestmark = pytest.mark.django_db


@pytest.fixture
def products():
    return ProductFactory(units_per_carton=48), ProductFactory(units_per_carton=100)


def confirm(order, *, salesperson, manager):
    order_apply_transition(order=order, name="submit", by=salesperson)
    order_apply_transition(order=order, name="confirm", by=manager)
    order.refresh_from_db()
    return order


# ---------------------------------------------------------------- create


def test_create_order_with_lines_takes_customer_defaults(api, salesperson, customer, products):
    p1, p2 = products
    response = api(salesperson).post("/api/v1/orders/", {
        "customer": customer.pk, "customer_po": "PO-2026-77", "order_date": "2026-11-02",
        "confirmed_ex_factory": "2026-12-20",
        "lines": [{"product": p1.pk, "quantity": "1000", "unit_price": "0.0325"},
                  {"product": p2.pk, "quantity": "3", "unit_price": "0.335", "description": "Sample lot"}],
    }, format="json")
    assert response.status_code == 201, response.content
    body = response.json()
    order = SalesOrder.objects.get()
    assert body["id"] == order.pk and body["number"] == "SO-2026-00001" == order.number
    assert (order.currency, order.incoterm, order.incoterm_place) == ("USD", "FOB", "Ningbo")
    assert order.salesperson == salesperson and order.merchandiser == customer.merchandiser
    assert order.created_by == salesperson
    assert body["total_amount"] == "33.51" and order.total_amount == Decimal("33.51")  # 1.005 → 1.01 half-up
    assert body["total_cartons"] == 22
    assert [(line["position"], line["amount"], line["cartons"]) for line in body["lines"]] == [
        (1, "32.50", 21), (2, "1.01", 1)]
    assert body["lines"][1]["description"] == "Sample lot"
    assert body["lines"][0]["description"] == p1.name_en
    assert body["status"] == "draft" and body["available_transitions"] == ["submit", "cancel"]
    assert order.events.filter(kind="created").exists()


def test_jpy_order_total_has_no_decimals(api, salesperson, customer, products):
    response = api(salesperson).post("/api/v1/orders/", {
        "customer": customer.pk, "currency": "JPY",
        "lines": [{"product": products[0].pk, "quantity": "3", "unit_price": "12.5"}],
    }, format="json")
    assert response.status_code == 201, response.content
    assert response.json()["total_amount"] == "38"
    assert response.json()["lines"][0]["amount"] == "38"
    assert SalesOrder.objects.get().total_amount == Decimal("38")


def test_missing_incoterm_place_is_named(api, salesperson, products):
    # the customer has no default place, and the client sent none
    bare = CustomerFactory(owner=salesperson, incoterm_place="")
    response = api(salesperson).post("/api/v1/orders/", {
        "customer": bare.pk, "lines": [{"product": products[0].pk, "quantity": "1", "unit_price": "1"}],
    }, format="json")
    assert response.status_code == 400
    assert response.json() == {"detail": "Invalid input.", "code": "invalid", "errors": {
        "incoterm_place": ["An Incoterm needs its named place, e.g. FOB Ningbo."]}}
    assert not SalesOrder.objects.exists() and not SalesOrderLine.objects.exists()


def test_bad_currency_is_named(api, salesperson, customer):
    response = api(salesperson).post("/api/v1/orders/", {"customer": customer.pk, "currency": "XYZ"},
                                     format="json")
    assert response.status_code == 400
    assert response.json()["errors"] == {"currency": ["XYZ is not an ISO 4217 currency code."]}
    assert not SalesOrder.objects.exists()


def test_negative_quantity_names_the_line(api, salesperson, customer, products):
    response = api(salesperson).post("/api/v1/orders/", {
        "customer": customer.pk,
        "lines": [{"product": products[0].pk, "quantity": "5", "unit_price": "1"},
                  {"product": products[1].pk, "quantity": "-5", "unit_price": "1"}],
    }, format="json")
    assert response.status_code == 400
    errors = response.json()["errors"]
    assert list(errors) == ["lines.1.quantity"]
    assert "0.001" in errors["lines.1.quantity"][0]
    assert not SalesOrder.objects.exists()


def test_unknown_product_names_the_line(api, salesperson, customer):
    response = api(salesperson).post("/api/v1/orders/", {
        "customer": customer.pk, "lines": [{"product": 987654, "quantity": "5", "unit_price": "1"}],
    }, format="json")
    assert response.status_code == 400
    assert response.json()["errors"] == {"lines.0.product": ['Invalid pk "987654" - object does not exist.']}
    assert not SalesOrder.objects.exists()


def test_several_errors_are_reported_together(api, salesperson, customer):
    response = api(salesperson).post("/api/v1/orders/", {
        "customer": customer.pk, "incoterm": "XXX", "order_date": "2 Nov",
        "lines": [{"quantity": "abc", "unit_price": "1"}],
    }, format="json")
    assert response.status_code == 400
    assert set(response.json()["errors"]) == {"incoterm", "order_date", "lines.0.product", "lines.0.quantity"}


def test_ex_factory_before_order_date_is_named(api, salesperson, customer):
    response = api(salesperson).post("/api/v1/orders/", {
        "customer": customer.pk, "order_date": "2026-11-02", "requested_ex_factory": "2026-10-01",
    }, format="json")
    assert response.status_code == 400
    assert response.json()["errors"] == {"requested_ex_factory": ["The date cannot be before the order date."]}


# ---------------------------------------------------------------- header changes and versions


def test_patch_header_with_current_version(api, salesperson, order):
    response = api(salesperson).patch(f"/api/v1/orders/{order.pk}/", {
        "customer_po": "PO-NEW", "incoterm": "CIF", "incoterm_place": "Hamburg", "version": 0,
    }, format="json")
    assert response.status_code == 200, response.content
    body = response.json()
    assert (body["customer_po"], body["incoterm"], body["incoterm_place"], body["version"]) == (
        "PO-NEW", "CIF", "Hamburg", 1)
    order.refresh_from_db()
    assert (order.customer_po, order.incoterm, order.incoterm_place, order.version) == (
        "PO-NEW", "CIF", "Hamburg", 1)
    assert order.revision == 0  # a draft changes without revisions


def test_stale_version_is_409_and_changes_nothing(api, salesperson, sales_manager, order):
    # the manager saves first; Sally still holds version 0
    first = api(sales_manager).patch(f"/api/v1/orders/{order.pk}/", {"customer_po": "PO-MGR", "version": 0},
                                     format="json")
    assert first.status_code == 200
    response = api(salesperson).patch(f"/api/v1/orders/{order.pk}/", {"customer_po": "PO-SALLY", "version": 0},
                                      format="json")
    assert response.status_code == 409
    assert response.json()["code"] == "concurrent_change"
    assert "changed by somebody else" in response.json()["detail"]
    order.refresh_from_db()
    assert (order.customer_po, order.version) == ("PO-MGR", 1)


def test_patch_needs_version(api, salesperson, order):
    response = api(salesperson).patch(f"/api/v1/orders/{order.pk}/", {"customer_po": "X"}, format="json")
    assert response.status_code == 400
    assert response.json()["errors"] == {"version": ["This field is required."]}


def test_clearing_incoterm_place_is_named(api, salesperson, order):
    response = api(salesperson).patch(f"/api/v1/orders/{order.pk}/", {"incoterm_place": "", "version": 0},
                                      format="json")
    assert response.status_code == 400
    assert list(response.json()["errors"]) == ["incoterm_place"]
    order.refresh_from_db()
    assert (order.incoterm_place, order.version) == ("Ningbo", 0)


def test_change_to_confirmed_order_is_a_revision(api, salesperson, sales_manager, order):
    order = confirm(order, salesperson=salesperson, manager=sales_manager)
    client = api(salesperson)
    response = client.patch(f"/api/v1/orders/{order.pk}/", {
        "confirmed_ex_factory": "2027-01-15", "reason": "Factory slot moved", "version": order.version,
    }, format="json")
    assert response.status_code == 200, response.content
    assert response.json()["revision"] == 1
    revision = OrderRevision.objects.get(order=order, number=1)
    assert revision.reason == "Factory slot moved" and revision.created_by == salesperson
    assert revision.changes == [{"field": "confirmed_ex_factory", "old": "2026-12-17", "new": "2027-01-15"}]

    revisions = client.get(f"/api/v1/orders/{order.pk}/revisions/")
    assert revisions.status_code == 200
    rows = revisions.json()
    assert [r["number"] for r in rows] == [1, 0]
    assert rows[0]["reason"] == "Factory slot moved"
    assert rows[1]["snapshot"]["header"]["confirmed_ex_factory"] == "2026-12-17"  # rev. 0 still reads as confirmed


def test_fields_that_cannot_be_set_are_refused(api, salesperson, order):
    other = CustomerFactory(owner=salesperson)
    response = api(salesperson).patch(f"/api/v1/orders/{order.pk}/", {
        "customer": other.pk, "status": "confirmed", "incoterm_plac": "Typo", "version": 0}, format="json")
    assert response.status_code == 400
    assert response.json()["errors"] == {name: ["This field cannot be set here."]
                                         for name in ["customer", "status", "incoterm_plac"]}
    order.refresh_from_db()
    assert (order.customer_id, order.status, order.version) == (order.customer_id, "draft", 0)
    assert order.customer_id != other.pk


# ---------------------------------------------------------------- lines


def test_add_change_and_delete_lines(api, salesperson, order, products):
    client = api(salesperson)
    added = client.post(f"/api/v1/orders/{order.pk}/lines/", {
        "product": products[0].pk, "quantity": "96", "unit_price": "2", "version": 0}, format="json")
    assert added.status_code == 201, added.content
    body = added.json()
    assert body["version"] == 1 and len(body["lines"]) == 3
    assert body["total_amount"] == "2692.00"  # 2 × 1250 + 96 × 2
    new_line = SalesOrderLine.objects.get(order=order, position=3)
    assert new_line.cartons == 2

    changed = client.patch(f"/api/v1/orders/{order.pk}/lines/{new_line.pk}/", {
        "quantity": "100", "version": 1}, format="json")
    assert changed.status_code == 200, changed.content
    assert changed.json()["total_amount"] == "2700.00"
    new_line.refresh_from_db()
    assert (new_line.quantity, new_line.amount, new_line.cartons) == (Decimal("100"), Decimal("200"), 3)

    deleted = client.delete(f"/api/v1/orders/{order.pk}/lines/{new_line.pk}/?version=2")
    assert deleted.status_code == 200, deleted.content
    assert [line["position"] for line in deleted.json()["lines"]] == [1, 2]
    order.refresh_from_db()
    assert (order.total_amount, order.version, order.lines.count()) == (Decimal("2500.00"), 3, 2)


def test_line_change_with_stale_version_is_409(api, salesperson, order, products):
    client = api(salesperson)
    line = order.lines.first()
    assert client.patch(f"/api/v1/orders/{order.pk}/lines/{line.pk}/", {"quantity": "2", "version": 0},
                        format="json").status_code == 200
    stale = [
        client.patch(f"/api/v1/orders/{order.pk}/lines/{line.pk}/", {"quantity": "3", "version": 0}, format="json"),
        client.post(f"/api/v1/orders/{order.pk}/lines/", {"product": products[0].pk, "quantity": "1",
                                                          "unit_price": "1", "version": 0}, format="json"),
        client.delete(f"/api/v1/orders/{order.pk}/lines/{line.pk}/?version=0"),
    ]
    assert [r.status_code for r in stale] == [409, 409, 409]
    line.refresh_from_db()
    assert line.quantity == Decimal("2") and order.lines.count() == 2


def test_line_errors_are_named(api, salesperson, order):
    client = api(salesperson)
    line = order.lines.first()
    negative = client.patch(f"/api/v1/orders/{order.pk}/lines/{line.pk}/", {"unit_price": "-1", "version": 0},
                            format="json")
    assert negative.status_code == 400
    assert list(negative.json()["errors"]) == ["unit_price"]
    unknown = client.post(f"/api/v1/orders/{order.pk}/lines/", {"product": 987654, "quantity": "1",
                                                               "unit_price": "1", "version": 0}, format="json")
    assert unknown.status_code == 400
    assert list(unknown.json()["errors"]) == ["product"]
    no_version = client.delete(f"/api/v1/orders/{order.pk}/lines/{line.pk}/")
    assert no_version.status_code == 400
    assert list(no_version.json()["errors"]) == ["version"]
    order.refresh_from_db()
    assert order.version == 0 and order.lines.count() == 2


def test_line_of_another_order_is_404(api, salesperson, customer, order):
    second = make_order(by=salesperson, customer=customer)
    foreign = second.lines.first()
    response = api(salesperson).patch(f"/api/v1/orders/{order.pk}/lines/{foreign.pk}/",
                                      {"quantity": "7", "version": 0}, format="json")
    assert response.status_code == 404
    foreign.refresh_from_db()
    assert foreign.quantity == Decimal("1000")


def test_confirmed_order_keeps_its_last_line(api, salesperson, sales_manager, customer):
    order = confirm(make_order(by=salesperson, customer=customer, lines=1), salesperson=salesperson,
                    manager=sales_manager)
    line = order.lines.get()
    response = api(sales_manager).delete(f"/api/v1/orders/{order.pk}/lines/{line.pk}/?version={order.version}")
    assert response.status_code == 400
    assert list(response.json()["errors"]) == ["line"]
    assert order.lines.count() == 1


def test_shipped_order_cannot_be_edited(api, sales_manager, salesperson, order):
    order = confirm(order, salesperson=salesperson, manager=sales_manager)
    for name in ["start_production", "mark_ready", "ship"]:
        order_apply_transition(order=order, name=name, by=sales_manager)
    order.refresh_from_db()
    response = api(sales_manager).patch(f"/api/v1/orders/{order.pk}/", {"customer_po": "late",
                                                                        "version": order.version}, format="json")
    assert response.status_code == 400
    assert list(response.json()["errors"]) == ["status"]
    assert SalesOrder.objects.get(pk=order.pk).customer_po == "PO-ALPHA"


# ---------------------------------------------------------------- transitions


def test_order_walks_its_life_through_the_api(api, salesperson, sales_manager, finance, order):
    steps = [
        (salesperson, "submit", {}, "under_review"),
        (sales_manager, "confirm", {}, "confirmed"),
        (sales_manager, "start-production", {}, "in_production"),
        (sales_manager, "mark-ready", {}, "ready_to_ship"),
        (sales_manager, "ship-partially", {}, "partially_shipped"),
        (sales_manager, "ship", {}, "shipped"),
        (finance, "complete", {}, "completed"),
    ]
    for user, path, payload, status in steps:
        response = api(user).post(f"/api/v1/orders/{order.pk}/{path}/", payload, format="json")
        assert response.status_code == 200, (path, response.content)
        assert response.json()["status"] == status
        assert SalesOrder.objects.get(pk=order.pk).status == status
    assert response.json()["available_transitions"] == []
    assert OrderEvent.objects.filter(order=order, kind="status").count() == len(steps)


@pytest.mark.parametrize("name", list(TRANSITIONS))
def test_every_transition_route_from_draft(api, general_manager, customer, name):
    # given a draft (the GM holds every permission); the route either moves it or refuses with 409
    order = make_order(by=general_manager, customer=customer)
    target = TRANSITIONS[name][1]
    response = api(general_manager).post(f"/api/v1/orders/{order.pk}/{name.replace('_', '-')}/",
                                         {"reason": "because"}, format="json")
    order.refresh_from_db()
    if target in ORDER_MOVES[OrderStatus.DRAFT]:
        assert response.status_code == 200
        assert response.json()["status"] == target == order.status
    else:
        assert response.status_code == 409
        assert response.json() == {
            "detail": f"{order.number} cannot move from “Draft” to “{OrderStatus(target).label}”.",
            "code": "invalid_transition",
        }
        assert order.status == OrderStatus.DRAFT


def test_return_to_draft_needs_reason(api, salesperson, sales_manager, order):
    order_apply_transition(order=order, name="submit", by=salesperson)
    client = api(sales_manager)
    refused = client.post(f"/api/v1/orders/{order.pk}/return-to-draft/")
    assert refused.status_code == 400
    assert refused.json()["errors"] == {"reason": ["Say why the order goes back to draft."]}
    assert SalesOrder.objects.get(pk=order.pk).status == OrderStatus.UNDER_REVIEW
    done = client.post(f"/api/v1/orders/{order.pk}/return-to-draft/", {"reason": "Price too low"}, format="json")
    assert done.status_code == 200
    assert done.json()["status"] == "draft"
    assert order.events.filter(kind="status", new_status="draft", note="Price too low").exists()


def test_cancel_keeps_its_reason(api, salesperson, order):
    client = api(salesperson)
    refused = client.post(f"/api/v1/orders/{order.pk}/cancel/", {"reason": "  "}, format="json")
    assert refused.status_code == 400
    assert list(refused.json()["errors"]) == ["reason"]
    done = client.post(f"/api/v1/orders/{order.pk}/cancel/", {"reason": "Customer withdrew"}, format="json")
    assert done.status_code == 200
    assert (done.json()["status"], done.json()["cancel_reason"]) == ("cancelled", "Customer withdrew")
    order.refresh_from_db()
    assert (order.status, order.cancel_reason) == (OrderStatus.CANCELLED, "Customer withdrew")


def test_submit_needs_a_line(api, salesperson, customer):
    empty = make_order(by=salesperson, customer=customer, lines=0)
    response = api(salesperson).post(f"/api/v1/orders/{empty.pk}/submit/")
    assert response.status_code == 400
    assert response.json()["errors"] == {"lines": ["Add at least one line before submitting the order for review."]}
    assert SalesOrder.objects.get(pk=empty.pk).status == OrderStatus.DRAFT


def test_confirm_needs_confirmed_ex_factory(api, salesperson, sales_manager, customer):
    undated = make_order(by=salesperson, customer=customer, confirmed_ex_factory=None)
    order_apply_transition(order=undated, name="submit", by=salesperson)
    response = api(sales_manager).post(f"/api/v1/orders/{undated.pk}/confirm/")
    assert response.status_code == 400
    assert list(response.json()["errors"]) == ["confirmed_ex_factory"]
    assert SalesOrder.objects.get(pk=undated.pk).status == OrderStatus.UNDER_REVIEW


def test_available_transitions_depend_on_the_user(api, salesperson, sales_manager, order):
    order_apply_transition(order=order, name="submit", by=salesperson)
    assert api(salesperson).get(f"/api/v1/orders/{order.pk}/").json()["available_transitions"] == ["cancel"]
    assert api(sales_manager).get(f"/api/v1/orders/{order.pk}/").json()["available_transitions"] == [
        "return_to_draft", "confirm", "cancel"]


# ---------------------------------------------------------------- list filters


@pytest.fixture
def three_orders(salesperson, customer):
    """Two of Sally's customer (one submitted), one of another of her customers with a special product."""
    draft = make_order(by=salesperson, customer=customer, customer_po="PO-RED", order_date=date(2026, 9, 1))
    submitted = make_order(by=salesperson, customer=customer, customer_po="PO-BLUE", order_date=date(2026, 10, 1))
    order_apply_transition(order=submitted, name="submit", by=salesperson)
    second = CustomerFactory(owner=salesperson, name_en="Fjord Trading AS", country="NO")
    special = make_order(by=salesperson, customer=second, customer_po="PO-GREEN", order_date=date(2026, 11, 1),
                         lines=0)
    special_product = ProductFactory(code="HINGE-XL-9")
    order_line_add(order=special, by=salesperson, version=special.version,
                   line=LineInput(product=special_product, quantity=Decimal("1"), unit_price=Decimal("1")))
    return draft, submitted, special


def numbers(response) -> list[str]:
    assert response.status_code == 200, response.content
    return [row["number"] for row in response.json()["results"]]


def test_order_list_filters(api, salesperson, customer, three_orders, other_order):
    draft, submitted, special = three_orders
    client = api(salesperson)
    assert numbers(client.get("/api/v1/orders/")) == [special.number, submitted.number, draft.number]
    assert numbers(client.get("/api/v1/orders/?status=draft")) == [special.number, draft.number]
    assert numbers(client.get("/api/v1/orders/?status=under_review")) == [submitted.number]
    assert numbers(client.get("/api/v1/orders/?status=draft&status=under_review")) == [
        special.number, submitted.number, draft.number]
    assert numbers(client.get(f"/api/v1/orders/?customer={customer.pk}")) == [submitted.number, draft.number]
    assert numbers(client.get("/api/v1/orders/?q=po-blue")) == [submitted.number]
    assert numbers(client.get("/api/v1/orders/?q=fjord")) == [special.number]
    assert numbers(client.get("/api/v1/orders/?q=HINGE-XL")) == [special.number]
    assert numbers(client.get(f"/api/v1/orders/?q={draft.number}")) == [draft.number]
    assert numbers(client.get("/api/v1/orders/?order_date_from=2026-09-15&order_date_to=2026-10-15")) == [
        submitted.number]
    assert numbers(client.get("/api/v1/orders/?ordering=number")) == [draft.number, submitted.number, special.number]
    # another salesperson's order does not appear whatever the filter says
    assert numbers(client.get("/api/v1/orders/?q=PO-BETA")) == []
    # filtering by a customer one may not see is refused like an unknown one, naming the field
    refused = client.get(f"/api/v1/orders/?customer={other_order.customer_id}")
    assert refused.status_code == 400 and "customer" in refused.json()["errors"]


def test_order_list_pages(api, salesperson, three_orders):
    response = api(salesperson).get("/api/v1/orders/?page_size=2&ordering=number")
    body = response.json()
    assert body["count"] == 3 and len(body["results"]) == 2 and body["next"]
    second = api(salesperson).get("/api/v1/orders/?page_size=2&ordering=number&page=2").json()
    assert [row["number"] for row in second["results"]] == [three_orders[2].number]


def test_bad_filter_value_is_named(api, salesperson, three_orders):
    response = api(salesperson).get("/api/v1/orders/?status=lost&order_date_from=yesterday")
    assert response.status_code == 400
    assert set(response.json()["errors"]) == {"status", "order_date_from"}


def test_order_list_queries_do_not_grow_with_orders(api, salesperson, customer, django_assert_max_num_queries):
    client = api(salesperson)
    for _ in range(2):
        make_order(by=salesperson, customer=customer)
    with django_assert_max_num_queries(12) as few:
        assert len(client.get("/api/v1/orders/").json()["results"]) == 2
    for _ in range(6):
        make_order(by=salesperson, customer=customer)
    with django_assert_max_num_queries(len(few.captured_queries)):
        assert len(client.get("/api/v1/orders/").json()["results"]) == 8
