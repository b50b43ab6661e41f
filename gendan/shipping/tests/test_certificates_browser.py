"""The merchandiser records a Form E with its scan on the shipment page, clicked in a real Chromium at desktop and
phone width: an issue date in the future is refused on its field (nothing saved), then the record is saved, the
orders' certificate-of-origin milestone is done and the card no longer says it is needed; she corrects it. The
scan downloads for her; the warehouse sees the card without Add and is refused when posting; a salesperson, who
does not see shipments, gets a 404 for the scan; she removes the record, and the milestone opens again. The
database is read after every step."""

from datetime import date

import pytest
from playwright.sync_api import expect

from gendan.finance.tests.factories import pay
from gendan.followup.choices import MilestoneStatus
from gendan.followup.models import Activity
from gendan.followup.tests.factories import at, confirmed_order
from gendan.followup.tests.test_browser_actions import log_in, switch_user
from gendan.sales.services import order_mark_ready, order_start_production
from gendan.shipping.choices import CertificateKind
from gendan.shipping.models import Certificate
from gendan.shipping.services import shipment_create

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
READY = date(2026, 11, 20)
PDF = b"%PDF-1.4\n1 0 obj << >> endobj\ntrailer << >>\n%%EOF\n"


@pytest.fixture
def shipment(customer, salesperson, sales_manager, merchandiser, finance):
    """A draft shipment of one order that needs a certificate of origin."""
    order = confirmed_order(salesperson=salesperson, manager=sales_manager, merchandiser=merchandiser,
                            customer=customer, needs_certificate_of_origin=True)
    pay(order, by=finance, kinds=("deposit",))
    with at(READY):
        order_start_production(order=order, by=merchandiser)
        order_mark_ready(order=order, by=merchandiser)
        made = shipment_create(by=merchandiser, customer=customer, lines=[
            (line, line.quantity) for line in order.lines.all()])
    made.order = order
    return made


def _post_as_page(page, url: str, form: dict):
    """A POST from the logged-in page's session, with its CSRF token: what a hand-made form would send."""
    token = next(c["value"] for c in page.context.cookies() if c["name"] == "csrftoken")
    return page.request.post(url, form=form, headers={"X-CSRFToken": token, "Referer": url})


