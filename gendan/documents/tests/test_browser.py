"""Documents as people make them, in a real Chromium at desktop and phone width: the salesperson makes the PI
from the order page, opens it, changes the order and makes version 2, and mails it to the buyer through a real
SMTP server; finance makes last month's statement on the customer's page and records the customer's answer.
The database is read after every step."""

from datetime import date, timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from gendan.documents.choices import DocumentKind, Response
from gendan.documents.models import Document
from gendan.documents.tests.conftest import pdf_text
from gendan.finance.tests.factories import bank_account
from gendan.followup.choices import ActivityKind
from gendan.followup.models import Activity
from gendan.followup.tests.factories import confirmed_order
from gendan.followup.tests.test_browser_actions import log_in, switch_user
from gendan.parties.tests.factories import ContactFactory, CustomerFactory
from gendan.sales.tests.factories import make_order

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def in_english(*users):
    for user in users:
        user.language = "en"
        user.save(update_fields=["language"])


@pytest.mark.parametrize("width", [1366, 390])
def test_the_salesperson_makes_the_pi_makes_version_two_and_mails_it(page, live_server, smtp_server, salesperson,
                                                                    merchandiser, width):
    customer = CustomerFactory(owner=salesperson, merchandiser=merchandiser, code="ACME-US")
    ContactFactory(customer=customer, name="Jane Buyer", email="jane@acme.example", is_primary=True)
    bank_account("USD")
    order = make_order(by=salesperson, customer=customer, customer_po="PO-7781")
    in_english(salesperson)

    problems = log_in(page, live_server, salesperson, width)
    page.goto(f"{live_server.url}{order.get_absolute_url()}")
    panel = page.locator("[data-testid=documents]")
    expect(panel).to_contain_text("No documents yet")
    panel.locator("#id_kind").select_option(DocumentKind.PROFORMA_INVOICE)
    panel.locator("[data-testid=generate]").click()
    expect(panel.locator("[data-testid=message]")).to_contain_text("PI-")
    first = Document.objects.get()
    assert (first.kind, first.version, first.order, first.generated_by) == (
        DocumentKind.PROFORMA_INVOICE, 1, order, salesperson)
    assert first.history.count() == 1
    assert "PO-7781" in pdf_text(first.pdf)

    # making it again without a change keeps version 1
    panel.locator("[data-testid=generate]").click()
    expect(panel.locator("[data-testid=message]")).to_contain_text("Nothing changed")
    assert Document.objects.count() == 1

    # the PDF opens from the order page
    with page.expect_popup() as popup:
        panel.locator(f"[data-testid=document-{first.number}-v1] a").first.click()
    assert popup.value.url.endswith(f"/documents/{first.pk}/file/pdf/")
    popup.value.close()

    # the PO number changes: version 2, version 1 kept
    order.customer_po = "PO-7781-B"
    order.save(update_fields=["customer_po"])
    panel.locator("[data-testid=generate]").click()
    expect(panel.locator(f"[data-testid=document-{first.number}-v2]")).to_be_visible()
    second = Document.objects.get(version=2)
    assert second.number == first.number and "PO-7781-B" in pdf_text(second.pdf)

    # mailed to the buyer, logged on the order
    panel.locator(f"[data-testid=send-{first.number}]").click()
    expect(page.locator("#id_recipients")).to_have_value("jane@acme.example")
    page.click("[data-testid=send]")
    expect(page.locator("[data-testid=message]").first).to_contain_text("jane@acme.example")
    (mail,) = smtp_server
    assert mail["to"] == ["jane@acme.example"]
    (attachment,) = list(mail["message"].iter_attachments())
    assert attachment.get_filename() == f"{first.number}-v2.pdf"
    assert attachment.get_content().startswith(b"%PDF-")
    second.refresh_from_db()
    assert (second.sent_to, second.sent_by) == ("jane@acme.example", salesperson)
    assert second.history.filter(sent_to="jane@acme.example", history_user=salesperson).exists()
    assert Activity.objects.filter(order=order, kind=ActivityKind.EMAIL, by=salesperson,
                                   summary__contains=f"{first.number} version 2").exists()
    assert not problems, problems


