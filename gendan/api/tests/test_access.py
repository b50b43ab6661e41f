"""The role matrix through the API: who may see and change what (same rules as the web pages)."""

from datetime import date

import pytest

from gendan.accounts.roles import Role
from gendan.catalog.tests.factories import ProductFactory
from gendan.parties.models import Customer
from gendan.parties.tests.factories import CustomerFactory
from gendan.sales.choices import OrderStatus
from gendan.sales.models import SalesOrder
from gendan.sales.services import order_apply_transition
from gendan.sales.tests.factories import make_order

pytestmark = pytest.mark.django_db


def ids(response) -> set[int]:
    assert response.status_code == 200, response.content
    return {row["id"] for row in response.json()["results"]}


def new_order_payload(customer, product) -> dict:
    return {"customer": customer.pk, "incoterm_place": "Shanghai",
            "lines": [{"product": product.pk, "quantity": "10", "unit_price": "2.5"}]}


# ---------------------------------------------------------------- salesperson


def test_salesperson_sees_only_own_customers_and_their_orders(api, salesperson, customer, other_customer, order,
                                                              other_order):
    client = api(salesperson)
    assert ids(client.get("/api/v1/customers/")) == {customer.pk}
    assert ids(client.get("/api/v1/orders/")) == {order.pk}
    assert client.get(f"/api/v1/customers/{customer.pk}/").status_code == 200
    assert client.get(f"/api/v1/orders/{order.pk}/").status_code == 200


def test_other_salespersons_records_are_404(api, other_salesperson, customer, order):
    client = api(other_salesperson)
    for url in [f"/api/v1/customers/{customer.pk}/", f"/api/v1/orders/{order.pk}/",
                f"/api/v1/orders/{order.pk}/revisions/"]:
        response = client.get(url)
        assert response.status_code == 404, url
        assert response.json() == {"detail": "Not found.", "code": "not_found"}


def test_other_salesperson_cannot_change_or_move_an_order_they_cannot_see(api, other_salesperson, customer, order):
    client = api(other_salesperson)
    line = order.lines.first()
    attempts = [
        client.patch(f"/api/v1/customers/{customer.pk}/", {"name_en": "Hijacked", "version": 0}, format="json"),
        client.patch(f"/api/v1/orders/{order.pk}/", {"customer_po": "X", "version": 0}, format="json"),
        client.post(f"/api/v1/orders/{order.pk}/submit/"),
        client.post(f"/api/v1/orders/{order.pk}/cancel/", {"reason": "mine now"}, format="json"),
        client.patch(f"/api/v1/orders/{order.pk}/lines/{line.pk}/", {"quantity": "1", "version": 0}, format="json"),
        client.delete(f"/api/v1/orders/{order.pk}/lines/{line.pk}/?version=0"),
        client.post(f"/api/v1/customers/{customer.pk}/contacts/", {"name": "Spy"}, format="json"),
    ]
    assert [r.status_code for r in attempts] == [404] * len(attempts)
    customer.refresh_from_db()
    order.refresh_from_db()
    assert customer.name_en != "Hijacked" and not customer.contacts.exists()
    assert (order.customer_po, order.status, order.version, order.lines.count()) == ("PO-ALPHA", "draft", 0, 2)


def test_salesperson_cannot_order_for_a_customer_they_cannot_see(api, salesperson, other_customer):
    response = api(salesperson).post("/api/v1/orders/", new_order_payload(other_customer, ProductFactory()),
                                     format="json")
    assert response.status_code == 400
    assert list(response.json()["errors"]) == ["customer"]
    assert not SalesOrder.objects.exists()


def test_salespersons_new_customer_is_their_own(api, salesperson, other_salesperson):
    response = api(salesperson).post("/api/v1/customers/", {
        "code": "NEW-DE", "name_en": "Neu GmbH", "country": "DE", "currency": "EUR", "owner": other_salesperson.pk,
    }, format="json")
    assert response.status_code == 201, response.content
    assert Customer.objects.get(code="NEW-DE").owner == salesperson
    assert response.json()["owner"] == salesperson.pk


