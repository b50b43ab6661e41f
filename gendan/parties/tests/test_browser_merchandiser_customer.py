"""A merchandiser builds the customer's file for a salesperson (seed 001: 建立详细的客户信息档案; issue 14,
finding 9: she got a 403), clicked at 1366 and 390 px: she chooses the salesperson, keeps the file herself,
and the database holds exactly that, with its history row. The warehouse may not."""

import pytest
from playwright.sync_api import expect

from gendan.followup.tests.test_browser_actions import log_in
from gendan.parties.models import Customer
from gendan.sales.tests.test_browser import choose

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.mark.parametrize("width", [1366, 390])
def test_merchandiser_creates_a_customer_for_a_salesperson(page, live_server, merchandiser, salesperson, width):
    problems = log_in(page, live_server, merchandiser, width)
    page.goto(f"{live_server.url}/customers/")
    page.click("[data-testid=new-customer]")
    page.fill("#id_code", "NORD-SE")
    page.fill("#id_name_en", "Nordhem Interiör AB")
    page.fill("#id_name_zh", "北欧家居")
    choose(page, "id_country", "瑞典")
    page.fill("#id_currency", "eur")
    page.fill("#id_incoterm_place", "Ningbo")
    page.select_option("#id_owner", str(salesperson.pk))
    expect(page.locator("#id_merchandiser")).to_have_count(0)  # she keeps the file herself
    page.fill("#id_contacts-0-name", "Anna Lind")
    page.click("[data-testid=save]")
    expect(page.locator(".page-title")).to_contain_text("Nordhem")

    customer = Customer.objects.get(code="NORD-SE")
    assert (customer.owner, customer.merchandiser, customer.currency) == (salesperson, merchandiser, "EUR")
    created = customer.history.get()
    assert (created.history_type, created.history_user) == ("+", merchandiser)
    assert list(customer.contacts.values_list("name", flat=True)) == ["Anna Lind"]
    expect(page.locator("[data-testid=edit-customer]")).to_be_visible()  # and she may keep it up to date
    assert not problems, problems


def test_the_warehouse_may_not_create_customers(page, live_server, warehouse):
    log_in(page, live_server, warehouse, 390)
    assert page.goto(f"{live_server.url}/customers/new/").status == 403
    expect(page.locator("[data-testid=error-page]")).to_be_visible()
    assert not Customer.objects.exists()