@pytest.mark.parametrize("width", [1366, 390])
def test_merchandiser_records_a_form_e_with_its_scan(page, live_server, shipment, merchandiser, warehouse,
                                                    salesperson, tmp_path, width):
    order = shipment.order
    scan = tmp_path / "form-e.pdf"
    scan.write_bytes(PDF)
    merchandiser.language = "en"
    merchandiser.save(update_fields=["language"])
    problems = log_in(page, live_server, merchandiser, width)
    page.goto(f"{live_server.url}{shipment.get_absolute_url()}")
    card = page.locator("[data-testid=certificates]")
    expect(card.locator("[data-testid=certificates-needed]")).to_contain_text(f"Needed for: {order.number}")

    card.locator("[data-testid=add-certificate]").click()
    page.select_option("#id_kind", CertificateKind.FORM_E)
    page.fill("#id_number", "E264401234560012")
    page.fill("#id_issuer", "中国国际贸易促进委员会宁波分会")
    page.fill("#id_issued_on", "2099-01-05")
    page.locator("#id_issued_on").press("Tab")  # the date picker takes the typed date and closes
    page.set_input_files("#id_file", str(scan))
    page.click("[data-testid=save]")
    expect(page.locator("[data-field-error=issued_on]")).to_contain_text("in the future")
    assert not Certificate.objects.exists()
    problems[:] = [p for p in problems if "status of 400" not in p]

    page.fill("#id_issued_on", "2026-11-18")
    page.locator("#id_issued_on").press("Tab")
    page.set_input_files("#id_file", str(scan))  # a refused form does not keep the chosen file
    page.fill("#id_note", "Original couriered to the customer")
    page.click("[data-testid=save]")
    row = card.locator("[data-kind=form_e]")
    expect(row.locator("[data-testid=certificate-number]")).to_have_text("E264401234560012")
    expect(card.locator("[data-testid=certificates-needed]")).to_have_count(0)
    certificate = Certificate.objects.get()
    assert (certificate.kind, certificate.issuer, certificate.issued_on, certificate.created_by) == (
        CertificateKind.FORM_E, "中国国际贸易促进委员会宁波分会", date(2026, 11, 18), merchandiser)
    assert certificate.file.read() == PDF
    assert certificate.history.get().history_user == merchandiser
    done = order.plan.milestones.get(code="certificate_of_origin")
    assert (done.status, done.actual_date) == (MilestoneStatus.DONE, date(2026, 11, 18))
    assert Activity.objects.filter(order=order, summary__contains="E264401234560012").count() == 1

    row.locator("[data-testid=edit-certificate]").click()
    expect(page.locator("#id_number")).to_have_value("E264401234560012")
    page.fill("#id_number", "E264401234560021")  # mistyped the first time
    page.click("[data-testid=save]")
    expect(row.locator("[data-testid=certificate-number]")).to_have_text("E264401234560021")
    certificate.refresh_from_db()
    assert (certificate.number, certificate.version, certificate.file.read()) == ("E264401234560021", 2, PDF)
    changed = certificate.history.latest("history_id")
    assert (changed.history_type, changed.history_user, changed.number) == ("~", merchandiser, "E264401234560021")

    file_url = f"{live_server.url}/shipping/certificates/{certificate.pk}/file/"
    with page.expect_popup() as popup:
        row.locator("[data-testid=certificate-file]").click()
    assert popup.value.url == file_url
    popup.value.close()
    download = page.request.get(file_url)
    assert (download.status, download.headers["content-type"], download.body()) == (200, "application/pdf", PDF)
    overflow = page.evaluate("document.documentElement.scrollWidth - document.documentElement.clientWidth")
    assert overflow <= 0

    switch_user(page, live_server, warehouse, width)
    page.goto(f"{live_server.url}{shipment.get_absolute_url()}")
    expect(card.locator("[data-testid=certificate-number]")).to_have_text("E264401234560021")
    expect(card.locator("[data-testid=add-certificate]")).to_have_count(0)
    expect(card.locator("[data-testid=edit-certificate]")).to_have_count(0)
    new_url = f"{live_server.url}/shipping/{shipment.pk}/certificates/new/"
    refused = _post_as_page(page, new_url, {"kind": "form_e", "number": "E264401234569999", "issuer": "CCPIT",
                                            "issued_on": "2026-11-18"})
    assert refused.status in (403, 404)
    removal = _post_as_page(page, f"{live_server.url}/shipping/certificates/{certificate.pk}/remove/",
                            {"version": "2"})
    assert removal.status in (403, 404)
    assert Certificate.objects.get().number == "E264401234560021" and certificate.history.count() == 2
    assert page.request.get(file_url).status == 200  # the warehouse sees the shipment, and so its papers

    switch_user(page, live_server, merchandiser, width)  # entered on the wrong shipment: she removes it
    page.goto(f"{live_server.url}{shipment.get_absolute_url()}")
    row.locator("[data-testid=edit-certificate]").click()
    page.once("dialog", lambda dialog: dialog.accept())
    page.click("[data-testid=remove-certificate]")
    expect(card.locator("[data-testid=certificates-needed]")).to_contain_text(f"Needed for: {order.number}")
    assert not Certificate.objects.exists()
    assert Certificate.history.filter(id=certificate.pk).latest("history_id").history_type == "-"
    reopened = order.plan.milestones.get(code="certificate_of_origin")
    assert (reopened.status, reopened.actual_date) == (MilestoneStatus.OPEN, None)
    assert reopened.history.latest("history_id").history_user == merchandiser

    switch_user(page, live_server, salesperson, width)
    assert page.goto(file_url).status == 404
    problems[:] = [p for p in problems if "status of 403" not in p and "status of 404" not in p]
    assert not problems, problems
