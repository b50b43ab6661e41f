"""Finance records an expense on an order from its money card, in a real Chromium at desktop and phone width, and
sees the order's profit fall by exactly its CNY value, on the card and on the profit page; a salesperson sees no
profit and is refused the page. The database is read after every step."""

from decimal import Decimal

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from gendan.core.money import Money
from gendan.finance.models import Expense
from gendan.finance.profit import order_profit
from gendan.finance.services import refund_rate_save, vat_refund_estimate
from gendan.followup.tests.factories import confirmed_order
from gendan.followup.tests.test_browser_actions import log_in, switch_user

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def order(salesperson, sales_manager, merchandiser, finance):
    """USD 2,500.00, each piece bought at CNY 8.00, HS 8302 refunded at 13 %."""
    today = timezone.localdate()
    refund_rate_save(by=finance, hs_prefix="8302", refund_rate=Decimal(13), vat_rate=Decimal(13),
                     valid_from=today.replace(year=today.year - 1))
    order = confirmed_order(salesperson=salesperson, manager=sales_manager, merchandiser=merchandiser,
                            confirm_on=today, ex_factory=today.replace(year=today.year + 1, month=1, day=15))
    for line in order.lines.all():
        line.product.cost = Decimal("8.00")
        line.product.save()
    vat_refund_estimate(order=order, by=finance)
    return order


@pytest.mark.parametrize("width", [1366, 390])
def test_finance_records_an_expense_and_sees_the_profit_fall(page, live_server, order, finance, width):
    before = order_profit(order).profit_cny
    problems = log_in(page, live_server, finance, width)
    page.goto(f"{live_server.url}{order.get_absolute_url()}")
    card = page.locator("[data-testid=order-profit]")
    expect(card.locator("[data-testid=profit-value]")).to_have_text(str(Money(before, "CNY")))

    page.click("[data-testid=add-expense]")
    expect(page.locator("#id_order")).to_have_value(str(order.pk))  # opened from the order: it is chosen
    page.select_option("#id_kind", "freight")
    page.fill("#id_amount", "300")
    page.fill("#id_currency", "EUR")
    page.fill("#id_rate_to_cny", "7.8")
    page.fill("#id_payee", "Kuehne+Nagel")
    page.fill("#id_reference", "KN-2611-0042")
    page.click("[data-testid=save]")

    # back on the order: the expense is on its card and the profit fell by EUR 300.00 × 7.80 = CNY 2,340.00
    expect(card.locator("[data-testid=order-expenses]")).to_contain_text("EUR 300.00")
    expense = Expense.objects.get()
    assert (expense.order, expense.kind, expense.amount, expense.currency, expense.rate_to_cny,
            expense.recorded_by) == (order, "freight", Decimal(300), "EUR", Decimal("7.8"), finance)
    assert expense.history.get().history_user == finance
    after = order_profit(order).profit_cny
    assert before - after == Decimal("2340.00")
    expect(card.locator(f"[data-testid=order-expense-{expense.pk}]")).to_contain_text("EUR 300.00")
    expect(card.locator("[data-testid=profit-value]")).to_have_text(str(Money(after, "CNY")))

    # and the profit page lists the order at its new profit
    page.goto(f"{live_server.url}/finance/profit/")
    expect(page.locator(f"[data-testid=profit-{order.number}] [data-testid=profit-value]")).to_have_text(
        str(Money(after, "CNY")))
    overflow = page.evaluate("document.documentElement.scrollWidth > document.documentElement.clientWidth")
    assert not overflow, "the profit page scrolls sideways"
    assert not problems, problems


@pytest.mark.parametrize("width", [1366, 390])
def test_a_salesperson_sees_no_profit_and_cannot_open_the_page(page, live_server, order, salesperson, finance, width):
    problems = log_in(page, live_server, salesperson, width)
    page.goto(f"{live_server.url}{order.get_absolute_url()}")
    expect(page.locator("[data-testid=money]")).to_be_visible()  # the payments, yes
    expect(page.locator("[data-testid=order-profit]")).to_have_count(0)
    expect(page.locator("[data-testid=nav-profit]")).to_have_count(0)
    response = page.goto(f"{live_server.url}/finance/profit/")
    assert response.status == 403
    assert page.goto(f"{live_server.url}/finance/expenses/new/?order={order.pk}").status == 403
    assert not Expense.objects.exists()
    switch_user(page, live_server, finance, width)  # while finance sees it on the same order
    page.goto(f"{live_server.url}{order.get_absolute_url()}")
    expect(page.locator("[data-testid=order-profit]")).to_be_visible()
    assert not [p for p in problems if "403" not in p], problems
