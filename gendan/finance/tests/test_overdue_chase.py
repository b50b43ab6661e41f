"""Overdue receivables reach the people who chase them: the order's salesperson and merchandiser see each overdue
line (order number, amount, days late) in their cockpit and their morning digest; another salesperson does not.
Money that arrives takes the line off."""

from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest
from django.urls import reverse

from gendan.finance.tests.factories import pay
from gendan.followup import reminders
from gendan.followup.selectors import cockpit_for
from gendan.followup.tests.factories import api_for, at, confirmed_order

pytestmark = pytest.mark.django_db
LATER = date(2026, 10, 20)  # the deposit of an order confirmed on 2026-09-28 was due on 2026-10-05


@pytest.fixture
def order(salesperson, sales_manager, merchandiser):
    """USD 2,500.00, deposit USD 750.00 due 2026-10-05, balance against copy B/L (no date yet)."""
    return confirmed_order(salesperson=salesperson, manager=sales_manager, merchandiser=merchandiser)


def chased(user, day=LATER) -> list:
    return [row for section, rows in cockpit_for(user, day).chase if section.key == "overdue_money" for row in rows]


def test_the_salesperson_and_the_merchandiser_see_the_overdue_deposit(order, salesperson, merchandiser,
                                                                      other_salesperson, other_merchandiser):
    for user in (salesperson, merchandiser):
        (row,) = chased(user)
        assert (row.order_number, row.what, str(row.amount), row.currency, row.due_date, row.days_late) == (
            order.number, "Deposit", "750.000", "USD", date(2026, 10, 5), 15)
    assert chased(other_salesperson) == [] and chased(other_merchandiser) == []
    assert chased(salesperson, date(2026, 10, 5)) == []  # due that day: not overdue yet


def test_paid_money_is_no_longer_chased(order, salesperson, finance):
    pay(order, by=finance, kinds=["deposit"])
    assert chased(salesperson) == []


def test_the_cockpit_page_and_the_api_show_it(client, order, salesperson, other_salesperson):
    client.force_login(salesperson)
    with at(LATER):
        page = client.get(reverse("home")).content.decode()
        data = api_for(salesperson).get("/api/v1/cockpit/").json()
    assert 'data-testid="list-overdue_money"' in page and f'data-testid="chase-{order.number}"' in page
    assert "USD 750.00" in page
    assert data["to_chase"] == [{"section": "overdue_money", "order": order.pk, "order_number": order.number,
                                 "customer_code": order.customer.code, "what": "Deposit", "amount": "750.000",
                                 "currency": "USD", "due_date": "2026-10-05", "days_late": 15}]
    client.force_login(other_salesperson)
    with at(LATER):
        assert 'data-testid="list-overdue_money"' not in client.get(reverse("home")).content.decode()


def test_the_morning_digest_tells_the_salesperson_and_no_one_else(smtp_server, order, salesperson,
                                                                  other_salesperson):
    salesperson.language = "en"
    salesperson.save(update_fields=["language"])
    reminders.scan(now=datetime(2026, 10, 20, 7, 30, tzinfo=ZoneInfo("Asia/Shanghai")))
    mails = {address: mail for mail in smtp_server for address in mail["to"]}
    assert other_salesperson.email not in mails
    body = mails[salesperson.email]["body"]
    assert "Overdue receivables (1)" in body
    line = next(text for text in body.splitlines() if order.number in text and "USD" in text)
    assert "Deposit" in line and "USD 750.00" in line and "15 days late" in line
    html = mails[salesperson.email]["message"].get_body(("html",)).get_content()
    assert order.number in html and "USD 750.00" in html
