"""The gate exceptions page: every order let through a money gate, in force, expired or revoked, for finance and
the general manager; the XLSX holds the same rows."""

import io
from datetime import timedelta

import openpyxl
import pytest
from django.utils import timezone
from playwright.sync_api import expect

from gendan.finance.choices import Gate
from gendan.finance.services import gate_exception_grant, gate_exception_revoke
from gendan.followup.tests.factories import confirmed_order
from gendan.followup.tests.test_browser_actions import log_in


def three_exceptions(salesperson, sales_manager, merchandiser, finance):
    today = timezone.localdate()
    orders = [confirmed_order(salesperson=salesperson, manager=sales_manager, merchandiser=merchandiser,
                              confirm_on=today - timedelta(days=5), ex_factory=today + timedelta(days=50))
              for _ in range(3)]
    gate_exception_grant(order=orders[0], gate=Gate.PRODUCTION, by=finance, reason="Deposit slip received")
    expired = gate_exception_grant(order=orders[1], gate=Gate.SHIPMENT, by=finance, reason="L/C on its way",
                                   expires_on=today)
    expired.expires_on = today - timedelta(days=1)  # it ran out yesterday
    expired.save(update_fields=["expires_on"])
    revoked = gate_exception_grant(order=orders[2], gate=Gate.PRODUCTION, by=finance, reason="Trusted customer")
    gate_exception_revoke(exception=revoked, by=finance)
    return orders


@pytest.mark.django_db
def test_finance_lists_filters_and_exports_them(client, salesperson, sales_manager, merchandiser, finance):
    orders = three_exceptions(salesperson, sales_manager, merchandiser, finance)
    client.force_login(finance)
    page = client.get("/finance/exceptions/").content.decode()
    assert all(f'data-testid="exception-{order.number}"' in page for order in orders)
    in_force = client.get("/finance/exceptions/?state=active").content.decode()
    assert orders[0].number in in_force and orders[1].number not in in_force and orders[2].number not in in_force
    assert orders[1].number in client.get("/finance/exceptions/?state=expired").content.decode()
    assert orders[2].number in client.get("/finance/exceptions/?state=revoked").content.decode()
    sheet = openpyxl.load_workbook(io.BytesIO(client.get("/finance/exceptions/?export=xlsx").content)).active
    assert sorted(row[0] for row in sheet.iter_rows(min_row=2, values_only=True)) == sorted(o.number for o in orders)


@pytest.mark.django_db
def test_a_salesperson_may_not_see_them(client, salesperson):
    client.force_login(salesperson)
    assert client.get("/finance/exceptions/").status_code == 403


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("width", [1366, 390])
def test_the_general_manager_opens_them_from_the_menu(page, live_server, salesperson, sales_manager, merchandiser,
                                                      finance, general_manager, width):
    orders = three_exceptions(salesperson, sales_manager, merchandiser, finance)
    problems = log_in(page, live_server, general_manager, width)
    page.goto(f"{live_server.url}/finance/exceptions/")
    expect(page.locator("[data-testid=exceptions] tbody tr")).to_have_count(3)
    page.select_option("#id_state", "expired")
    page.locator("[data-testid=filters] button[type=submit]").click()
    expect(page.locator("[data-testid=exceptions] tbody tr")).to_have_count(1)
    expect(page.locator(f"[data-testid=exception-{orders[1].number}]")).to_be_visible()
    assert page.evaluate("document.documentElement.scrollWidth") <= width
    assert not problems, problems
