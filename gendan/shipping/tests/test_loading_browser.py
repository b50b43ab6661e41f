"""The warehouse records a loaded container on the shipment page, clicked in a real Chromium at desktop and phone
width: a mistyped check digit and too many units are refused on their field and row (nothing saved); then the
container, its seal, what went in and a photo are saved, the page flags the line loaded short, and the fully
loaded order's ex-factory milestone is done. Finance sees the containers and cannot record one. The database is
read after every step."""

from datetime import date
from decimal import Decimal

import pytest
from PIL import Image
from playwright.sync_api import expect

from gendan.followup.choices import MilestoneStatus
from gendan.followup.tests.factories import at
from gendan.followup.tests.test_browser_actions import log_in, switch_user
from gendan.shipping.models import LoadedContainer
from gendan.shipping.services import shipment_create

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.mark.parametrize("width", [1366, 390])
def test_warehouse_records_a_loaded_container(page, live_server, ready, customer, merchandiser, warehouse, finance,
                                              tmp_path, width):
    first, second = ready(), ready()
    with at(date(2026, 11, 20)):
        shipment = shipment_create(by=merchandiser, customer=customer, lines=[
            (line, line.quantity) for order in (first, second) for line in order.lines.order_by("position")])
    photo = tmp_path / "sealed.png"
    Image.new("RGB", (64, 48), (30, 90, 160)).save(photo)
    warehouse.language = "en"
    warehouse.save(update_fields=["language"])
    problems = log_in(page, live_server, warehouse, width)
    page.goto(f"{live_server.url}{shipment.get_absolute_url()}")
    page.click("[data-testid=record-container]")
    page.fill("#id_container_number", "CSQU 305438 4")  # the check digit of CSQU305438 is 3
    page.fill("#id_seal_number", "CN1234567")
    page.select_option("#id_container_type", "40HQ")
    page.fill("#id_tare_kg", "3900")
    for order in (first,):
        for position in (1, 2):
            page.fill(f"[data-testid=cartons-{order.number}-{position}]", "10")
            page.fill(f"[data-testid=loaded-{order.number}-{position}]", "1000")
    page.fill(f"[data-testid=cartons-{second.number}-1]", "11")
    page.fill(f"[data-testid=loaded-{second.number}-1]", "1100")  # the shipment carries 1,000
    page.click("[data-testid=save]")
    expect(page.locator("[data-field-error=container_number]")).to_contain_text("is 3, not 4")
    assert not LoadedContainer.objects.exists()

    page.fill("#id_container_number", "CSQU 305438 3")
    page.click("[data-testid=save]")
    expect(page.locator(f"[data-testid=goods-{second.number}-1] [data-row-error]")).to_contain_text(
        "the shipment carries 1000")
    assert not LoadedContainer.objects.exists()
    problems[:] = [p for p in problems if "status of 400" not in p]

    page.fill(f"[data-testid=cartons-{second.number}-1]", "4")
    page.fill(f"[data-testid=loaded-{second.number}-1]", "400")
    page.set_input_files("#id_photos", str(photo))
    page.click("[data-testid=save]")
    expect(page.locator("[data-testid=container-CSQU3054383]")).to_contain_text("CN1234567")
    container = LoadedContainer.objects.get()
    assert (container.seal_number, container.container_type, container.tare_kg, container.cargo_gross_kg) == (
        "CN1234567", "40HQ", Decimal(3900), Decimal("13.2") * 24)
    assert (container.lines.count(), container.photos.count()) == (3, 1)
    assert container.history.get().history_user == warehouse
    expect(page.locator(f"[data-testid=difference-{second.number}-1]")).to_have_attribute("data-differs", "")
    expect(page.locator(f"[data-testid=difference-{first.number}-1]")).not_to_have_attribute("data-differs", "")
    assert first.plan.milestones.get(is_ex_factory=True).status == MilestoneStatus.DONE
    assert second.plan.milestones.get(is_ex_factory=True).status == MilestoneStatus.OPEN
    with page.expect_popup() as popup:
        page.locator("[data-testid=container-CSQU3054383] a[target=_blank]").click()
    assert popup.value.url.endswith(".png") or "/photos/" in popup.value.url

    switch_user(page, live_server, finance, width)
    page.goto(f"{live_server.url}{shipment.get_absolute_url()}")
    expect(page.locator("[data-testid=container-CSQU3054383]")).to_be_visible()
    expect(page.locator("[data-testid=record-container]")).to_have_count(0)
    assert page.goto(f"{live_server.url}/shipping/{shipment.pk}/containers/new/").status == 403
    problems[:] = [p for p in problems if "status of 403" not in p]
    overflow = page.evaluate("document.documentElement.scrollWidth - document.documentElement.clientWidth")
    assert overflow <= 0
    assert not problems, problems
