"""The shipping journey clicked end to end in a real Chromium (issue 16, acceptance 3): a merchandiser ships two orders
of one customer together, books the vessel, plans the containers with the real worker and sees the picture, records
the container and seal numbers, ships, downloads the packing list, sends the shipping advice through a real SMTP
server, and opens the customer's tracking link logged out. The database is read after each step. The warehouse sees
the customer updates but cannot write one."""

import subprocess
from datetime import timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from gendan.documents.choices import DocumentKind
from gendan.documents.models import Document
from gendan.followup.choices import MilestoneStatus
from gendan.followup.tests.test_browser_actions import READABLE, log_in, switch_user, type_date
from gendan.parties.choices import SupplierKind
from gendan.parties.tests.factories import ContactFactory, SupplierFactory
from gendan.sales.choices import OrderStatus
from gendan.sales.tests.test_browser import choose
from gendan.shipping.choices import LoadPlanStatus, NoticeStatus, ShipmentStatus
from gendan.shipping.models import Booking, CustomerNotice, LoadedContainer, LoadPlan, Shipment
from gendan.shipping.tests.test_load_plans import packed, worker

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def clean(problems):
    problems[:] = [p for p in problems if "status of 403" not in p and "status of 404" not in p]
    assert not problems, problems


@pytest.mark.parametrize("width", [1366, 390])
def test_merchandiser_ships_two_orders_from_booking_to_the_customers_tracking_link(
        page, live_server, ready, customer, merchandiser, warehouse, smtp_server, tmp_path, width):
    first, second = ready(), ready()
    for order in (first, second):
        for line in order.lines.all():
            packed(line)
    ContactFactory(customer=customer, name="Jane Miller", email="jane@acme.example")
    SupplierFactory(kind=SupplierKind.FORWARDER, code="FWD-KN", name_zh="德讯宁波")
    for user in (merchandiser, warehouse):
        user.language = "en"
        user.save(update_fields=["language"])
    today = timezone.localdate()
    problems = log_in(page, live_server, merchandiser, width)

    # 1. both orders on one shipment, from the first order's page
    page.goto(f"{live_server.url}{first.get_absolute_url()}")
    page.locator("[data-testid=order-shipments] [data-testid=new-shipment]").click()
    for order in (first, second):
        for position in (1, 2):
            page.fill(f"[data-testid=quantity-{order.number}-{position}]", "1000")
    page.click("[data-testid=make-shipment]")
    expect(page.locator(".page-title [data-status]")).to_have_attribute("data-status", "draft")
    shipment = Shipment.objects.get()
    assert sorted(shipment.lines.values_list("order_line__order__number", flat=True)) == sorted(
        [first.number] * 2 + [second.number] * 2)

    # 2. the booking
    page.click("[data-testid=edit-booking]")
    page.select_option("#id_forwarder", label="FWD-KN 德讯宁波")
    page.fill("#id_booking_number", "NGB2611270")
    page.fill("#id_vessel", "COSCO SHIPPING ARIES")
    page.fill("#id_voyage", "045E")
    choose(page, "id_port_of_loading", "Ningbo")
    choose(page, "id_port_of_discharge", "USLAX")
    expect(page.locator("#id_port_of_discharge-ts-dropdown")).to_be_hidden()  # closes once chosen
    type_date(page, "#id_etd", today + timedelta(days=3))
    type_date(page, "#id_eta", today + timedelta(days=18))
    expect(page.locator("#id_etd")).to_have_value((today + timedelta(days=3)).isoformat())
    page.click("[data-testid=save]")
    expect(page.locator("[data-testid=route]")).to_contain_text("USLAX")
    booking = Booking.objects.get()
    assert (booking.shipment, booking.vessel, booking.etd) == (shipment, "COSCO SHIPPING ARIES",
                                                               today + timedelta(days=3))

    # 3. the load plan, by the real worker; its picture
    page.fill("#time-limit", "2")
    page.click("[data-testid=request-load-plan]")
    expect(page.locator("[data-testid=load-progress]")).to_be_visible()
    run = subprocess.run(**worker(), timeout=120)
    assert run.returncode == 0, run.stdout
    expect(page.locator("[data-testid=load-summary]")).to_be_visible(timeout=20_000)
    load_plan = LoadPlan.objects.get()
    assert load_plan.status == LoadPlanStatus.DONE and load_plan.history.last().history_user == merchandiser
    cartons = sum(box.cartons for box in load_plan.containers.all())
    assert cartons == 4 * 42  # 1,000 pcs at 24 a carton, per line
    picture = page.locator("[data-testid=load-picture]").first
    expect(picture).to_be_visible()
    page.wait_for_function("img => img.complete && img.naturalWidth > 0", arg=picture.element_handle(),
                           timeout=10_000)  # the picture loaded and decoded, not a broken image

    # 4. the container and seal numbers as loaded
    page.click("[data-testid=record-container]")
    page.fill("#id_container_number", "CSQU3054383")
    page.fill("#id_seal_number", "SEAL778")
    page.select_option("#id_container_type", "40HQ")
    page.fill("#id_tare_kg", "3900")
    for order in (first, second):
        for position in (1, 2):
            page.fill(f"[data-testid=cartons-{order.number}-{position}]", "42")
            page.fill(f"[data-testid=loaded-{order.number}-{position}]", "1000")
    page.click("[data-testid=save]")
    expect(page.locator("[data-testid=container-CSQU3054383]")).to_contain_text("SEAL778")
    container = LoadedContainer.objects.get()
    assert (container.shipment, container.lines.count(), container.history.get().history_user) == (
        shipment, 4, merchandiser)
    for order in (first, second):
        assert order.plan.milestones.get(is_ex_factory=True).status == MilestoneStatus.DONE

    # 5. shipped; the packing list made and downloaded
    page.click("[data-testid=ship]")
    expect(page.locator(".page-title [data-status]")).to_have_attribute("data-status", "shipped")
    shipment.refresh_from_db()
    assert shipment.status == ShipmentStatus.SHIPPED
    for order in (first, second):
        order.refresh_from_db()
        assert order.status == OrderStatus.SHIPPED
    page.click("[data-testid=generate-packing_list]")
    expect(page.locator("[data-testid=document-PL-2026-00001-v1]")).to_be_visible()
    packing_list = Document.objects.get(kind=DocumentKind.PACKING_LIST)
    link = page.locator("[data-testid=document-PL-2026-00001-v1] a").first
    pdf = page.context.request.get(f"{live_server.url}{link.get_attribute('href')}")  # what the link opens
    assert pdf.status == 200 and pdf.headers["content-type"] == "application/pdf"
    saved = tmp_path / "pl.pdf"
    saved.write_bytes(pdf.body())
    text = subprocess.run(["pdftotext", "-layout", str(saved), "-"], capture_output=True, text=True,
                          check=True).stdout
    assert packing_list.number in text and "168" in text  # 4 × 42 cartons

    # 6. the shipping advice: drafted with a click, edited, sent with the packing list attached
    page.click("[data-testid=draft-shipped]")
    expect(page.locator("[data-testid=notice-status]")).to_have_text("Draft")
    notice = CustomerNotice.objects.get()
    assert "CSQU3054383 / seal SEAL778 (40HQ)" in notice.body and notice.recipients == "jane@acme.example"
    expect(page.locator("[data-testid=notice-documents]")).to_contain_text(packing_list.number)
    page.fill("#id_subject", "Shipping advice: two orders on COSCO SHIPPING ARIES")
    page.click("[data-testid=send-notice]")
    expect(page.locator("[data-testid=notice-status]")).to_have_text("Sent by email")
    notice.refresh_from_db()
    assert (notice.status, notice.subject, notice.sent_by) == (
        NoticeStatus.SENT, "Shipping advice: two orders on COSCO SHIPPING ARIES", merchandiser)
    assert set(notice.history.values_list("history_user", flat=True)) == {merchandiser.pk}
    assert set(notice.history.values_list("body", flat=True)) == {notice.body}  # only the subject was edited
    body = page.locator("[data-testid=notice-body]")
    expect(body).to_contain_text("CSQU3054383 / seal SEAL778 (40HQ)")
    assert body.evaluate(READABLE)  # dark on light (a <pre> here once printed light grey on light grey)
    [mail] = smtp_server
    assert mail["to"] == ["jane@acme.example"] and mail["message"]["Subject"] == notice.subject
    assert [part.get_filename() for part in mail["message"].iter_attachments()] == [
        packing_list.filename("pdf")]
    for order in (first, second):
        assert order.plan.milestones.get(code="shipping_advice").status == MilestoneStatus.DONE

    # 7. the customer's tracking link, opened logged out
    page.goto(f"{live_server.url}{first.get_absolute_url()}")
    expect(page.locator("[data-testid=notice-shipped]")).to_have_count(0)  # shipment steps live on the shipment
    expect(page.locator("[data-testid=notices-card]")).to_contain_text(shipment.number)
    page.click("[data-testid=tracking-issue]")
    url = page.locator("[data-testid=tracking-url]").input_value()
    visitor = page.context.browser.new_context(viewport={"width": width, "height": 900}).new_page()
    visitor.goto(url)
    expect(visitor.locator("[data-testid=tracking-shipment]")).to_contain_text(shipment.number)
    expect(visitor.locator("[data-testid=node-shipped]")).to_have_attribute("data-done", "")
    expect(visitor.locator("form")).to_have_count(0)
    visitor.context.close()
    overflow = page.evaluate("document.documentElement.scrollWidth - document.documentElement.clientWidth")
    assert overflow <= 0

    # the warehouse sees the customer updates, and may not write one
    switch_user(page, live_server, warehouse, width)
    page.goto(f"{live_server.url}{shipment.get_absolute_url()}")
    expect(page.locator("[data-testid=notice-shipped]")).to_contain_text("Sent by email")
    expect(page.locator("[data-testid=draft-arrived]")).to_have_count(0)
    token = next(c["value"] for c in page.context.cookies() if c["name"] == "csrftoken")
    assert page.request.post(f"{live_server.url}/shipping/notices/draft/", headers={"X-CSRFToken": token},
                             form={"node": "shipped", "shipment": str(shipment.pk)}).status == 403
    assert CustomerNotice.objects.count() == 1
    assert page.goto(f"{live_server.url}/shipping/notices/{notice.pk}/").status == 200  # reads it, no buttons
    expect(page.locator("[data-testid=send-notice]")).to_have_count(0)
    clean(problems)
