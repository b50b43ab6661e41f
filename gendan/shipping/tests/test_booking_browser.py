"""From the order page to a booked shipment, clicked in a real Chromium at desktop and phone width: the order's
shipments card offers to ship its ready goods; the merchandiser makes the shipment, books it with a forwarder
(a cut-off after the sailing is refused on its field, nothing saved), and the orders' plans carry the ETD and
the cut-offs. Finance sees the booking and cannot change it. The database is read after every step."""

from datetime import date

import pytest
from playwright.sync_api import expect

from gendan.followup.tests.test_browser_actions import log_in, switch_user, type_date
from gendan.parties.choices import SupplierKind
from gendan.parties.tests.factories import SupplierFactory
from gendan.sales.tests.test_browser import choose
from gendan.shipping.models import Booking, Shipment

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.mark.parametrize("width", [1366, 390])
def test_merchandiser_ships_from_the_order_page_and_books_the_shipment(page, live_server, ready, customer,
                                                                       merchandiser, finance, width):
    order = ready()
    SupplierFactory(kind=SupplierKind.FORWARDER, code="FWD-KN", name_zh="德讯宁波")
    merchandiser.language = "en"
    merchandiser.save(update_fields=["language"])
    problems = log_in(page, live_server, merchandiser, width)
    page.goto(f"{live_server.url}{order.get_absolute_url()}")
    card = page.locator("[data-testid=order-shipments]")
    expect(card).to_contain_text("Nothing on a shipment yet")
    card.locator("[data-testid=new-shipment]").click()
    for position in (1, 2):
        page.fill(f"[data-testid=quantity-{order.number}-{position}]", "1000")
    page.click("[data-testid=make-shipment]")
    expect(page.locator(".page-title [data-status]")).to_have_attribute("data-status", "draft")
    shipment = Shipment.objects.get()
    assert shipment.lines.count() == 2

    page.click("[data-testid=edit-booking]")
    page.select_option("#id_forwarder", label="FWD-KN 德讯宁波")
    page.fill("#id_booking_number", "NGB2611270")
    page.fill("#id_vessel", "COSCO SHIPPING ARIES")
    page.fill("#id_voyage", "045E")
    choose(page, "id_port_of_loading", "Ningbo")
    expect(page.locator("#id_port_of_loading-ts-dropdown")).to_be_hidden()  # closes once chosen
    choose(page, "id_port_of_discharge", "USLAX")
    expect(page.locator("#id_port_of_discharge-ts-dropdown")).to_be_hidden()
    type_date(page, "#id_etd", date(2026, 12, 4))
    type_date(page, "#id_eta", date(2026, 12, 19))
    page.fill("#id_cargo_cutoff", "2026-12-05T12:00")  # after the sailing: refused on its field
    page.click("[data-testid=save]")
    expect(page.locator("[data-field-error=cargo_cutoff]")).to_contain_text("before the vessel sails")
    assert not Booking.objects.exists()
    problems[:] = [p for p in problems if "status of 400" not in p]
    page.fill("#id_cargo_cutoff", "2026-12-02T12:00")
    page.fill("#id_si_cutoff", "2026-12-01T17:00")
    page.click("[data-testid=save]")
    expect(page.locator("[data-testid=route]")).to_contain_text("CNNGB")
    expect(page.locator("[data-testid=cutoffs]")).to_contain_text("2026-12-02 12:00")

    booking = Booking.objects.get()
    assert (booking.booking_number, booking.port_of_discharge.code, booking.etd, booking.version) == (
        "NGB2611270", "USLAX", date(2026, 12, 4), 1)
    assert booking.history.get().history_user == merchandiser
    plan = order.plan
    plan.refresh_from_db()
    assert (plan.etd, plan.eta) == (date(2026, 12, 4), date(2026, 12, 19))
    assert dict(plan.milestones.filter(code__in=["cargo_cutoff", "si_cutoff"]).values_list("code", "due_date")) == {
        "cargo_cutoff": date(2026, 12, 2), "si_cutoff": date(2026, 12, 1)}

    page.goto(f"{live_server.url}{order.get_absolute_url()}")
    expect(page.locator(f"[data-testid=order-shipment-{shipment.number}]")).to_contain_text("CNNGB")

    switch_user(page, live_server, finance, width)  # finance sees the booking, cannot change it
    page.goto(f"{live_server.url}{shipment.get_absolute_url()}")
    expect(page.locator("[data-testid=booking-number]")).to_have_text("NGB2611270")
    expect(page.locator("[data-testid=edit-booking]")).to_have_count(0)
    assert page.goto(f"{live_server.url}/shipping/{shipment.pk}/booking/").status == 403
    problems[:] = [p for p in problems if "status of 403" not in p]
    overflow = page.evaluate("document.documentElement.scrollWidth - document.documentElement.clientWidth")
    assert overflow <= 0
    assert not problems, problems