def test_salesperson_cannot_confirm_own_order(api, salesperson, order):
    client = api(salesperson)
    submitted = client.post(f"/api/v1/orders/{order.pk}/submit/")
    assert submitted.status_code == 200
    assert submitted.json()["status"] == "under_review"
    assert "confirm" not in submitted.json()["available_transitions"]

    response = client.post(f"/api/v1/orders/{order.pk}/confirm/")
    assert response.status_code == 403
    assert response.json() == {"detail": "You do not have permission to do this.", "code": "permission_denied"}
    order.refresh_from_db()
    assert order.status == OrderStatus.UNDER_REVIEW


# ---------------------------------------------------------------- merchandiser


def test_merchandiser_sees_orders_assigned_to_them(api, merchandiser, salesperson, customer, order, other_order):
    # Mei looks after Sally's customer (so its order) and was assigned one order of another customer
    assigned = make_order(by=salesperson, customer=CustomerFactory(owner=salesperson), merchandiser=merchandiser)
    client = api(merchandiser)
    assert ids(client.get("/api/v1/orders/")) == {order.pk, assigned.pk}
    assert client.get(f"/api/v1/orders/{assigned.pk}/").status_code == 200
    assert client.get(f"/api/v1/orders/{other_order.pk}/").status_code == 404


def test_merchandiser_moves_production_but_cannot_confirm(api, merchandiser, salesperson, sales_manager, order):
    order_apply_transition(order=order, name="submit", by=salesperson)
    client = api(merchandiser)
    assert client.post(f"/api/v1/orders/{order.pk}/confirm/").status_code == 403
    order_apply_transition(order=order, name="confirm", by=sales_manager)
    response = client.post(f"/api/v1/orders/{order.pk}/start-production/")
    assert response.status_code == 200
    assert response.json()["status"] == "in_production"
    order.refresh_from_db()
    assert order.status == OrderStatus.IN_PRODUCTION


# ---------------------------------------------------------------- managers and departments


@pytest.mark.parametrize("role", ["sales_manager", "general_manager", "administrator", "finance"])
def test_managers_and_finance_see_everything(request, api, role, customer, other_customer, order, other_order):
    client = api(request.getfixturevalue(role))
    assert ids(client.get("/api/v1/orders/")) == {order.pk, other_order.pk}
    assert ids(client.get("/api/v1/customers/")) == {customer.pk, other_customer.pk}


@pytest.mark.parametrize("role", ["sales_manager", "general_manager", "administrator"])
def test_managers_edit_anyones_order(request, api, role, order):
    response = api(request.getfixturevalue(role)).patch(
        f"/api/v1/orders/{order.pk}/", {"customer_po": "PO-MGR", "version": order.version}, format="json")
    assert response.status_code == 200, response.content
    order.refresh_from_db()
    assert order.customer_po == "PO-MGR"


def test_finance_reads_but_cannot_edit(api, finance, customer, order, salesperson):
    client = api(finance)
    assert client.get(f"/api/v1/orders/{order.pk}/").json()["available_transitions"] == []
    line = order.lines.first()
    refused = [
        client.patch(f"/api/v1/orders/{order.pk}/", {"customer_po": "FIN", "version": 0}, format="json"),
        client.post(f"/api/v1/orders/{order.pk}/lines/", {"product": line.product_id, "quantity": "1",
                                                          "unit_price": "1", "version": 0}, format="json"),
        client.patch(f"/api/v1/orders/{order.pk}/lines/{line.pk}/", {"quantity": "5", "version": 0}, format="json"),
        client.post(f"/api/v1/orders/{order.pk}/submit/"),
        client.patch(f"/api/v1/customers/{customer.pk}/", {"credit_limit": "1", "version": 0}, format="json"),
        client.post(f"/api/v1/customers/{customer.pk}/contacts/", {"name": "Fin"}, format="json"),
        client.post("/api/v1/orders/", new_order_payload(customer, line.product), format="json"),
        client.post("/api/v1/customers/", {"code": "FIN", "name_en": "F", "country": "US"}, format="json"),
    ]
    assert [r.status_code for r in refused] == [403] * len(refused)
    order.refresh_from_db()
    customer.refresh_from_db()
    assert (order.customer_po, order.status, order.version, order.lines.count()) == ("PO-ALPHA", "draft", 0, 2)
    assert customer.credit_limit == 0 and not customer.contacts.exists()
    assert SalesOrder.objects.count() == 1 and Customer.objects.count() == 1


