"""The API keeps its contract under hostile input: JSON only, no 500s, answers as documented."""

import json
from datetime import date
from decimal import Decimal

import pytest
from django.db import connection

from gendan.catalog.tests.factories import ProductFactory
from gendan.followup.models import Milestone
from gendan.followup.tests.factories import at, confirmed_order
from gendan.sales.models import SalesOrder, SalesOrderLine
from gendan.sales.tests.factories import make_order

pytestmark = pytest.mark.django_db

HUGE = "99999999999"  # 11 digits: a valid quantity, but × a price or ÷ a carton it overflows


@pytest.fixture
def product():
    return ProductFactory(units_per_carton=1)


def order_payload(customer, product, **line):
    return {"customer": customer.pk, "order_date": "2026-11-20",
            "lines": [{"product": product.pk, "quantity": "10", "unit_price": "2.5", **line}]}


# ---------------------------------------------------------------- 3: JSON only


@pytest.mark.parametrize("encoding", ["multipart", "form"])
def test_order_in_form_encodings_is_refused_not_stored_without_lines(api, salesperson, customer, product, encoding):
    client = api(salesperson)
    payload = {"customer": customer.pk, "lines[0]product": product.pk, "lines[0]quantity": "10",
               "lines[0]unit_price": "2.5"}
    if encoding == "form":
        response = client.post("/api/v1/orders/", "&".join(f"{k}={v}" for k, v in payload.items()),
                               content_type="application/x-www-form-urlencoded")
    else:
        response = client.post("/api/v1/orders/", payload, format="multipart")
    assert response.status_code == 415
    assert response.json()["code"] == "unsupported_media_type"
    assert not SalesOrder.objects.exists()


def test_schema_offers_only_json_bodies(api, salesperson):
    schema = api(salesperson).get("/api/v1/openapi.json").json()
    media_types = {media for path in schema["paths"].values() for operation in path.values()
                   if isinstance(operation, dict) for media in operation.get("requestBody", {}).get("content", {})}
    token_types = set(schema["paths"]["/api/v1/auth/token/"]["post"]["requestBody"]["content"])
    assert media_types - token_types == set() and "application/json" in media_types
    order_create = schema["paths"]["/api/v1/orders/"]["post"]["requestBody"]["content"]
    assert list(order_create) == ["application/json"]


# ---------------------------------------------------------------- 11: dates in a plausible window


@pytest.mark.parametrize("field,day", [("order_date", "0001-01-01"), ("order_date", "9999-12-30"),
                                       ("confirmed_ex_factory", "9999-12-30")])
def test_absurd_order_dates_are_refused_naming_the_field(api, salesperson, customer, product, field, day):
    with at(date(2026, 11, 20)):
        response = api(salesperson).post("/api/v1/orders/", {**order_payload(customer, product), field: day})
    assert response.status_code == 400, response.content
    assert list(response.json()["errors"]) == [field]
    assert "2021-11-20" in response.json()["errors"][field][0]  # the window is told
    assert not SalesOrder.objects.exists()


def test_order_dates_within_five_years_are_taken(api, salesperson, customer, product):
    with at(date(2026, 11, 20)):
        response = api(salesperson).post("/api/v1/orders/", {
            **order_payload(customer, product), "confirmed_ex_factory": "2031-11-20"})
    assert response.status_code == 201, response.content


def test_milestone_rescheduled_to_9999_is_a_400_not_a_500(api, salesperson, sales_manager, merchandiser):
    order = confirmed_order(salesperson=salesperson, manager=sales_manager, merchandiser=merchandiser)
    bom = Milestone.objects.get(plan__order=order, code="bom")
    with at(date(2026, 10, 1)):
        response = api(sales_manager).post(f"/api/v1/milestones/{bom.pk}/reschedule/", {
            "version": bom.version, "new_date": "9999-12-30", "reason": "typo"})
    assert response.status_code == 400, response.content
    assert list(response.json()["errors"]) == ["new_date"]
    bom.refresh_from_db()
    assert bom.manual_date is None and not bom.history.filter(history_change_reason="typo").exists()


