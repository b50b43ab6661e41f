"""Finance records one remittance that pays two orders' deposits, allocates it and confirms it, in a real
Chromium at desktop and phone width; both deposit milestones turn done, and production, refused before, starts.
The database is read after every step."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from gendan.finance.choices import ReceiptStatus, ScheduleKind
from gendan.finance.models import Allocation, Receipt, ScheduleLine
from gendan.finance.tests.factories import bank_account
from gendan.followup.choices import MilestoneStatus
from gendan.followup.models import Milestone
from gendan.followup.tests.factories import confirmed_order
from gendan.followup.tests.test_browser_actions import log_in, switch_user
from gendan.parties.tests.factories import CustomerFactory
from gendan.sales.choices import OrderStatus
from gendan.sales.tests.test_browser import choose

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def deposit_milestone(order) -> Milestone:
    return Milestone.objects.get(plan__order=order, code="deposit")


@pytest.mark.parametrize("width", [1366, 390])
def test_one_receipt_pays_two_deposits_and_production_may_start(page, live_server, salesperson, sales_manager,
                                                               merchandiser, finance, width):
    today = timezone.localdate()
    customer = CustomerFactory(owner=salesperson, merchandiser=merchandiser, code="ACME-US")
    orders = [confirmed_order(salesperson=salesperson, manager=sales_manager, merchandiser=merchandiser,
                              customer=customer, confirm_on=today - timedelta(days=3),
                              ex_factory=today + timedelta(days=60)) for _ in range(2)]
    account = bank_account("USD")

    # production is refused before the deposit: the order page says why
    log_in(page, live_server, sales_manager, width)
    page.goto(f"{live_server.url}{orders[0].get_absolute_url()}")
    expect(page.locator("[data-testid=schedule-deposit]")).to_contain_text("USD 750.00")
    page.click("[data-testid=transition-start_production]")
    expect(page.locator("[data-testid=message]").first).to_contain_text("USD 750.00")
    orders[0].refresh_from_db()
    assert orders[0].status == OrderStatus.CONFIRMED

    # finance records the remittance as the bank statement shows it
    problems = switch_user(page, live_server, finance, width)
    page.goto(f"{live_server.url}/finance/receipts/")
    page.click("[data-testid=new-receipt]")
    choose(page, "id_customer", "ACME-US")
    page.fill("#id_received_on", today.isoformat())
    page.select_option("#id_bank_account", str(account.pk))
    page.fill("#id_amount", "1520")
    page.fill("#id_bank_charges", "20")
    page.fill("#id_rate_to_cny", "7.1023")
    page.fill("#id_reference", "FT-ACME-1")
    page.click("[data-testid=save]")
    expect(page.locator("[data-testid=receipt-amount]")).to_have_text("USD 1,520.00")
    receipt = Receipt.objects.get()
    assert (receipt.status, receipt.amount, receipt.bank_charges, receipt.recorded_by) == (
        ReceiptStatus.RECORDED, Decimal(1520), Decimal(20), finance)
    assert receipt.history.count() == 1

    # allocates it to both deposits
    for order in orders:
        page.fill(f"[data-testid=allocate-{order.number}-deposit]", "750")
    page.click("[data-testid=allocate]")
    expect(page.locator("[data-testid=receipt-rest]")).to_have_text("USD 20.00")
    assert sorted(Allocation.objects.values_list("line__order__number", "amount")) == [
        (orders[0].number, Decimal(750)), (orders[1].number, Decimal(750))]
    assert deposit_milestone(orders[0]).status == MilestoneStatus.OPEN  # recorded money does not count yet

    # confirms it arrived: both deposit milestones are done, dated the day it arrived
    page.click("[data-testid=confirm-receipt]")
    expect(page.locator("[data-testid=receipt-status]")).to_have_attribute("data-status", "confirmed")
    receipt.refresh_from_db()
    assert receipt.status == ReceiptStatus.CONFIRMED and receipt.confirmed_by == finance
    assert receipt.history.filter(status=ReceiptStatus.CONFIRMED, history_user=finance).exists()
    for order in orders:
        done = deposit_milestone(order)
        assert (done.status, done.actual_date, done.done_by) == (MilestoneStatus.DONE, today, finance)
        assert ScheduleLine.objects.get(order=order, kind=ScheduleKind.DEPOSIT).amount == Decimal(750)

    assert not problems, problems  # no console errors on the receipt pages

    # and production may start
    switch_user(page, live_server, sales_manager, width)
    page.goto(f"{live_server.url}{orders[0].get_absolute_url()}")
    expect(page.locator("[data-testid=open-deposit]")).to_have_text("USD 0.00")
    page.click("[data-testid=transition-start_production]")
    expect(page.locator(".page-title [data-status]")).to_have_attribute("data-status", "in_production")
    orders[0].refresh_from_db()
    assert orders[0].status == OrderStatus.IN_PRODUCTION
    assert orders[0].events.filter(new_status=OrderStatus.IN_PRODUCTION, by=sales_manager).exists()


def test_a_salesperson_has_no_receipts(page, live_server, salesperson):
    log_in(page, live_server, salesperson, 1366)
    expect(page.locator("a.nav-link[href='/finance/receipts/']")).to_have_count(0)
    response = page.goto(f"{live_server.url}/finance/receipts/new/")
    assert response.status == 403
    assert not Receipt.objects.exists()


@pytest.mark.parametrize("width", [1366, 390])
def test_finance_reads_the_receivables_as_of_a_past_day(page, live_server, salesperson, sales_manager,
                                                        merchandiser, finance, width):
    today = timezone.localdate()
    customer = CustomerFactory(owner=salesperson, merchandiser=merchandiser, code="LATE-UK")
    confirmed_order(salesperson=salesperson, manager=sales_manager, merchandiser=merchandiser, customer=customer,
                    confirm_on=today - timedelta(days=50), ex_factory=today + timedelta(days=20))
    problems = log_in(page, live_server, finance, width)
    page.goto(f"{live_server.url}/finance/receivables/")
    row = page.locator("[data-testid=aging-LATE-UK-USD]")
    expect(row).to_contain_text("USD 750.00")  # the deposit, 43 days late
    expect(row.locator("td").nth(3)).to_have_text("USD 750.00")  # in 31–60 days
    page.fill("#id_as_of", (today - timedelta(days=45)).isoformat())
    page.click("[data-testid=as-of]")
    expect(row.locator("td").nth(1)).to_have_text("USD 2,500.00")  # 45 days ago the deposit was not due yet either
    expect(row.locator("td").nth(3)).to_have_text("—")
    assert not problems, problems


@pytest.mark.parametrize("width", [1366, 390])
def test_finance_adds_the_account_customers_pay_into(page, live_server, finance, width):
    from gendan.finance.models import BankAccount

    problems = log_in(page, live_server, finance, width)
    page.goto(f"{live_server.url}/finance/accounts/")
    page.click("[data-testid=new-account]")
    page.fill("#id_name", "中行欧元户")
    page.fill("#id_currency", "eur")
    page.fill("#id_beneficiary", "Ningbo Hengtai Hardware Import & Export Co., Ltd.")
    page.fill("#id_bank_name", "Bank of China, Ningbo Branch")
    page.fill("#id_account_no", "3583 5820 0002")
    page.fill("#id_swift", "BKCHCNBJ92A")
    page.click("[data-testid=save]")
    expect(page.locator("[data-testid='account-3583 5820 0002']")).to_contain_text("EUR")
    account = BankAccount.objects.get()
    assert (account.currency, account.is_active, account.history.get().history_user) == ("EUR", True, finance)
    assert not problems, problems


@pytest.mark.parametrize("width", [1366, 390])
def test_the_salesperson_sees_a_customer_flagged_for_overdue_money(page, live_server, salesperson, sales_manager,
                                                                   merchandiser, width):
    today = timezone.localdate()
    customer = CustomerFactory(owner=salesperson, merchandiser=merchandiser, code="SLOW-DE")
    confirmed_order(salesperson=salesperson, manager=sales_manager, merchandiser=merchandiser, customer=customer,
                    confirm_on=today - timedelta(days=60), ex_factory=today + timedelta(days=10))
    problems = log_in(page, live_server, salesperson, width)
    page.goto(f"{live_server.url}{customer.get_absolute_url()}")
    card = page.locator("[data-testid=customer-money]")
    expect(card.locator("[data-testid=overdue-flag]")).to_be_visible()  # the deposit is 53 days late
    expect(card.locator("[data-testid=owed-USD]")).to_contain_text("USD 2,500.00")
    assert not problems, problems
