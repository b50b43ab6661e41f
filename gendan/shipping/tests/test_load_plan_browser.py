"""A merchandiser asks for the load plan of a shipment of two orders (a stop each), clicked in a real Chromium at
desktop and phone width: sees the progress while the real worker (`gendan worker`) plans, then the containers,
the freight, each container's picture and figures, and downloads the loading instructions PDF. Finance sees the
plan and has no request button; a salesperson has no shipping pages. The database is read after every step."""

import subprocess
from decimal import Decimal

import pytest
from playwright.sync_api import expect

from gendan.followup.tests.test_browser_actions import log_in, switch_user
from gendan.shipping.choices import LoadPlanStatus
from gendan.shipping.models import LoadPlan
from gendan.shipping.tests.test_load_plans import packed, shipment_of, worker

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.mark.parametrize("width", [1366, 390])
def test_merchandiser_plans_the_load_and_downloads_the_instructions(page, live_server, ready, customer, merchandiser,
                                                                    finance, salesperson, width, tmp_path):
    first, second = ready(), ready()
    kettles = packed(first.lines.get(position=1), this_side_up=True, max_load_kg=Decimal(120))
    crates = packed(second.lines.get(position=1), per_carton=50, size=("60", "40", "30"), gross="12.5")
    shipment = shipment_of(customer, merchandiser, [(kettles, Decimal(1000)), (crates, Decimal(400))])
    for user in (merchandiser, finance):
        user.language = "en"
        user.save(update_fields=["language"])
    problems = log_in(page, live_server, merchandiser, width)
    page.goto(f"{live_server.url}{shipment.get_absolute_url()}")
    card = page.locator("[data-testid=load-plan]")
    expect(card).to_contain_text("1 line ends in a partly filled carton")

    # a bad time limit is refused in the card, nothing saved
    page.fill("#time-limit", "90")
    page.click("[data-testid=request-load-plan]")
    expect(page.locator("[data-testid=load-errors]")).to_contain_text("Give the planner 1 to 60 seconds.")
    assert not LoadPlan.objects.exists()

    page.fill("#time-limit", "4")
    page.locator("label:has(input[value='45HQ'])").click()  # offered too
    page.fill(f"#stop-{second.pk}", "2")
    page.click("[data-testid=request-load-plan]")
    expect(page.locator("[data-testid=load-progress]")).to_be_visible()
    load_plan = LoadPlan.objects.get()
    assert (load_plan.status, load_plan.time_limit, load_plan.container_types, load_plan.stops) == (
        LoadPlanStatus.QUEUED, 4, ["20GP", "40GP", "40HQ", "45HQ"], {str(first.pk): 1, str(second.pk): 2})
    assert list(load_plan.history.values_list("status", "history_user")) == [("queued", merchandiser.pk)]

    run = subprocess.run(**worker(), timeout=120)  # the worker plans; the card, polling, shows the result
    assert run.returncode == 0, run.stdout
    expect(page.locator("[data-testid=load-summary]")).to_be_visible(timeout=20_000)
    load_plan.refresh_from_db()
    assert load_plan.status == LoadPlanStatus.DONE and load_plan.freight_cost == 1800
    box = load_plan.containers.get()
    assert (box.code, box.cartons) == ("20GP", 42 + 8)
    expect(page.locator("[data-testid=load-containers]")).to_have_text("20GP")
    expect(page.locator("[data-testid=load-freight]")).to_have_text("USD 1,800")
    expect(page.locator("[data-testid=volume-use]")).to_have_text(f"{box.volume_use} %")
    picture = page.locator("[data-testid=load-picture]")
    expect(picture).to_be_visible()
    page.wait_for_function("img => img.complete && img.naturalWidth > 0", arg=picture.element_handle(),
                           timeout=10_000)  # the picture loaded and decoded, not a broken image
    svg = page.request.get(live_server.url + picture.get_attribute("src"))
    assert svg.headers["content-type"] == "image/svg+xml" and svg.text().startswith("<svg")

    with page.expect_download() as download:
        page.click("[data-testid=load-plan-pdf]")
    pdf = tmp_path / "instructions.pdf"
    download.value.save_as(pdf)
    text = subprocess.run(["pdftotext", "-layout", str(pdf), "-"], capture_output=True, text=True, check=True).stdout
    assert f"Loading instructions · {shipment.number}" in text
    assert "Container 1 · 20GP" in text and f"{first.number}-1 {kettles.product.code}" in text
    assert "upright (top side up)" in text and "row 1, layer 1" in text
    overflow = page.evaluate("document.documentElement.scrollWidth - document.documentElement.clientWidth")
    assert overflow <= 0

    # finance sees the plan, without a request button; a salesperson has no shipping pages
    switch_user(page, live_server, finance, width)
    page.goto(f"{live_server.url}{shipment.get_absolute_url()}")
    expect(page.locator("[data-testid=load-containers]")).to_have_text("20GP")
    expect(page.locator("[data-testid=request-load-plan]")).to_have_count(0)
    token = next(c["value"] for c in page.context.cookies() if c["name"] == "csrftoken")
    assert page.request.post(f"{live_server.url}/shipping/{shipment.pk}/load-plan/request/",
                             form={"time_limit": "5", "container_types": "20GP"},
                             headers={"X-CSRFToken": token}).status == 403
    assert LoadPlan.objects.count() == 1
    switch_user(page, live_server, salesperson, width)
    assert page.goto(f"{live_server.url}{shipment.get_absolute_url()}").status == 404
    assert page.goto(f"{live_server.url}/shipping/").status == 403
    assert page.goto(f"{live_server.url}/shipping/container-types/").status == 403
    problems[:] = [p for p in problems if "status of 403" not in p and "status of 404" not in p]
    assert not problems, problems
