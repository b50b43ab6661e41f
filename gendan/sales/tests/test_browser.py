"""A salesperson, working in Chinese, creates a customer and a two-line order and submits it for review, and
moves a confirmed order's ex-factory date — in a real Chromium driven by Playwright against a live server."""

import re
from datetime import date
from decimal import Decimal

import pytest
from playwright.sync_api import expect

from gendan.accounts.tests.factories import PASSWORD
from gendan.catalog.tests.factories import ProductFactory
from gendan.followup.models import Plan
from gendan.followup.tests.factories import confirmed_order
from gendan.parties.models import PaymentTerm
from gendan.sales.models import SalesOrder

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _opens(dropdown) -> bool:
    try:
        expect(dropdown).to_be_visible(timeout=2000)
    except AssertionError:
        return False
    return True


def choose(page, select_id: str, text: str) -> None:
    """Pick an option in a Tom Select searchable select, as a user does: click, type, Enter."""
    control = page.locator(f".ts-wrapper:has(#{select_id}-ts-control) .ts-control")
    dropdown = page.locator(f"#{select_id}-ts-dropdown")
    control.click()
    page.keyboard.type(text)
    if not _opens(dropdown):  # the select chosen just before may still be closing its own list: click again
        control.click()
        expect(dropdown).to_be_visible()
    dropdown.locator(".option", has_text=text).first.click()
    expect(page.locator(f"#{select_id}")).not_to_have_value("")  # the choice reached the real <select>


def test_salesperson_creates_customer_and_order_in_chinese(page, live_server, salesperson, merchandiser):
    PaymentTerm.objects.create(name="T/T 30/70", deposit_percent=30, balance_condition="against_copy_bl")
    hinge = ProductFactory(code="HG-201", name_en="Brass hinge", units_per_carton=50)
    handle = ProductFactory(code="HD-330", name_en="Zinc handle", units_per_carton=200)

    page.goto(f"{live_server.url}/accounts/login/")
    expect(page.locator("html")).to_have_attribute("lang", "zh-hans")
    page.fill("#id_username", salesperson.username)
    page.fill("#id_password", PASSWORD)
    page.click("[data-testid=login]")
    expect(page.locator("aside")).to_contain_text("销售订单")

    # a new customer
    page.goto(f"{live_server.url}/customers/new/")
    page.fill("#id_code", "NORD-SE")
    page.fill("#id_name_en", "Nordhem Interiör AB")
    page.fill("#id_name_zh", "北欧家居")
    choose(page, "id_country", "Sweden" if page.locator("html[lang=en]").count() else "瑞典")
    page.fill("#id_currency", "eur")
    page.select_option("#id_incoterm", "CIF")
    page.fill("#id_incoterm_place", "Gothenburg")
    page.select_option("#id_merchandiser", str(merchandiser.pk))
    page.fill("#id_contacts-0-name", "Anna Lind")
    page.fill("#id_contacts-0-email", "anna@nordhem.se")
    page.click("[data-testid=save]")
    expect(page.locator(".page-title")).to_contain_text("Nordhem")

    # an order for it, with two lines
    page.get_by_role("link", name=re.compile("新订单")).click()
    expect(page.locator("#id_currency")).to_have_value("EUR")  # filled from the customer
    page.fill("#id_customer_po", "NH-2026-118")
    page.fill("#id_confirmed_ex_factory", "2027-01-20")
    page.click("[data-testid=save-order]")
    expect(page.locator(".page-title")).to_contain_text("SO-")

    for product, quantity, price in [(hinge, "1000", "0.8550"), (handle, "2400", "0.3125")]:
        choose(page, "id_product", product.code)
        page.fill("#id_quantity", quantity)
        page.fill("#id_unit_price", price)
        page.click("[data-testid=add-line]")
        page.wait_for_load_state()
        errors = page.locator("[data-testid=add-line-form] .invalid-feedback, [data-testid=add-line-form] .text-danger")
        assert not errors.all_inner_texts(), errors.all_inner_texts()
        expect(page.locator("[data-testid=lines]")).to_contain_text(product.code)

    expect(page.locator("#order-totals [data-testid=order-total]")).to_have_text("1,605.00")
    page.click("[data-testid=transition-submit]")
    expect(page.locator(".page-title [data-status]")).to_have_attribute("data-status", "under_review")

    # it is in the order list, with the right total
    page.get_by_role("link", name="销售订单").click()
    order = SalesOrder.objects.get(customer_po="NH-2026-118")
    row = page.locator(f"tr[data-order='{order.number}']")
    expect(row.locator("[data-testid=order-total]")).to_have_text("EUR 1,605.00")
    expect(row).to_contain_text("审核中")
    assert order.total_amount == Decimal("1605.00")  # 855.00 + 750.00
    assert order.status == "under_review" and order.lines.count() == 2


def test_salesperson_moves_a_confirmed_orders_ex_factory_date(page, live_server, salesperson, sales_manager,
                                                              merchandiser):
    order = confirmed_order(salesperson=salesperson, manager=sales_manager, merchandiser=merchandiser,
                            confirm_on=date(2026, 9, 28), ex_factory=date(2026, 11, 20))
    page.goto(f"{live_server.url}/accounts/login/")
    page.fill("#id_username", salesperson.username)
    page.fill("#id_password", PASSWORD)
    page.click("[data-testid=login]")

    page.goto(f"{live_server.url}{order.get_absolute_url()}")
    page.click("[data-testid=edit-order]")
    page.fill("#id_confirmed_ex_factory", "2026-12-04")
    page.fill("#id_reason", "customer asked for two weeks more")
    page.click("[data-testid=save-order]")
    expect(page.locator(".alert-success")).to_be_visible()

    order.refresh_from_db()
    assert order.confirmed_ex_factory == date(2026, 12, 4) and order.revision == 1
    revision = order.revisions.get(number=1)
    assert revision.reason == "customer asked for two weeks more" and revision.created_by == salesperson
    assert order.history.first().history_user == salesperson
    assert Plan.objects.get(order=order).ex_factory == date(2026, 12, 4)