def test_warehouse_cannot_create_orders(api, warehouse, customer):
    response = api(warehouse).post("/api/v1/orders/", new_order_payload(customer, ProductFactory()), format="json")
    assert response.status_code == 403
    assert response.json()["code"] == "permission_denied"
    assert not SalesOrder.objects.exists()


def test_warehouse_sees_confirmed_orders_not_drafts(api, warehouse, salesperson, sales_manager, customer, order):
    confirmed = make_order(by=salesperson, customer=customer, order_date=date(2026, 10, 1))
    for name, by in [("submit", salesperson), ("confirm", sales_manager), ("start_production", sales_manager),
                     ("mark_ready", sales_manager)]:
        order_apply_transition(order=confirmed, name=name, by=by)
    client = api(warehouse)
    assert ids(client.get("/api/v1/orders/")) == {confirmed.pk}
    assert client.get(f"/api/v1/orders/{order.pk}/").status_code == 404
    assert client.get(f"/api/v1/orders/{confirmed.pk}/").json()["available_transitions"] == [
        "ship_partially", "ship"]
    assert client.post(f"/api/v1/orders/{confirmed.pk}/ship/").status_code == 200
    confirmed.refresh_from_db()
    assert confirmed.status == OrderStatus.SHIPPED


def test_warehouse_cannot_cancel(api, warehouse, salesperson, sales_manager, customer):
    confirmed = make_order(by=salesperson, customer=customer)
    for name, by in [("submit", salesperson), ("confirm", sales_manager)]:
        order_apply_transition(order=confirmed, name=name, by=by)
    response = api(warehouse).post(f"/api/v1/orders/{confirmed.pk}/cancel/", {"reason": "no"}, format="json")
    assert response.status_code == 403
    confirmed.refresh_from_db()
    assert confirmed.status == OrderStatus.CONFIRMED and confirmed.cancel_reason == ""


def test_engineer_sees_products_but_no_customers(api, engineer, customer):
    product = ProductFactory()
    client = api(engineer)
    assert ids(client.get("/api/v1/products/")) == {product.pk}
    assert ids(client.get("/api/v1/customers/")) == set()
    assert client.get(f"/api/v1/customers/{customer.pk}/").status_code == 404


def test_supplier_writes_need_purchasing_or_management(api, make_user, salesperson):
    buyer = make_user(Role.PURCHASING, username="pat")
    payload = {"code": "SUP-1", "name_zh": "宁波五金厂", "kind": "subcontractor"}
    refused = api(salesperson).post("/api/v1/suppliers/", payload, format="json")
    assert refused.status_code == 403
    created = api(buyer).post("/api/v1/suppliers/", payload, format="json")
    assert created.status_code == 201, created.content
    assert created.json()["kind"] == "subcontractor" and created.json()["version"] == 0
    assert api(salesperson).get(f"/api/v1/suppliers/{created.json()['id']}/").status_code == 200


def test_merchandiser_handing_an_order_over_sees_the_result_once(api, merchandiser, other_merchandiser, order):
    response = api(merchandiser).patch(f"/api/v1/orders/{order.pk}/", {
        "merchandiser": other_merchandiser.pk, "version": 0}, format="json")
    assert response.status_code == 200, response.content
    assert response.json()["merchandiser"] == other_merchandiser.pk
    order.refresh_from_db()
    assert order.merchandiser == other_merchandiser
    assert api(merchandiser).get(f"/api/v1/orders/{order.pk}/").status_code == 404
    assert api(other_merchandiser).get(f"/api/v1/orders/{order.pk}/").status_code == 200