def test_a_warehouse_clerk_sees_no_documents_and_cannot_make_one(page, live_server, salesperson, merchandiser,
                                                                 sales_manager, warehouse):
    bank_account("USD")
    order = confirmed_order(salesperson=salesperson, manager=sales_manager, merchandiser=merchandiser,
                            confirm_on=timezone.localdate() - timedelta(days=3),
                            ex_factory=timezone.localdate() + timedelta(days=40))
    log_in(page, live_server, warehouse, 390)
    page.goto(f"{live_server.url}{order.get_absolute_url()}")
    expect(page.locator("[data-testid=plan-milestones]")).to_be_visible()
    expect(page.locator("[data-testid=documents]")).to_have_count(0)
    response = page.request.post(f"{live_server.url}/documents/orders/{order.pk}/generate/",
                                 form={"kind": "proforma_invoice", "language": "en"})
    assert response.status in (403, 404)
    assert not Document.objects.exists()


@pytest.mark.parametrize("width", [1366, 390])
def test_finance_makes_last_months_statement_and_records_the_answer(page, live_server, salesperson, sales_manager,
                                                                    merchandiser, finance, width):
    today = timezone.localdate()
    last_month_end = today.replace(day=1) - timedelta(days=1)
    customer = CustomerFactory(owner=salesperson, merchandiser=merchandiser, code="ACME-US")
    bank_account("USD")
    confirmed_order(salesperson=salesperson, manager=sales_manager, merchandiser=merchandiser, customer=customer,
                    confirm_on=last_month_end - timedelta(days=5), ex_factory=today + timedelta(days=40))
    in_english(finance, salesperson)

    problems = log_in(page, live_server, finance, width)
    page.goto(f"{live_server.url}{customer.get_absolute_url()}")
    panel = page.locator("[data-testid=statements]")
    expect(panel.locator("#id_as_of")).to_have_value(last_month_end.isoformat())
    panel.locator("[data-testid=make-statement]").click()
    expect(panel.locator("[data-testid=message]")).to_contain_text("ST-")
    statement = Document.objects.get(kind=DocumentKind.STATEMENT)
    assert (statement.as_of, statement.period_start, statement.total) == (
        last_month_end, last_month_end.replace(day=1), 2500)
    text = pdf_text(statement.pdf)
    assert "STATEMENT OF ACCOUNT" in text and "USD 2,500.00" in text
    assert statement.xlsx

    # a period that ends after it starts, or a closing day in the future, is refused on its field
    panel.locator("#id_as_of").fill((today + timedelta(days=3)).isoformat())
    panel.locator("#id_as_of").press("Enter")  # flatpickr takes the typed date
    page.locator(".page-title").first.click()  # a tap elsewhere closes its calendar
    panel.locator("[data-testid=make-statement]").click()
    expect(panel.locator(".invalid-feedback")).to_contain_text("today at the latest")
    assert Document.objects.filter(kind=DocumentKind.STATEMENT).count() == 1

    page.locator(f"[data-testid=respond-{statement.number}]").click()
    page.select_option("#id_response", Response.DISPUTED)
    page.click("[data-testid=save]")
    expect(page.locator(".invalid-feedback").first).to_contain_text("disputes")
    page.fill("#id_note", "Deposit of SO paid on 28th, not shown")
    page.click("[data-testid=save]")
    expect(page.locator("[data-testid=statements]")).to_contain_text("Disputed")
    statement.refresh_from_db()
    assert (statement.response, statement.responded_by) == (Response.DISPUTED, finance)
    assert statement.history.filter(response=Response.DISPUTED).exists()
    assert not problems, problems

    switch_user(page, live_server, salesperson, width)
    page.goto(f"{live_server.url}{customer.get_absolute_url()}")
    expect(page.locator("[data-testid=statements]")).to_contain_text(statement.number)
    expect(page.locator("[data-testid=make-statement]")).to_have_count(0)
    assert date.today()  # the salesperson reads, finance makes
