"""The merchandiser takes a shipment's B/L from the carrier's draft to the release of the originals, clicked in a
real Chromium at desktop and phone width: a B/L date before the loading is refused, the release is refused while
the balance is open (the card says which order owes what), then goes out by courier once finance has the money.
Finance sees the B/L and cannot release it. The database is read after every step."""

from datetime import date
from decimal import Decimal

import pytest
from playwright.sync_api import expect

from gendan.finance.tests.factories import pay
from gendan.followup.choices import MilestoneStatus
from gendan.followup.tests.factories import at
from gendan.followup.tests.test_browser_actions import log_in, switch_user
from gendan.shipping.choices import BLStatus
from gendan.shipping.models import BillOfLading
from gendan.shipping.services import LoadedGoods, container_load, shipment_create, shipment_ship

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
LOADED = date(2026, 11, 20)


@pytest.mark.parametrize("width", [1366, 390])
def test_merchandiser_takes_the_bl_from_draft_to_release(page, live_server, ready, customer, merchandiser,
                                                         warehouse, finance, width):
    order = ready()
    with at(LOADED):
        shipment = shipment_create(by=merchandiser, customer=customer, lines=[
            (line, line.quantity) for line in order.lines.all()])
        container_load(shipment=shipment, by=warehouse, container_number="CSQU3054383", seal_number="S1",
                       container_type="40HQ", tare_kg=Decimal(3900), loaded_on=LOADED,
                       goods=[LoadedGoods(line, 10, line.quantity) for line in shipment.lines.all()])
        shipment_ship(shipment=shipment, by=merchandiser, version=shipment.version)
    merchandiser.language = "en"
    merchandiser.save(update_fields=["language"])
    problems = log_in(page, live_server, merchandiser, width)
    page.goto(f"{live_server.url}{shipment.get_absolute_url()}")
    card = page.locator("[data-testid=bl]")
    card.locator("#bl-note").fill("Add the consignee's postcode")
    card.locator("[data-testid=bl-draft]").click()
    expect(card.locator("[data-testid=bl-status]")).to_have_attribute("data-status", "draft_received")
    bl = BillOfLading.objects.get()
    assert (bl.draft_note, bl.history.get().history_user) == ("Add the consignee's postcode", merchandiser)
    card.locator("[data-testid=bl-confirm]").click()
    expect(card.locator("[data-testid=bl-status]")).to_have_attribute("data-status", "draft_confirmed")

    card.locator("#bl-number-input").fill("COSU6301234560")
    card.locator("#bl-date").fill("2026-11-19")  # before the loading: refused
    card.locator("#bl-date").press("Tab")  # the date picker takes the typed date and closes
    card.locator("[data-testid=bl-issue]").click()
    expect(page.locator(".alert-danger")).to_contain_text("cannot be before that")
    bl.refresh_from_db()
    assert (bl.status, bl.number) == (BLStatus.DRAFT_CONFIRMED, "")
    card.locator("#bl-number-input").fill("COSU6301234560")
    card.locator("#bl-date").fill("2026-11-23")
    card.locator("#bl-date").press("Tab")
    card.locator("[data-testid=bl-issue]").click()
    expect(card.locator("[data-testid=bl-number]")).to_have_text("COSU6301234560")
    bl.refresh_from_db()
    assert (bl.status, bl.issued_on) == (BLStatus.ISSUED, date(2026, 11, 23))

    card.locator("[data-testid=bl-copy]").click()
    expect(card.locator("[data-testid=bl-status]")).to_have_attribute("data-status", "copy_sent")
    assert order.plan.milestones.get(code="bl_copy").status == MilestoneStatus.DONE
    expect(card.locator("[data-testid=release-gates]")).to_contain_text("not received")

    card.locator("#release-method").select_option("courier")
    card.locator("#released-to").fill("ACME Imports")
    card.locator("#courier").fill("DHL")
    card.locator("#tracking").fill("1234567890")
    card.locator("[data-testid=bl-release]").click()  # the balance is open: refused
    expect(page.locator(".alert-danger")).to_contain_text(order.number)
    bl.refresh_from_db()
    assert bl.status == BLStatus.COPY_SENT

    pay(order, by=finance, kinds=("balance",))
    page.reload()
    expect(card.locator("[data-testid=release-gates]")).to_contain_text("Paid")
    card.locator("#release-method").select_option("courier")
    card.locator("#released-to").fill("ACME Imports")
    card.locator("#courier").fill("DHL")
    card.locator("#tracking").fill("1234567890")
    card.locator("[data-testid=bl-release]").click()
    expect(card.locator("[data-testid=bl-status]")).to_have_attribute("data-status", "released")
    bl.refresh_from_db()
    assert (bl.status, bl.tracking_number, bl.released_by) == (BLStatus.RELEASED, "1234567890", merchandiser)
    assert bl.history.latest("history_id").history_user == merchandiser
    assert order.plan.milestones.get(code="originals_released").status == MilestoneStatus.DONE

    switch_user(page, live_server, finance, width)
    page.goto(f"{live_server.url}{shipment.get_absolute_url()}")
    expect(page.locator("[data-testid=bl-number]")).to_have_text("COSU6301234560")
    expect(page.locator("[data-testid=bl-release-form]")).to_have_count(0)
    overflow = page.evaluate("document.documentElement.scrollWidth - document.documentElement.clientWidth")
    assert overflow <= 0
    assert not problems, problems
