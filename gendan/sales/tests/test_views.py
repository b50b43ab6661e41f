from datetime import date
from decimal import Decimal
from io import BytesIO

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from gendan.catalog.tests.factories import ProductFactory
from gendan.parties.tests.factories import CustomerFactory
from gendan.sales.choices import OrderStatus
from gendan.sales.models import SalesOrder
from gendan.sales.services import order_confirm, order_submit
from gendan.sales.tests.factories import make_order

pytestmark = pytest.mark.django_db


@pytest.fixture
def customer(salesperson, merchandiser):
    return CustomerFactory(owner=salesperson, merchandiser=merchandiser, code="ACME")


@pytest.fixture
def order(salesperson, customer):
    return make_order(by=salesperson, customer=customer, customer_po="PO-1")


def login(client, user):
    client.force_login(user)
    return client


# ---------------------------------------------------------------- who sees what

@pytest.mark.parametrize("who,status", [
    ("salesperson", 200), ("merchandiser", 200), ("sales_manager", 200), ("general_manager", 200),
    ("administrator", 200), ("finance", 200),
    ("other_salesperson", 404), ("other_merchandiser", 404), ("engineer", 404), ("warehouse", 404),
])
def test_order_page_visibility(request, client, order, who, status):
    # a draft is seen by its people and managers; other departments see orders once confirmed
    user = request.getfixturevalue(who)
    response = login(client, user).get(reverse("sales:order_detail", args=[order.pk]))
    assert response.status_code == status


def test_confirmed_order_visible_to_departments(client, order, salesperson, sales_manager, warehouse):
    order_submit(order=order, by=salesperson)
    order_confirm(order=order, by=sales_manager)
    response = login(client, warehouse).get(reverse("sales:order_detail", args=[order.pk]))
    assert response.status_code == 200
    assert b"transition-start_production" in response.content  # warehouse may move it on
    assert b"edit-order" not in response.content  # but not edit it


def test_order_list_shows_only_visible_orders(client, order, other_salesperson):
    theirs = make_order(by=other_salesperson, customer=CustomerFactory(owner=other_salesperson), customer_po="PO-2")
    content = login(client, other_salesperson).get(reverse("sales:order_list")).content.decode()
    assert theirs.number in content
    assert order.number not in content


@pytest.mark.parametrize("who,status", [("finance", 403), ("other_salesperson", 404), ("salesperson", 200)])
def test_order_edit_page_permissions(request, client, order, who, status):
    user = request.getfixturevalue(who)
    assert login(client, user).get(reverse("sales:order_edit", args=[order.pk])).status_code == status


@pytest.mark.parametrize("who,status", [("warehouse", 403), ("finance", 403), ("salesperson", 200)])
def test_new_order_page_permissions(request, client, who, status):
    user = request.getfixturevalue(who)
    assert login(client, user).get(reverse("sales:order_create")).status_code == status


def test_anonymous_is_sent_to_login(client, order):
    response = client.get(reverse("sales:order_detail", args=[order.pk]))
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


# ---------------------------------------------------------------- creating and editing

def test_create_order_then_add_lines_and_submit(client, salesperson, customer):
    login(client, salesperson)
    response = client.post(reverse("sales:order_create"), {
        "customer": customer.pk, "customer_po": "PO-9", "order_date": "2026-11-20", "incoterm": "FOB",
        "incoterm_place": "Ningbo", "currency": "usd", "deposit_percent": "30", "balance_condition": "against_copy_bl",
        "balance_days": "0", "salesperson": salesperson.pk, "followup_depth": "payment", "transport_mode": "sea",
    })
    order = SalesOrder.objects.get(customer_po="PO-9")
    assert response.status_code == 302 and response["Location"] == order.get_absolute_url()
    assert order.currency == "USD" and order.number.startswith("SO-2026-")
    for product, quantity, price in [(ProductFactory(), "500", "1.105"), (ProductFactory(), "48", "2.50")]:
        order.refresh_from_db()
        response = client.post(reverse("sales:line_add", args=[order.pk]), {
            "version": order.version, "product": product.pk, "quantity": quantity, "unit_price": price,
        })
        assert response.status_code == 302
    order.refresh_from_db()
    assert order.total_amount == Decimal("672.50")  # 552.50 + 120.00
    client.post(reverse("sales:order_transition", args=[order.pk, "submit"]))
    order.refresh_from_db()
    assert order.status == OrderStatus.UNDER_REVIEW


