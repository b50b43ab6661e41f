"""Credit approval clicked through in a real Chromium at desktop and phone width: confirming an order past the
customer's credit limit is refused with the exposure and the limit; the salesperson asks for credit with a reason;
the merchandiser and finance cannot approve; the sales manager approves, and the order is confirmed. The database
is read after every step."""

from datetime import timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from gendan.finance.choices import CreditApprovalStatus
from gendan.finance.models import CreditApproval
from gendan.followup.models import Notification, ReminderKind
from gendan.followup.tests.factories import confirmed_order
from gendan.followup.tests.test_browser_actions import log_in, switch_user
from gendan.parties.tests.factories import CustomerFactory
from gendan.sales.choices import OrderStatus
from gendan.sales.services import order_submit
from gendan.sales.tests.factories import make_order

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.mark.parametrize("width", [1366, 390])
def test_credit_is_asked_approved_and_the_order_confirmed(page, live_server, salesperson, sales_manager,
                                                          merchandiser, finance, width):
    today = timezone.localdate()
    customer = CustomerFactory(owner=salesperson, merchandiser=merchandiser, code="ACME-US", credit_limit=10000)
    # USD 2,500.00 confirmed 40 days ago, its deposit 33 days late: exposure 2,500.00, and the customer is flagged
    confirmed_order(salesperson=salesperson, manager=sales_manager, merchandiser=merchandiser, customer=customer,
                    confirm_on=today - timedelta(days=40), ex_factory=today + timedelta(days=20))
    order = make_order(by=salesperson, customer=customer, order_date=today, price="4.00",  # USD 8,000.00
                       merchandiser=merchandiser)
    order_submit(order=order, by=salesperson)
    url = f"{live_server.url}{order.get_absolute_url()}"

    # the sales manager tries to confirm: refused, naming the exposure and the limit
    problems = log_in(page, live_server, sales_manager, width)  # collects the console of every page that follows
    page.goto(url)
    expect(page.locator("[data-testid=customer-overdue-flag]")).to_contain_text("ACME-US")
    expect(page.locator("[data-testid=credit-needed]")).to_contain_text("USD 10,500.00")
    page.click("[data-testid=transition-confirm]")
    message = page.locator("[data-testid=message]").first
    expect(message).to_contain_text("USD 10,500.00")
    expect(message).to_contain_text("USD 10,000.00")
    order.refresh_from_db()
    assert order.status == OrderStatus.UNDER_REVIEW and not order.schedule_lines.exists()

    # the salesperson asks for credit from the order page
    switch_user(page, live_server, salesperson, width)
    page.goto(url)
    expect(page.locator("[data-testid=transition-confirm]")).to_have_count(0)  # confirming is the manager's
    page.fill("#credit-reason", "Eight years with us; the late deposit is on its way")
    page.click("[data-testid=request-credit]")
    expect(page.locator("[data-testid=credit-pending]")).to_be_visible()
    approval = CreditApproval.objects.get()
    assert (approval.status, approval.requested_by, approval.amount, approval.exposure, approval.credit_limit) == (
        CreditApprovalStatus.REQUESTED, salesperson, 8000, 10500, 10000)
    assert approval.history.get().history_user == salesperson

    # neither the order's merchandiser nor finance may approve
    switch_user(page, live_server, merchandiser, width)
    page.goto(url)
    expect(page.locator("[data-testid=credit-pending]")).to_be_visible()
    expect(page.locator("[data-testid=approve-credit]")).to_have_count(0)
    assert page.goto(f"{live_server.url}/finance/credit-approvals/").status == 403
    problems.remove("Failed to load resource: the server responded with a status of 403 (Forbidden)")  # that one
    switch_user(page, live_server, finance, width)
    page.goto(f"{live_server.url}/finance/credit-approvals/")
    expect(page.locator(f"[data-testid=pending-{order.number}]")).to_contain_text("ACME-US")
    expect(page.locator(f"[data-testid=approve-{order.number}]")).to_have_count(0)
    assert CreditApproval.objects.get().status == CreditApprovalStatus.REQUESTED

    # the sales manager finds it in the menu's list, approves it on the order page, and confirms
    switch_user(page, live_server, sales_manager, width)
    page.goto(f"{live_server.url}/finance/credit-approvals/")
    page.click(f"[data-testid=pending-{order.number}] a")
    page.fill("#credit-note", "OK for this order")
    page.click("[data-testid=approve-credit]")
    expect(page.locator("[data-testid=credit-approved]")).to_contain_text("USD 8,000.00")
    approval.refresh_from_db()
    assert (approval.status, approval.decided_by, approval.decision_note) == (
        CreditApprovalStatus.APPROVED, sales_manager, "OK for this order")
    assert approval.history.order_by("-history_id").first().history_user == sales_manager
    order.refresh_from_db()
    assert order.status == OrderStatus.UNDER_REVIEW  # approved, not yet confirmed
    page.click("[data-testid=transition-confirm]")
    expect(page.locator(".page-title [data-status]")).to_have_attribute("data-status", "confirmed")
    order.refresh_from_db()
    assert order.status == OrderStatus.CONFIRMED
    assert order.events.filter(new_status=OrderStatus.CONFIRMED, by=sales_manager).exists()
    assert sum(line.amount for line in order.schedule_lines.all()) == 8000  # its payment schedule is made
    overflow = page.evaluate("document.documentElement.scrollWidth - document.documentElement.clientWidth")
    assert overflow <= 0
    assert not problems, problems