def test_milestone_done_in_year_1_is_refused(api, salesperson, sales_manager, merchandiser):
    order = confirmed_order(salesperson=salesperson, manager=sales_manager, merchandiser=merchandiser)
    bom = Milestone.objects.get(plan__order=order, code="bom")
    with at(date(2026, 10, 1)):
        response = api(sales_manager).post(f"/api/v1/milestones/{bom.pk}/done/", {
            "version": bom.version, "actual_date": "0001-01-03"})
    assert response.status_code == 400, response.content
    assert list(response.json()["errors"]) == ["actual_date"]
    bom.refresh_from_db()
    assert bom.status == "open" and bom.actual_date is None


# ---------------------------------------------------------------- 18: magnitudes


def test_huge_quantity_on_create_is_a_400_and_stores_nothing(api, salesperson, customer, product):
    response = api(salesperson).post("/api/v1/orders/", order_payload(customer, product, quantity=HUGE,
                                                                      unit_price="1000"))
    assert response.status_code == 400, response.content
    errors = response.json()["errors"]
    assert list(errors) == ["lines.0.quantity"] and "amount" in errors["lines.0.quantity"][0]
    assert not SalesOrder.objects.exists() and not SalesOrderLine.objects.exists()
    assert api(salesperson).get("/api/v1/orders/").status_code == 200


def test_huge_quantity_on_line_add_and_change_is_a_400(api, salesperson, customer, product):
    order = make_order(by=salesperson, customer=customer)
    client = api(salesperson)
    added = client.post(f"/api/v1/orders/{order.pk}/lines/", {
        "version": order.version, "product": product.pk, "quantity": HUGE, "unit_price": "1"})
    assert added.status_code == 400, added.content
    assert list(added.json()["errors"]) == ["quantity"]
    line = order.lines.first()
    changed = client.patch(f"/api/v1/orders/{order.pk}/lines/{line.pk}/", {
        "version": order.version, "quantity": HUGE, "unit_price": "1000"})  # an amount of 10¹⁴
    assert changed.status_code == 400, changed.content
    assert list(changed.json()["errors"]) == ["quantity"]
    order.refresh_from_db()
    line.refresh_from_db()
    assert order.lines.count() == 2 and line.quantity == Decimal("1000") and order.version == 0
    assert line.history.count() == 1  # only its creation: nothing half-saved


def test_header_number_wider_than_int4_is_a_400_on_every_database(api, salesperson, order):
    response = api(salesperson).patch(f"/api/v1/orders/{order.pk}/", {"version": 0, "balance_days": 99999999999})
    assert response.status_code == 400
    assert list(response.json()["errors"]) == ["balance_days"]
    order.refresh_from_db()
    assert order.balance_days == 0 and order.version == 0


def test_many_cartons_that_overflow_the_total_are_named(api, salesperson, customer):
    # each line's cartons fit an int4 column; their sum on the order does not
    product = ProductFactory(units_per_carton=1)
    lines = [{"product": product.pk, "quantity": "2000000000", "unit_price": "0"} for _ in range(2)]
    response = api(salesperson).post("/api/v1/orders/", {"customer": customer.pk, "lines": lines})
    assert response.status_code == 400, response.content
    assert list(response.json()["errors"]) == ["lines"]
    assert not SalesOrder.objects.exists()


def test_order_lists_survive_a_total_too_wide_for_its_column(api, client, salesperson, customer):
    # stored before these checks existed (SQLite keeps any number): the lists must still answer
    order = make_order(by=salesperson, customer=customer)
    with connection.cursor() as cursor:
        cursor.execute(f"UPDATE {SalesOrder._meta.db_table} SET total_amount = %s WHERE id = %s",
                       [Decimal("12345678901234567890.5") if connection.vendor == "sqlite" else Decimal("1"),
                        order.pk])
        cursor.execute(f"UPDATE {SalesOrderLine._meta.db_table} SET amount = %s WHERE order_id = %s",
                       [Decimal("99999999999999999") if connection.vendor == "sqlite" else Decimal("1"), order.pk])
    listed = api(salesperson).get("/api/v1/orders/")
    assert listed.status_code == 200
    assert [row["number"] for row in listed.json()["results"]] == [order.number]
    client.force_login(salesperson)
    assert client.get("/orders/").status_code == 200
    assert client.get(order.get_absolute_url()).status_code == 200