def test_create_order_errors_name_the_field(client, salesperson, customer):
    login(client, salesperson)
    response = client.post(reverse("sales:order_create"), {
        "customer": customer.pk, "order_date": "2026-11-20", "requested_ex_factory": "2026-11-01",
        "incoterm": "FOB", "incoterm_place": "", "currency": "XYZ", "deposit_percent": "130",
        "balance_condition": "against_copy_bl", "balance_days": "0", "salesperson": salesperson.pk,
        "followup_depth": "payment", "transport_mode": "sea",
    })
    assert response.status_code == 200
    errors = response.context["form"].errors
    assert {"incoterm_place", "currency", "deposit_percent"} <= set(errors)
    assert not SalesOrder.objects.exists()


def test_service_rule_errors_show_on_the_form(client, salesperson, customer):
    login(client, salesperson)
    response = client.post(reverse("sales:order_create"), {
        "customer": customer.pk, "order_date": "2026-11-20", "requested_ex_factory": "2026-11-01",
        "incoterm": "FOB", "incoterm_place": "Ningbo", "currency": "USD", "deposit_percent": "30",
        "balance_condition": "against_copy_bl", "balance_days": "0", "salesperson": salesperson.pk,
        "followup_depth": "payment", "transport_mode": "sea",
    })
    assert "requested_ex_factory" in response.context["form"].errors
    assert not SalesOrder.objects.exists()


def test_line_edit_htmx_returns_row_and_new_totals(client, salesperson, sales_manager, order):
    order_submit(order=order, by=salesperson)
    order_confirm(order=order, by=sales_manager)
    order.refresh_from_db()
    line = order.lines.order_by("position").first()
    response = login(client, salesperson).post(
        reverse("sales:line_edit", args=[order.pk, line.pk]),
        {"version": order.version, "product": line.product_id, "quantity": "2000", "unit_price": "1.25",
         "unit": "pcs", "reason": "customer +1000"},
        HTTP_HX_REQUEST="true",
    )
    content = response.content.decode()
    assert response.status_code == 200
    assert f'id="line-{line.pk}"' in content and "2,500.00" in content
    assert 'id="order-totals"' in content and "USD 3,750.00" in content
    order.refresh_from_db()
    assert order.revision == 1 and order.revisions.get(number=1).reason == "customer +1000"


def test_stale_line_edit_is_refused_and_says_so(client, salesperson, merchandiser, order):
    line = order.lines.first()
    stale_version = order.version
    login(client, merchandiser).post(reverse("sales:line_edit", args=[order.pk, line.pk]), {
        "version": stale_version, "product": line.product_id, "quantity": "10", "unit_price": "1"})
    response = login(client, salesperson).post(reverse("sales:line_edit", args=[order.pk, line.pk]), {
        "version": stale_version, "product": line.product_id, "quantity": "99", "unit_price": "1"})
    assert 'data-testid="line-errors"' in response.content.decode()
    line.refresh_from_db()
    assert line.quantity == Decimal("10")


def test_salesperson_cannot_confirm_through_the_ui(client, salesperson, order):
    order_submit(order=order, by=salesperson)
    login(client, salesperson).post(reverse("sales:order_transition", args=[order.pk, "confirm"]))
    order.refresh_from_db()
    assert order.status == OrderStatus.UNDER_REVIEW


