"""Finance opens each report in a real Chromium at desktop and phone width: the chart is drawn (the ECharts container
has a canvas), nothing overflows sideways, the console stays clean; picking another month changes the table; the
XLSX link downloads the table. A salesperson is refused the reports. (Reports read only: the database is checked to
be unchanged by looking.)"""

from datetime import date

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from gendan.finance.models import Receipt
from gendan.finance.reports import add_months, last_month
from gendan.finance.tests.factories import pay
from gendan.followup.tests.factories import at, confirmed_order
from gendan.followup.tests.test_browser_actions import log_in, switch_user
from gendan.sales.models import SalesOrder

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
WIDTHS = [1366, 390]


@pytest.fixture
def orders(salesperson, other_salesperson, sales_manager, merchandiser, finance):
    """Last month: one order each for two salespeople, one deposit paid. The month before: one order, no money."""
    month = last_month()
    earlier = add_months(month, -1)
    made = []
    for who, day, currency in [(salesperson, month.replace(day=5), "USD"),
                               (other_salesperson, month.replace(day=12), "EUR"),
                               (salesperson, earlier.replace(day=8), "USD")]:
        made.append(confirmed_order(salesperson=who, manager=sales_manager, merchandiser=merchandiser,
                                    confirm_on=day, currency=currency, ex_factory=date(day.year + 1, 1, 20)))
    with at(month.replace(day=15)):
        pay(made[0], by=finance, kinds=["deposit"], received_on=month.replace(day=15))
    return made


def _no_overflow(page, width: int) -> None:
    scroll = page.evaluate("document.documentElement.scrollWidth")
    assert scroll <= width, f"page is {scroll}px wide at {width}px"


def _chart_drawn(page) -> None:
    chart = page.locator("[data-testid=chart]")
    expect(chart.locator("canvas, svg").first).to_be_attached()
    box = chart.bounding_box()
    assert box and box["width"] > 200 and box["height"] > 200


@pytest.mark.parametrize("width", WIDTHS)
def test_finance_reads_each_report_and_picks_another_month(page, live_server, orders, finance, salesperson, width):
    before = (SalesOrder.objects.count(), Receipt.objects.count())
    problems = log_in(page, live_server, finance, width)
    month, earlier = last_month(), add_months(last_month(), -1)

    page.goto(f"{live_server.url}/finance/reports/")
    for key in ("sales", "collections", "aging", "profit"):
        expect(page.locator(f"[data-testid=report-{key}]")).to_be_visible()
    _no_overflow(page, width)

    # the monthly sales report: last month by default, both salespeople; the month before has one order
    page.click("[data-testid=report-sales]")
    expect(page.locator("[data-testid=period-shown]")).to_have_text(f"{month:%Y-%m}")
    _chart_drawn(page)
    table = page.locator("[data-testid=report-table]")
    expect(table.locator("tbody tr[data-testid^=row-]:not([data-testid=row-total])")).to_have_count(2)
    expect(page.locator("[data-testid=row-total] [data-testid=total-orders]")).to_have_text("2")
    _no_overflow(page, width)
    page.fill("#id_month", f"{earlier:%Y-%m}")
    page.click("[data-testid=show]")
    expect(page.locator("[data-testid=period-shown]")).to_have_text(f"{earlier:%Y-%m}")
    expect(page.locator("[data-testid=row-total] [data-testid=total-orders]")).to_have_text("1")
    _chart_drawn(page)
    page.click("[data-testid=group-customer]")  # the grouping switch keeps the month
    expect(page.locator("[data-testid=group-customer]")).to_have_class("btn btn-sm btn-primary")
    expect(page.locator("[data-testid=period-shown]")).to_have_text(f"{earlier:%Y-%m}")
    with page.expect_download() as download:
        page.click("[data-testid=export]")
    assert download.value.suggested_filename.startswith(f"sales-{earlier:%Y-%m}-by-customer")

    # collections, aging and profit: each draws its chart and fits the screen
    for url in ("/finance/reports/collections/", "/finance/reports/aging/", "/finance/reports/profit/"):
        page.goto(f"{live_server.url}{url}")
        _chart_drawn(page)
        expect(page.locator("[data-testid=report-table]")).to_be_visible()
        _no_overflow(page, width)
    page.goto(f"{live_server.url}/finance/reports/collections/?months=6")
    expect(page.locator("[data-testid=report-table] tbody tr[data-testid^=row-]")).to_have_count(7)  # 6 + total
    received = page.locator("[data-testid=row-6] [data-testid=cell-received-cny]")
    expect(received).not_to_have_text("0.00")  # last month's deposit
    page.fill("#id_month", f"{earlier:%Y-%m}")
    page.click("[data-testid=show]")
    expect(page.locator("[data-testid=row-6] [data-testid=cell-received-cny]")).to_have_text("0.00")

    assert (SalesOrder.objects.count(), Receipt.objects.count()) == before  # looking changes nothing
    assert problems == [], problems

    # a salesperson is refused every report, and has no menu entry
    switch_user(page, live_server, salesperson, width)
    expect(page.locator("[data-testid=nav-reports]")).to_have_count(0)
    for url in ("/finance/reports/", "/finance/reports/sales/", "/finance/reports/profit/"):
        response = page.goto(f"{live_server.url}{url}")
        assert response.status == 403, url
    assert timezone.localdate() >= month
