"""A merchandiser makes a shipment's packing list and commercial invoice from the shipment page, clicked in a
real Chromium at desktop and phone width; the card lists them and the PDF downloads. Finance sees the documents
and has no button to make them. The database is read after every click."""

import pytest
from playwright.sync_api import expect

from gendan.documents.choices import DocumentKind
from gendan.documents.models import Document
from gendan.documents.tests.test_shipping_documents import company, people, shipment  # noqa: F401 (fixtures)
from gendan.followup.tests.test_browser_actions import log_in, switch_user

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def make(page, kind: str, number: str) -> Document:
    page.click(f"[data-testid=generate-{kind}]")
    # the first PDF of the server process loads the CJK fonts: allow it more than the usual wait
    expect(page.locator(f"[data-testid=kind-{kind}] [data-testid=document-{number}-v1]")).to_be_visible(timeout=30_000)
    expect(page.locator("[data-testid=shipment-documents] [data-testid=message]")).to_contain_text(
        f"{number} version 1 made.")
    return Document.objects.get(kind=kind)


@pytest.mark.parametrize("width", [1366, 390])
def test_merchandiser_makes_the_packing_list_and_the_invoice(page, live_server, shipment, merchandiser,  # noqa: F811
                                                             finance, width):
    for user in (merchandiser, finance):
        user.language = "en"
        user.save(update_fields=["language"])
    problems = log_in(page, live_server, merchandiser, width)
    page.goto(f"{live_server.url}{shipment.get_absolute_url()}")
    expect(page.locator("[data-testid=kind-packing_list]")).to_contain_text("Not made yet.")

    packing_list = make(page, DocumentKind.PACKING_LIST, "PL-2026-00001")
    assert (packing_list.shipment_id, packing_list.version, packing_list.generated_by) == (
        shipment.pk, 1, merchandiser)
    assert list(packing_list.history.values_list("history_type", "history_user")) == [("+", merchandiser.pk)]
    assert Document.objects.count() == 1

    invoice = make(page, DocumentKind.COMMERCIAL_INVOICE, "CI-2026-00001")
    assert (invoice.shipment_id, invoice.total, invoice.currency) == (shipment.pk, 2125, "USD")
    assert list(invoice.history.values_list("history_type", "history_user")) == [("+", merchandiser.pk)]
    assert Document.objects.count() == 2

    # the same again: nothing changed, no new version
    page.click("[data-testid=generate-packing_list]")
    expect(page.locator("[data-testid=shipment-documents] [data-testid=message]")).to_contain_text(
        "Nothing changed since PL-2026-00001 version 1")
    assert Document.objects.count() == 2

    link = page.locator("[data-testid=document-CI-2026-00001-v1] a").first
    pdf = page.context.request.get(f"{live_server.url}{link.get_attribute('href')}")
    assert pdf.status == 200 and pdf.headers["content-type"] == "application/pdf" and pdf.body()[:5] == b"%PDF-"
    overflow = page.evaluate("document.documentElement.scrollWidth - document.documentElement.clientWidth")
    assert overflow <= 0

    # finance sees them, with no button to make one
    switch_user(page, live_server, finance, width)
    page.goto(f"{live_server.url}{shipment.get_absolute_url()}")
    expect(page.locator("[data-testid=document-PL-2026-00001-v1]")).to_be_visible()
    expect(page.locator("[data-testid=document-CI-2026-00001-v1]")).to_be_visible()
    expect(page.locator("[data-testid=shipment-documents] button")).to_have_count(0)
    page.goto(f"{live_server.url}/documents/?q={shipment.number}")
    expect(page.locator("[data-testid=documents] tbody tr")).to_have_count(2)
    expect(page.locator("[data-testid=documents]")).to_contain_text(shipment.number)
    assert Document.objects.count() == 2
    assert not problems, problems