def test_cancel_without_reason_is_refused(client, salesperson, order):
    login(client, salesperson).post(reverse("sales:order_transition", args=[order.pk, "cancel"]), {"reason": ""})
    order.refresh_from_db()
    assert order.status == OrderStatus.DRAFT


def test_revision_page_shows_the_order_as_it_was(client, salesperson, sales_manager, order):
    order_submit(order=order, by=salesperson)
    order_confirm(order=order, by=sales_manager)
    login(client, salesperson)
    assert client.get(reverse("sales:revision_detail", args=[order.pk, 0])).status_code == 404  # not changed yet
    line = order.lines.order_by("position").first()
    client.post(reverse("sales:line_edit", args=[order.pk, line.pk]), {
        "version": order.version, "product": line.product_id, "quantity": "777", "unit_price": "1.25"})
    as_confirmed = client.get(reverse("sales:revision_detail", args=[order.pk, 0])).content.decode()
    assert line.product.code in as_confirmed and "1,000" in as_confirmed and "777" not in as_confirmed
    assert "777" in client.get(reverse("sales:revision_detail", args=[order.pk, 1])).content.decode()


def test_revision_page_reads_like_the_order_page(client, salesperson, sales_manager, order):
    """Amounts grouped with the currency's decimals, yes/no instead of True/False, labels instead of codes."""
    order_submit(order=order, by=salesperson)
    order_confirm(order=order, by=sales_manager)
    line = order.lines.order_by("position").first()
    login(client, salesperson).post(reverse("sales:line_edit", args=[order.pk, line.pk]), {
        "version": order.version, "product": line.product_id, "quantity": "12000", "unit_price": "1.25",
        "reason": "PO amendment"})
    page = client.get(reverse("sales:revision_detail", args=[order.pk, 1]))
    html = page.content.decode()
    order.refresh_from_db()
    total = page.context["total_amount"]
    assert f"{order.currency} {Decimal(total):,.2f}" in html and Decimal(total) >= 1000 and f">{total}<" not in html
    assert "15,000.00" in html and "12,000" in html  # the line: amount, quantity
    shown = [str(value) for _label, value in page.context["header"]]
    assert not {"True", "False"} & set(shown)
    assert order.get_status_display() in shown and order.status not in shown
    old, new = page.context["changes"][0][2:]
    assert (str(old), str(new)) == (f"{line.quantity.normalize():,f}", "12,000")


# ---------------------------------------------------------------- lists: search, filters, export

def test_search_by_customer_po_and_product(client, sales_manager, order, salesperson, customer):
    other = make_order(by=salesperson, customer=customer, customer_po="XYZ-77")
    login(client, sales_manager)
    content = client.get(reverse("sales:order_list"), {"q": "XYZ-77"}).content.decode()
    assert other.number in content and order.number not in content
    code = order.lines.first().product.code
    content = client.get(reverse("sales:order_list"), {"q": code}).content.decode()
    assert order.number in content and other.number not in content


def test_export_respects_filters_and_visibility(client, sales_manager, salesperson, customer, order):
    make_order(by=salesperson, customer=customer, order_date=date(2026, 1, 5))
    response = login(client, sales_manager).get(
        reverse("sales:order_list"), {"order_date_from": "2026-06-01", "export": "xlsx"})
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    rows = list(load_workbook(BytesIO(response.content)).active.iter_rows(values_only=True))
    assert len(rows) == 2  # header + the November order only
    assert rows[1][0] == order.number


def test_selects_say_what_their_empty_choice_means(client, salesperson, customer, order):
    """Django's "---------" says nothing: a required choice asks to choose, an optional one offers none."""
    new = login(client, salesperson).get(reverse("sales:order_create")).content.decode()
    edit = client.get(reverse("sales:order_edit", args=[order.pk])).content.decode()
    for page in (new, edit):
        assert "---------" not in page
    assert '<option value="" selected>请选择…</option>' in new  # the customer
    assert '<option value="">无</option>' in edit  # no payment term
