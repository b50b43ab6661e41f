"""The merchandiser imports the forwarder's tracking sheet from the shipments list, clicked at desktop and phone
width: checks the file, reads the preview, imports; the database holds the events. The warehouse has no import."""

import pytest
from playwright.sync_api import expect

from gendan.followup.tests.test_browser_actions import log_in, switch_user
from gendan.shipping.models import TrackingEvent
from gendan.shipping.tests.test_notices import contact, sailed  # noqa: F401 (fixtures)
from gendan.shipping.tests.test_tracking_import import sheet

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.mark.parametrize("width", [1366, 390])
def test_merchandiser_imports_the_forwarders_sheet(page, live_server, sailed, merchandiser, warehouse,  # noqa: F811
                                                   tmp_path, width):
    shipment, first, _ = sailed
    path = tmp_path / "forwarder.xlsx"
    path.write_bytes(sheet(("", "COSU6301234560", "ATD", "2026-11-23", "Ningbo", "", ""),
                           ("", "NGB1", "ghost", "2026-11-24", "", "", "")).getvalue())
    good = tmp_path / "forwarder-fixed.xlsx"
    good.write_bytes(sheet(("", "COSU6301234560", "ATD", "2026-11-23", "Ningbo", "", ""),
                           ("", "CSQU3054383", "T/S", "2026-11-28", "Busan", "", "")).getvalue())
    for user in (merchandiser, warehouse):
        user.language = "en"
        user.save(update_fields=["language"])
    problems = log_in(page, live_server, merchandiser, width)
    page.goto(f"{live_server.url}/shipping/")
    page.click("[data-testid=tracking-import]")
    page.set_input_files("input[type=file]", str(path))
    page.click("[data-testid=preview]")
    expect(page.locator("[data-testid=row-errors]")).to_contain_text("What happened (Status)")
    expect(page.locator("[data-testid=commit]")).to_have_count(0)
    assert not TrackingEvent.objects.exists()

    page.click("text=Choose another file")
    page.set_input_files("input[type=file]", str(good))
    page.click("[data-testid=preview]")
    page.click("[data-testid=commit]")
    expect(page.locator(".alert-success, [data-testid=message]").first).to_contain_text("2 rows imported")
    assert sorted(TrackingEvent.objects.values_list("status", "place", "recorded_by")) == [
        ("departed", "Ningbo", merchandiser.pk), ("transhipped", "Busan", merchandiser.pk)]
    assert TrackingEvent.objects.get(status="transhipped").history.get().history_user == merchandiser
    page.goto(f"{live_server.url}{shipment.get_absolute_url()}")
    expect(page.locator("[data-testid=tracking-transhipped]")).to_contain_text("Busan")
    overflow = page.evaluate("document.documentElement.scrollWidth - document.documentElement.clientWidth")
    assert overflow <= 0

    switch_user(page, live_server, warehouse, width)
    page.goto(f"{live_server.url}/shipping/")
    expect(page.locator("[data-testid=tracking-import]")).to_have_count(0)
    assert page.goto(f"{live_server.url}/shipping/tracking/import/").status == 403
    problems[:] = [p for p in problems if "status of 403" not in p and "status of 400" not in p]
    assert not problems, problems