@pytest.mark.parametrize("path", ["/api/v1/orders/", "/api/v1/auth/token/"])
def test_deeply_nested_json_is_a_400(api, salesperson, path):
    body = '{"customer": ' + "[" * 100_000 + "]" * 100_000 + "}"
    response = api(salesperson if "orders" in path else None).post(path, body, content_type="application/json")
    assert response.status_code == 400
    assert response.json()["code"] == "parse_error"


def test_nesting_below_the_recursion_limit_is_refused_too(api, salesperson, customer):
    nested = []
    for _level in range(40):  # deep enough to refuse, far from Python's recursion limit
        nested = [nested]
    body = json.dumps({"customer": customer.pk, "lines": [{"product": 1, "quantity": "1", "unit_price": "1",
                                                              "description": nested}]})
    response = api(salesperson).post("/api/v1/orders/", body, content_type="application/json")
    assert response.status_code == 400 and response.json()["code"] == "parse_error"


# ---------------------------------------------------------------- 19: the OpenAPI document matches the answers


def test_amounts_are_documented_as_decimal_strings(api, salesperson, order):
    client = api(salesperson)
    schema = client.get("/api/v1/openapi.json").json()["components"]["schemas"]
    for component, field in [("Order", "total_amount"), ("OrderLine", "amount"), ("Order", "total_quantity"),
                             ("OrderLine", "unit_price")]:
        assert schema[component]["properties"][field]["type"] == "string", (component, field)
        assert schema[component]["properties"][field]["format"] == "decimal"
    body = client.get(f"/api/v1/orders/{order.pk}/").json()
    assert isinstance(body["total_amount"], str) and isinstance(body["lines"][0]["amount"], str)


def test_nullable_and_constrained_fields_are_documented(api, salesperson):
    schema = api(salesperson).get("/api/v1/openapi.json").json()["components"]["schemas"]
    assert schema["Plan"]["properties"]["risk_cause"]["nullable"] is True
    currency = schema["OrderCreateRequest"]["properties"]["currency"]
    assert currency["pattern"] == "^[A-Z]{3}$" and currency["maxLength"] == 3
    assert {"USD", "CNY", "EUR", "JPY"} <= set(schema["CurrencyEnum"]["enum"]) and "XYZ" not in schema["CurrencyEnum"][
        "enum"]
    quantity = schema["OrderLineInputRequest"]["properties"]["quantity"]
    assert quantity["pattern"] == r"^\d{0,11}(?:\.\d{0,3})?$" and "At least 0.001." in quantity["description"]
    assert schema["CustomerCreateRequest"]["properties"]["currency"]["allOf"] == [
        {"$ref": "#/components/schemas/CurrencyEnum"}]


@pytest.mark.parametrize("path", ["/api/v1/orders/1/lines/abc/", "/api/v1/orders/1.5/", "/api/v1/no-such-thing/",
                                  "/api/v2/orders/"])
def test_unknown_api_paths_answer_json_404(api, salesperson, path):
    response = api(salesperson).get(path)
    assert response.status_code == 404
    assert response["Content-Type"] == "application/json"
    assert response.json() == {"detail": "Not found.", "code": "not_found"}


@pytest.mark.parametrize("page", ["0", "-1", "abc", "99"])
def test_a_page_that_does_not_exist_is_a_400_naming_page(api, salesperson, order, page):
    response = api(salesperson).get(f"/api/v1/orders/?page={page}")
    assert response.status_code == 400
    assert list(response.json()["errors"]) == ["page"]


def test_pages_are_documented_from_one(api, salesperson):
    schema = api(salesperson).get("/api/v1/openapi.json").json()
    parameters = {p["name"]: p["schema"] for p in schema["paths"]["/api/v1/orders/"]["get"]["parameters"]}
    assert parameters["page"]["minimum"] == 1 and parameters["page_size"]["maximum"] == 500


@pytest.mark.parametrize("path,name", [("/api/v1/orders/?status=AAA", "status"),
                                       ("/api/v1/milestones/?status=AAA", "status"),
                                       ("/api/v1/plans/?order=1963957759715831447552", "order"),
                                       ("/api/v1/plans/?order=abc", "order")])
def test_bad_filter_values_are_a_400_naming_the_parameter(api, salesperson, order, path, name):
    response = api(salesperson).get(path)
    assert response.status_code == 400
    assert list(response.json()["errors"]) == [name]
