"""Finance moves money that went to the wrong order and pays back what the customer overpaid, in a real Chromium
at desktop and phone width; the database is read after every step."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from gendan.finance.models import Allocation, Refund, ScheduleLine
from gendan.finance.services import receipt_allocate, receipt_confirm
from gendan.finance.tests.factories import bank_account, record
from gendan.followup.choices import MilestoneStatus
from gendan.followup.models import Milestone
from gendan.followup.tests.factories import confirmed_order
from gendan.followup.tests.test_browser_actions import log_in
from gendan.parties.tests.factories import CustomerFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.mark.parametrize("width", [1366, 390])
def test_finance_moves_an_allocation_and_pays_back_the_rest(page, live_server, salesperson, sales_manager,
                                                            merchandiser, finance, width):
    today = timezone.localdate()
    customer = CustomerFactory(owner=salesperson, merchandiser=merchandiser, code="ACME-US")
    wrong, right = [confirmed_order(salesperson=salesperson, manager=sales_manager, merchandiser=merchandiser,
                                    customer=customer, confirm_on=today - timedelta(days=3),
                                    ex_factory=today + timedelta(days=60)) for _ in range(2)]
    bank_account("USD")
    receipt = record(by=finance, customer=customer, amount="1000", received_on=today - timedelta(days=1), today=today)
    receipt_allocate(receipt=receipt, by=finance, version=receipt.version,
                     allocations=[(ScheduleLine.objects.get(order=wrong, kind="deposit"), Decimal(750))])
    receipt_confirm(receipt=receipt, by=finance, version=receipt.version)

    problems = log_in(page, live_server, finance, width)
    page.goto(f"{live_server.url}/finance/receipts/{receipt.pk}/")
    page.click(f"[data-testid=release-{wrong.number}-deposit]")
    page.fill("[data-testid=release-reason]", "PO 7781 belongs to the second order")
    page.click("[data-testid=release-confirm]")
    expect(page.locator("[data-testid=receipt-rest]")).to_have_text("USD 1,000.00")
    assert not Allocation.objects.exists()
    assert Allocation.history.get(history_type="-").history_change_reason == "PO 7781 belongs to the second order"
    assert Milestone.objects.get(plan__order=wrong, code="deposit").status == MilestoneStatus.OPEN
    expect(page.locator("[data-testid=released]")).to_contain_text(wrong.number)

    page.fill(f"[data-testid=allocate-{right.number}-deposit]", "750")
    page.click("[data-testid=allocate]")
    expect(page.locator("[data-testid=receipt-rest]")).to_have_text("USD 250.00")
    assert Milestone.objects.get(plan__order=right, code="deposit").status == MilestoneStatus.DONE

    # more than the rest is refused on its field, nothing saved
    form = page.locator("[data-testid=refund-form]")
    form.locator("#id_amount").fill("300")
    form.locator("#id_reason").fill("Overpaid, returned at the customer's request")
    form.locator("#id_reference").fill("TT-BACK-1")
    page.click("[data-testid=refund]")
    expect(page.locator("[data-testid=refund-form] .invalid-feedback")).to_contain_text("250.00")
    assert not Refund.objects.exists()
    page.locator("[data-testid=refund-form] #id_amount").fill("250")
    page.click("[data-testid=refund]")
    expect(page.locator("[data-testid=receipt-rest]")).to_have_text("USD 0.00")
    refund = Refund.objects.get()
    assert (refund.amount, refund.reference, refund.recorded_by, refund.refunded_on) == (
        Decimal(250), "TT-BACK-1", finance, today)
    assert refund.history.filter(history_user=finance).count() == 1
    expect(page.locator("[data-testid=refunds]")).to_contain_text("Overpaid")
    assert [p for p in problems if "status of 400" not in p] == []  # the refused refund answers 400 on purpose
