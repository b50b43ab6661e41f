"""The new-order form, clicked (issue 14, finding 6): after the customer is chosen the form is swapped in
with the customer's defaults and its widgets (searchable selects, date pickers) still work; choosing another
payment term fills in that term's figures; the order saved carries them, with its history row. A role that
may not open orders gets the app's 403 page."""

from decimal import Decimal

import pytest
from playwright.sync_api import expect

from gendan.followup.tests.test_browser_actions import log_in
from gendan.parties.models import PaymentTerm
from gendan.parties.tests.factories import CustomerFactory
from gendan.sales.models import SalesOrder
from gendan.sales.tests.test_browser import choose

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.mark.parametrize("width", [1366, 390])
def test_salesperson_opens_an_order_with_another_payment_term(page, live_server, salesperson, width):
    advance = PaymentTerm.objects.create(name="100% T/T in advance", deposit_percent=100,
                                         balance_condition="in_advance")
    split = PaymentTerm.objects.create(name="T/T 30/70 against copy B/L", deposit_percent=30,
                                       balance_condition="against_copy_bl")
    customer = CustomerFactory(owner=salesperson, code="NORD-SE", name_en="Nordhem AB", payment_term=advance,
                               currency="EUR", incoterm_place="Ningbo")
    problems = log_in(page, live_server, salesperson, width)
    page.goto(f"{live_server.url}/orders/new/")
    choose(page, "id_customer", "NORD-SE")
    expect(page.locator("#id_currency")).to_have_value("EUR")  # the form came back with the defaults
    expect(page.locator("#id_deposit_percent")).to_have_value("100.00")
    # the swapped-in form's widgets work: a date picker on the dates, a searchable customer select
    expect(page.locator("#id_confirmed_ex_factory.flatpickr-input")).to_have_count(1)
    expect(page.locator(".ts-wrapper:has(#id_customer-ts-control)")).to_have_count(1)

    page.select_option("#id_payment_term", str(split.pk))
    expect(page.locator("#id_deposit_percent")).to_have_value("30.00")
    expect(page.locator("#id_balance_condition")).to_have_value("against_copy_bl")
    page.fill("#id_confirmed_ex_factory", "2027-01-20")
    page.click("[data-testid=save-order]")
    expect(page.locator(".page-title")).to_contain_text("SO-")

    order = SalesOrder.objects.get(customer=customer)
    assert (order.payment_term, order.deposit_percent, order.balance_condition) == (
        split, Decimal(30), "against_copy_bl")
    created = SalesOrder.history.get(id=order.pk)
    assert (created.history_type, created.history_user, created.deposit_percent) == ("+", salesperson, Decimal(30))
    assert not problems, problems


def test_the_warehouse_may_not_open_orders(page, live_server, warehouse):
    log_in(page, live_server, warehouse, 390)
    response = page.goto(f"{live_server.url}/orders/new/")
    assert response.status == 403
    expect(page.locator("[data-testid=error-page]")).to_be_visible()
    assert not SalesOrder.objects.exists()
