"""A merchandiser opens the cockpit, finds an overdue milestone, marks it done in one click, and sees
the actual date on the order's timeline — in a real Chromium against a live server."""

import json
from datetime import timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from gendan.accounts.tests.factories import PASSWORD
from gendan.followup.models import Milestone
from gendan.followup.tests.factories import confirmed_order

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_merchandiser_clears_an_overdue_milestone_from_the_cockpit(page, live_server, salesperson, sales_manager,
                                                                   merchandiser):
    today = timezone.localdate()
    order = confirmed_order(salesperson=salesperson, manager=sales_manager, merchandiser=merchandiser,
                            confirm_on=today - timedelta(days=14), ex_factory=today + timedelta(days=50))
    review = Milestone.objects.get(plan__order=order, code="order_review")
    assert review.due_date < today  # one working day after confirmation

    page.goto(f"{live_server.url}/accounts/login/")
    page.fill("#id_username", merchandiser.username)
    page.fill("#id_password", PASSWORD)
    page.click("[data-testid=login]")

    overdue = page.locator("[data-testid=list-overdue]")
    row = overdue.locator(f"[data-testid=milestone-order_review-{order.number}]")
    expect(row).to_contain_text("订单评审会签")
    row.locator(f"[data-testid=done-{review.pk}]").click()
    expect(page.locator("[data-testid=message]")).to_be_visible()
    expect(overdue.locator(f"[data-testid=milestone-order_review-{order.number}]")).to_have_count(0)
    review.refresh_from_db()
    assert review.status == "done" and review.actual_date == today and review.done_by == merchandiser

    page.goto(f"{live_server.url}{order.get_absolute_url()}")
    expect(page.locator("[data-testid=actual-order_review]")).to_have_text(today.isoformat())
    expect(page.locator("[data-testid=plan-timeline] canvas")).to_have_count(1)  # ECharts drew it
    data = json.loads(page.locator("#plan-timeline-data").text_content())
    row = next(r for r in data["rows"] if r["name"] == "订单评审会签")
    assert row["actual"] == today.isoformat() and data["today"] == today.isoformat()
