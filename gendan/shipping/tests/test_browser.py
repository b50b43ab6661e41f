"""A merchandiser ships two orders of one customer together, clicked in a real Chromium at desktop and phone width:
chooses the customer, enters how much of each ready line goes (too much is refused on its row, nothing saved),
makes the shipment, sees the money gate, ships it. Finance sees it and cannot ship; a salesperson has no shipping
pages. The database is read after every step."""

from decimal import Decimal

import pytest
from playwright.sync_api import expect

from gendan.followup.tests.test_browser_actions import log_in, switch_user
from gendan.sales.choices import OrderStatus
from gendan.sales.tests.test_browser import choose
from gendan.shipping.choices import ShipmentStatus
from gendan.shipping.models import Shipment

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.mark.parametrize("width", [1366, 390])
def test_merchandiser_ships_two_orders_together(page, live_server, ready, customer, merchandiser, finance,
                                                 salesperson, width):
    first, second = ready(), ready()
    merchandiser.language = "en"
    merchandiser.save(update_fields=["language"])
    problems = log_in(page, live_server, merchandiser, width)
    page.goto(f"{live_server.url}/shipping/")
    page.click("[data-testid=new-shipment]")
    choose(page, "shipment-customer", customer.code)  # choosing shows the customer's ready goods
    expect(page.locator("[data-testid=ready-lines] tbody tr")).to_have_count(4)

    # too much of a line: refused on its row, nothing saved
    page.fill(f"[data-testid=quantity-{first.number}-1]", "1200")
    page.click("[data-testid=make-shipment]")
    row = page.locator(f"[data-testid=ready-{first.number}-1]")
    expect(row).to_contain_text("1000 of 1000 left to ship")
    assert not Shipment.objects.exists()
    problems[:] = [p for p in problems if "status of 400" not in p]

    page.fill(f"[data-testid=quantity-{first.number}-1]", "1000")
    page.fill(f"[data-testid=quantity-{first.number}-2]", "400")
    for position in (1, 2):
        page.fill(f"[data-testid=quantity-{second.number}-{position}]", "1000")
    page.click("[data-testid=make-shipment]")
    expect(page.locator(".page-title [data-status]")).to_have_attribute("data-status", "draft")
    shipment = Shipment.objects.get()
    assert sorted((line.order_line.order.number, line.order_line.position, line.quantity)
                  for line in shipment.lines.select_related("order_line__order")) == sorted([
        (first.number, 1, Decimal(1000)), (first.number, 2, Decimal(400)),
        (second.number, 1, Decimal(1000)), (second.number, 2, Decimal(1000))])
    assert shipment.history.get().history_user == merchandiser
    expect(page.locator(f"[data-testid=gate-{first.number}]")).to_contain_text("May ship")

    # finance sees it and cannot ship it; a salesperson has no shipping pages
    switch_user(page, live_server, finance, width)
    page.goto(f"{live_server.url}{shipment.get_absolute_url()}")
    expect(page.locator("[data-testid=shipment-lines] tbody tr")).to_have_count(4)
    expect(page.locator("[data-testid=ship]")).to_have_count(0)
    switch_user(page, live_server, salesperson, width)
    assert page.goto(f"{live_server.url}/shipping/").status == 403
    problems[:] = [p for p in problems if "status of 403" not in p]

    # the merchandiser ships it: one order partly, the other whole
    switch_user(page, live_server, merchandiser, width)
    page.goto(f"{live_server.url}{shipment.get_absolute_url()}")
    page.click("[data-testid=ship]")
    expect(page.locator(".page-title [data-status]")).to_have_attribute("data-status", "shipped")
    shipment.refresh_from_db(), first.refresh_from_db(), second.refresh_from_db()
    assert (shipment.status, first.status, second.status) == (
        ShipmentStatus.SHIPPED, OrderStatus.PARTIALLY_SHIPPED, OrderStatus.SHIPPED)
    assert shipment.history.order_by("-history_id").first().history_user == merchandiser
    page.goto(f"{live_server.url}/shipping/")
    expect(page.locator(f"[data-testid=shipment-{shipment.number}]")).to_contain_text("Shipped")
    overflow = page.evaluate("document.documentElement.scrollWidth - document.documentElement.clientWidth")
    assert overflow <= 0
    assert not problems, problems