@pytest.mark.parametrize("width", [1366, 390])
def test_a_manager_asking_for_credit_does_not_decide_it_and_the_deciders_are_told(
        page, live_server, salesperson, sales_manager, general_manager, merchandiser, width):
    customer = CustomerFactory(owner=salesperson, merchandiser=merchandiser, code="ACME-US", credit_limit=5000)
    order = make_order(by=salesperson, customer=customer, order_date=timezone.localdate(), price="4.00",
                       merchandiser=merchandiser)  # USD 8,000.00
    order_submit(order=order, by=salesperson)
    url = f"{live_server.url}{order.get_absolute_url()}"
    for user in (sales_manager, general_manager):
        user.language = "en"
        user.save(update_fields=["language"])

    # the sales manager asks; the card and the list give them no approve button for their own request
    problems = log_in(page, live_server, sales_manager, width)
    page.goto(url)
    page.fill("#credit-reason", "Big season order; the customer always pays")
    page.click("[data-testid=request-credit]")
    expect(page.locator("[data-testid=credit-pending]")).to_be_visible()
    expect(page.locator("[data-testid=approve-credit]")).to_have_count(0)
    page.goto(f"{live_server.url}/finance/credit-approvals/")
    expect(page.locator(f"[data-testid=own-request-{order.number}]")).to_contain_text("another manager decides")
    expect(page.locator(f"[data-testid=approve-{order.number}]")).to_have_count(0)
    approval = CreditApproval.objects.get()
    assert (approval.status, approval.requested_by) == (CreditApprovalStatus.REQUESTED, sales_manager)
    assert list(Notification.objects.values_list("user", "kind", "order")) == [
        (general_manager.pk, ReminderKind.CREDIT_REQUESTED, order.pk)]

    # the general manager is told, follows the notification to the order's credit card and approves
    switch_user(page, live_server, general_manager, width)
    page.goto(f"{live_server.url}/followup/notifications/")
    page.locator("[data-testid=notifications] a", has_text="Credit approval requested").click()
    page.wait_for_url(f"**{order.get_absolute_url()}#credit")
    page.fill("#credit-note", "Once, for the season")
    page.click("[data-testid=approve-credit]")
    expect(page.locator("[data-testid=credit-approved]")).to_contain_text("USD 8,000.00")
    approval.refresh_from_db()
    assert (approval.status, approval.decided_by, approval.decision_note) == (
        CreditApprovalStatus.APPROVED, general_manager, "Once, for the season")
    assert list(approval.history.order_by("history_id").values_list("status", "history_user")) == [
        ("requested", sales_manager.pk), ("approved", general_manager.pk)]

    # and the sales manager hears back
    switch_user(page, live_server, sales_manager, width)
    page.goto(f"{live_server.url}/followup/notifications/")
    expect(page.locator("[data-testid=notifications]")).to_contain_text("Credit approved")
    assert Notification.objects.filter(user=sales_manager, kind=ReminderKind.CREDIT_APPROVED, order=order).exists()
    overflow = page.evaluate("document.documentElement.scrollWidth - document.documentElement.clientWidth")
    assert overflow <= 0
    assert not problems, problems
