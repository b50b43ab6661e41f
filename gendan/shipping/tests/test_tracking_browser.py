"""The merchandiser gives the customer a tracking link from the order page and the customer opens it logged out
(real Chromium, desktop and phone width): the key steps and the sailing, in English, nothing to click; revoked,
the link shows nothing. A finance user sees no button to issue one. The database is read after every step."""

from datetime import date

import pytest
from playwright.sync_api import expect

from gendan.followup.tests.factories import at
from gendan.followup.tests.test_browser_actions import log_in, switch_user
from gendan.shipping.models import TrackingLink
from gendan.shipping.services import shipment_create, shipment_ship

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.mark.parametrize("width", [1366, 390])
def test_the_customer_follows_the_order_through_its_link(page, live_server, ready, customer, merchandiser, finance,
                                                         width):
    order = ready()
    with at(date(2026, 11, 20)):
        shipment = shipment_create(by=merchandiser, customer=customer, lines=[
            (line, line.quantity) for line in order.lines.all()])
        shipment_ship(shipment=shipment, by=merchandiser, version=shipment.version)
    problems = log_in(page, live_server, merchandiser, width)  # in Chinese, her language
    page.goto(f"{live_server.url}{shipment.get_absolute_url()}")  # the forwarder says the goods arrived
    page.select_option("#tracking-status", "arrived")
    page.fill("#tracking-place", "Rotterdam")
    page.click("[data-testid=tracking-save]")
    expect(page.locator("[data-testid=tracking-arrived]")).to_contain_text("Rotterdam")
    arrival = shipment.tracking_events.get()
    assert (arrival.recorded_by, arrival.history.get().history_user) == (merchandiser, merchandiser)
    order.plan.refresh_from_db()
    assert order.plan.eta == arrival.happened_on
    page.goto(f"{live_server.url}{order.get_absolute_url()}")
    card = page.locator("[data-testid=tracking-card]")
    card.locator("[data-testid=tracking-issue]").click()
    url = page.locator("[data-testid=tracking-url]").input_value()
    link = TrackingLink.objects.get()
    assert (link.order, link.created_by, link.revoked_at) == (order, merchandiser, None)
    assert link.history.get().history_user == merchandiser

    customer_view = page.context.browser.new_context(viewport={"width": width, "height": 900})  # logged out
    visitor = customer_view.new_page()
    visitor.goto(url)
    expect(visitor.locator("html")).to_have_attribute("lang", "en")  # the customer's document language
    expect(visitor.locator("[data-testid=node-shipped]")).to_have_attribute("data-done", "")
    expect(visitor.locator("[data-testid=node-arrived]")).to_have_attribute("data-done", "")
    expect(visitor.locator("[data-testid=tracking-events]")).to_contain_text("Rotterdam")
    expect(visitor.locator("[data-testid=tracking-shipment]")).to_contain_text(shipment.number)
    expect(visitor.locator("form")).to_have_count(0)
    assert visitor.evaluate("document.documentElement.scrollWidth - document.documentElement.clientWidth") <= 0

    page.once("dialog", lambda dialog: dialog.accept())
    page.locator("[data-testid=tracking-revoke]").click()
    expect(page.locator("[data-testid=tracking-url]")).to_have_count(0)
    link.refresh_from_db()
    assert link.revoked_by == merchandiser
    assert visitor.goto(url).status == 404
    customer_view.close()

    switch_user(page, live_server, finance, width)
    page.goto(f"{live_server.url}{order.get_absolute_url()}")
    expect(page.locator("[data-testid=tracking-card]")).to_be_visible()
    expect(page.locator("[data-testid=tracking-issue]")).to_have_count(0)
    page.goto(f"{live_server.url}{shipment.get_absolute_url()}")
    expect(page.locator("[data-testid=tracking-arrived]")).to_be_visible()
    expect(page.locator("[data-testid=tracking-form]")).to_have_count(0)
    assert not problems, problems
