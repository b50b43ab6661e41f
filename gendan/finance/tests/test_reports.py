"""The finance reports, worked by hand on a small company: two salespeople, orders in USD and EUR, receipts at known
rates, shipments, a cancelled order, a receipt not confirmed. Then who may open them (both ways) and the XLSX
export matching the table on the page, cell by cell.

The story (report month October 2026; the latest confirmed USD receipt is at 7.25, EUR at 7.80, so those are the
current rates orders are valued at):

    order who   cust. currency total    confirmed    shipped             deposit (30 %, due +7 days)
    A     sally C1    USD      2,500.00 10 Oct       —                     750.00 paid by R1 (12 Oct, 7.10)
    B     sally C2    EUR      4,000.00 20 Oct       —                   1,200.00, 1,000 of it by R2 (25 Oct, 7.80)
    C     sam   C3    USD      2,000.00 31 Oct 23:00 —                     600.00 paid by R3 (28 Oct, 7.20)
    D     sam   C3    USD      3,000.00 28 Sep       15 Oct                900.00 paid by R0 (30 Sep, 7.00)
    G     sally C1    USD      1,000.00  1 Sep       part 30 Sep, 5 Oct    300.00 paid by RG (2 Sep, 7.00)
    E     sally C1    USD      2,500.00  1 Nov 00:00 —                   (November, in Shanghai)
    F     sam   C3    USD      2,500.00 12 Oct, cancelled 14 Oct
R3 is USD 1,000.00: 600.00 on C's deposit, 400.00 on no order yet. R4 (30 Oct, USD 500) is not confirmed. R5 (3 Nov,
USD 100 at 7.25, on no order) sets the current USD rate.
"""

from datetime import date, datetime
from decimal import Decimal
from io import BytesIO

import pytest
import time_machine
from django.urls import reverse
from openpyxl import load_workbook

from gendan.finance.models import ScheduleLine
from gendan.finance.profit import current_rates, profit_by, profitable_orders
from gendan.finance.reports import (
    add_months,
    aging_as_of,
    aging_report,
    aging_totals_cny,
    collections_report,
    last_month,
    profit_report,
    sales_report,
)
from gendan.finance.services import receipt_allocate, receipt_confirm
from gendan.finance.tests.factories import record
from gendan.followup.tests.factories import SHANGHAI, at, confirmed_order
from gendan.parties.tests.factories import CustomerFactory
from gendan.sales.models import SalesOrder
from gendan.sales.services import order_cancel, order_mark_ready, order_ship, order_start_production

pytestmark = pytest.mark.django_db
OCTOBER = date(2026, 10, 1)
TODAY = date(2026, 11, 20)


def _remit(order, *, finance, amount, on, rate, kinds=("deposit",), customer=None, currency=None, confirm=True):
    lines = [line for line in ScheduleLine.objects.filter(order=order, kind__in=kinds)] if order else []
    customer = customer or order.customer
    with at(on):
        receipt = record(by=finance, customer=customer, currency=currency or order.currency, received_on=on,
                         amount=amount, rate=rate)
        if lines:
            left, allocations = Decimal(amount), []
            for line in lines:
                part = min(left, line.amount)
                if part:
                    allocations.append((line, part))
                    left -= part
            receipt_allocate(receipt=receipt, by=finance, version=receipt.version, allocations=allocations)
        if confirm:
            receipt.refresh_from_db()
            receipt_confirm(receipt=receipt, by=finance, version=receipt.version)
    return receipt


def _ship(order, *, by, on, partially=False):
    with at(on):
        order.refresh_from_db()
        if order.status == "confirmed":
            order_start_production(order=order, by=by)
            order_mark_ready(order=order, by=by)
        order_ship(order=order, by=by, partially=partially)


@pytest.fixture
def company(salesperson, other_salesperson, sales_manager, merchandiser, finance):
    c1 = CustomerFactory(owner=salesperson, merchandiser=merchandiser, code="C1", name_en="Alpha Trading")
    c2 = CustomerFactory(owner=salesperson, merchandiser=merchandiser, code="C2", name_en="Beta GmbH")
    c3 = CustomerFactory(owner=other_salesperson, merchandiser=merchandiser, code="C3", name_en="Gamma Inc")

    def order(who, customer, currency, price, day, hour=10):
        made = confirmed_order(salesperson=who, manager=sales_manager, merchandiser=merchandiser, customer=customer,
                               confirm_on=day, currency=currency, price=price, ex_factory=date(2027, 1, 20))
        if hour != 10:  # confirmed at an hour when UTC is on another day than Shanghai
            from gendan.sales.models import OrderEvent
            OrderEvent.objects.filter(order=made, new_status="confirmed").update(
                at=datetime(day.year, day.month, day.day, hour, tzinfo=SHANGHAI))
        return made

    orders = {
        "G": order(salesperson, c1, "USD", "0.50", date(2026, 9, 1)),
        "D": order(other_salesperson, c3, "USD", "1.50", date(2026, 9, 28)),
        "A": order(salesperson, c1, "USD", "1.25", date(2026, 10, 10)),
        "B": order(salesperson, c2, "EUR", "2.00", date(2026, 10, 20)),
        "C": order(other_salesperson, c3, "USD", "1.00", date(2026, 10, 31), hour=23),
        "F": order(other_salesperson, c3, "USD", "1.25", date(2026, 10, 12)),
        "E": order(salesperson, c1, "USD", "1.25", date(2026, 11, 1), hour=0),  # 31 Oct 16:00 UTC: November
    }
    _remit(orders["G"], finance=finance, amount="300.00", on=date(2026, 9, 2), rate="7.00")
    _ship(orders["G"], by=sales_manager, on=date(2026, 9, 30), partially=True)
    _ship(orders["G"], by=sales_manager, on=date(2026, 10, 5))
    _remit(orders["D"], finance=finance, amount="900.00", on=date(2026, 9, 30), rate="7.00")
    _ship(orders["D"], by=sales_manager, on=date(2026, 10, 15))
    _remit(orders["A"], finance=finance, amount="750.00", on=date(2026, 10, 12), rate="7.10")
    _remit(orders["B"], finance=finance, amount="1000.00", on=date(2026, 10, 25), rate="7.80")
    _remit(orders["C"], finance=finance, amount="1000.00", on=date(2026, 10, 28), rate="7.20")  # 400 on no order
    _remit(None, finance=finance, customer=c1, currency="USD", amount="500.00", on=date(2026, 10, 30), rate="7.30",
           confirm=False)
    _remit(None, finance=finance, customer=c3, currency="USD", amount="100.00", on=date(2026, 11, 3), rate="7.25")
    with at(date(2026, 10, 14)):
        order_cancel(order=orders["F"], by=sales_manager, reason="customer withdrew")
    return orders


def test_the_period_defaults_to_last_month():
    assert last_month(date(2026, 11, 20)) == OCTOBER
    assert last_month(date(2027, 1, 3)) == date(2026, 12, 1)
    assert add_months(date(2026, 11, 1), -12) == date(2025, 11, 1)


def test_totals_hold_on_the_fixture(company):
    assert {order: SalesOrder.objects.get(pk=company[order].pk).total_amount for order in "ABCDG"} == {
        "A": Decimal("2500"), "B": Decimal("4000"), "C": Decimal("2000"), "D": Decimal("3000"), "G": Decimal("1000")}
    assert current_rates()["USD"] == Decimal("7.25") and current_rates()["EUR"] == Decimal("7.8")


def test_monthly_sales_report_per_salesperson(company, salesperson, other_salesperson):
    report = sales_report(OCTOBER, "salesperson")
    rows = {row.key: row for row in report.rows}
    sally, sam, rest = rows[salesperson.pk], rows[other_salesperson.pk], rows[None]
    # sally: A (USD 2,500 × 7.25 = 18,125.00) and B (EUR 4,000 × 7.80 = 31,200.00); G shipped first in September
    assert (sally.orders, sally.values, sally.orders_cny) == (2, {"USD": Decimal("2500"), "EUR": Decimal("4000")},
                                                              Decimal("49325.00"))
    assert (sally.shipped, sally.shipped_cny) == (0, Decimal("0"))
    # R1 USD 750 × 7.10 = 5,325.00; R2 EUR 1,000 × 7.80 = 7,800.00
    assert sally.received_cny == Decimal("13125.00")
    # sam: C (confirmed 23:00 on 31 Oct, Shanghai) USD 2,000 × 7.25; F cancelled; D shipped 15 Oct: 3,000 × 7.25
    assert (sam.orders, sam.values, sam.orders_cny) == (1, {"USD": Decimal("2000")}, Decimal("14500.00"))
    assert (sam.shipped, sam.shipped_cny) == (1, Decimal("21750.00"))
    assert sam.received_cny == Decimal("4320.00")  # R3's 600.00 on C × 7.20
    assert (rest.label, rest.received_cny, rest.orders) == ("Not on an order yet", Decimal("2880.00"), 0)
    assert [row.key for row in report.rows] == [salesperson.pk, other_salesperson.pk, None]  # by order value
    assert report.currencies == ["EUR", "USD"]
    totals = report.totals
    assert (totals.orders, totals.orders_cny, totals.shipped_cny, totals.received_cny) == (
        3, Decimal("63825.00"), Decimal("21750.00"), Decimal("20325.00"))


def test_monthly_sales_report_per_customer_adds_up_to_the_same_money(company):
    report = sales_report(OCTOBER, "customer")
    rows = {row.label: row for row in report.rows}
    assert set(rows) == {"C1 Alpha Trading", "C2 Beta GmbH", "C3 Gamma Inc"}
    assert (rows["C1 Alpha Trading"].orders_cny, rows["C1 Alpha Trading"].received_cny) == (
        Decimal("18125.00"), Decimal("5325.00"))
    assert (rows["C2 Beta GmbH"].orders_cny, rows["C2 Beta GmbH"].received_cny) == (
        Decimal("31200.00"), Decimal("7800.00"))
    c3 = rows["C3 Gamma Inc"]
    assert (c3.orders, c3.orders_cny, c3.shipped_cny, c3.received_cny) == (
        1, Decimal("14500.00"), Decimal("21750.00"), Decimal("7200.00"))  # R3 whole: 1,000 × 7.20
    assert report.totals.received_cny == Decimal("20325.00") == sales_report(OCTOBER).totals.received_cny


def test_a_month_with_a_partial_shipment_counts_the_order_once_when_the_goods_first_left(company, salesperson):
    september = sales_report(date(2026, 9, 1), "salesperson")
    sally = next(row for row in september.rows if row.key == salesperson.pk)
    assert (sally.orders, sally.orders_cny, sally.shipped, sally.shipped_cny) == (
        1, Decimal("7250.00"), 1, Decimal("7250.00"))  # G: confirmed and partly shipped in September
    assert september.totals.received_cny == Decimal("8400.00")  # RG 300 × 7.00 + R0 900 × 7.00
    assert september.totals.orders == 2  # G and D


def test_collections_per_month(company):
    rows, totals = collections_report(OCTOBER, 6)
    assert [f"{row.month:%Y-%m}" for row in rows] == ["2026-05", "2026-06", "2026-07", "2026-08", "2026-09",
                                                      "2026-10"]
    september, october = rows[-2], rows[-1]
    assert september.received_cny == Decimal("8400.00")
    assert (september.due_cny, september.paid_cny) == (Decimal("2175.00"), Decimal("2175.00"))  # G's 300 × 7.25
    assert october.received_cny == Decimal("20325.00")
    # due in October: D's deposit (5 Oct) USD 900, A's (17 Oct) USD 750, B's (27 Oct) EUR 1,200; C's is due 7 Nov
    assert october.due_cny == Decimal("21322.50")  # 1,650 × 7.25 + 1,200 × 7.80
    assert october.paid_cny == Decimal("19762.50")  # all but EUR 200 of B's
    assert (october.open_cny, october.paid_percent) == (Decimal("1560.00"), Decimal("93"))
    assert rows[0].received_cny == rows[0].due_cny == 0 and rows[0].paid_percent is None
    assert (totals.received_cny, totals.due_cny, totals.paid_cny) == (
        Decimal("28725.00"), Decimal("23497.50"), Decimal("21937.50"))


def test_aging_at_the_end_of_the_month(company):
    as_of = aging_as_of(OCTOBER, today=TODAY)
    assert as_of == date(2026, 10, 31)
    assert aging_as_of(date(2026, 11, 1), today=TODAY) == TODAY  # the month under way: today
    rows = {row["currency"]: row for row in aging_report(as_of, "currency")}
    # balances after the B/L are not due; B's deposit is EUR 200 short, 4 days late; E did not exist yet
    usd, eur = rows["USD"], rows["EUR"]
    assert (usd["not_due"], usd["1_30"], usd["total"]) == (Decimal("5950.000"), 0, Decimal("5950.000"))
    assert (eur["not_due"], eur["1_30"], eur["total"]) == (Decimal("2800.000"), Decimal("200.000"),
                                                           Decimal("3000.000"))
    assert (usd["total_cny"], eur["total_cny"]) == (Decimal("43137.50"), Decimal("23400.00"))
    totals = aging_totals_cny(list(rows.values()))
    assert (totals["not_due"], totals["1_30"], totals["total"]) == (
        Decimal("64977.50"), Decimal("1560.00"), Decimal("66537.50"))
    by_customer = aging_report(as_of, "customer")
    assert [(row["label"], row["total"]) for row in by_customer] == [
        ("C3 Gamma Inc", Decimal("25375.00")),  # (1,400 + 2,100) × 7.25
        ("C2 Beta GmbH", Decimal("23400.00")),
        ("C1 Alpha Trading", Decimal("17762.50"))]  # (1,750 + 700) × 7.25
    assert sum(row["total"] for row in by_customer) == totals["total"]


def test_profit_report_is_profit_by_over_the_period(company):
    orders = SalesOrder.objects.all()
    rows = profit_report(orders, OCTOBER, 6, "month")
    assert [row["label"] for row in rows] == ["2026-05", "2026-06", "2026-07", "2026-08", "2026-09", "2026-10"]
    expected = {row["label"]: row["profit_cny"]
                for row in profit_by(profitable_orders(orders).filter(order_date__lt=date(2026, 11, 1)), "month")}
    assert {row["label"]: row["profit_cny"] for row in rows if row["orders"]} == expected
    assert [row["orders"] for row in rows] == [0, 0, 0, 0, 2, 3]  # F cancelled, E in November
    by_person = profit_report(orders, OCTOBER, 6, "salesperson")
    assert sum(row["profit_cny"] for row in by_person) == sum(row["profit_cny"] for row in rows)


# ---------------------------------------------------------------- pages: permissions and the XLSX export

REPORTS = ["finance:report_sales", "finance:report_collections", "finance:report_aging"]


def test_finance_and_the_gm_open_every_report_others_are_refused(client, finance, general_manager, sales_manager,
                                                                 salesperson, merchandiser):
    for user in (finance, general_manager):
        client.force_login(user)
        for name in ["finance:reports", *REPORTS, "finance:report_profit"]:
            assert client.get(reverse(name)).status_code == 200, (user, name)
    client.force_login(sales_manager)  # profit, not the money reports
    assert client.get(reverse("finance:report_profit")).status_code == 200
    index = client.get(reverse("finance:reports")).content.decode()
    assert 'data-testid="report-profit"' in index and 'data-testid="report-sales"' not in index
    for name in REPORTS:
        assert client.get(reverse(name)).status_code == 403, name
    for user in (salesperson, merchandiser):
        client.force_login(user)
        for name in ["finance:reports", *REPORTS, "finance:report_profit"]:
            assert client.get(reverse(name)).status_code == 403, (user, name)
            assert client.get(reverse(name), {"export": "xlsx"}).status_code == 403, (user, name)
        assert 'data-testid="nav-reports"' not in client.get("/").content.decode()


def test_the_menu_shows_reports_to_finance(client, finance):
    client.force_login(finance)
    assert 'data-testid="nav-reports"' in client.get(reverse("finance:reports")).content.decode()


def _sheet(response) -> list[tuple]:
    return list(load_workbook(BytesIO(response.content)).active.iter_rows(values_only=True))


def _as_shown(text: str):
    """A cell as the page shows it, back to the value the workbook holds."""
    if text == "—":
        return None
    plain = text.replace(",", "").removesuffix(" %")
    try:
        return Decimal(plain)
    except ArithmeticError:
        return text


@pytest.mark.parametrize(("name", "query"), [
    ("finance:report_sales", {"month": "2026-10"}),
    ("finance:report_sales", {"month": "2026-10", "group": "customer"}),
    ("finance:report_collections", {"month": "2026-10", "months": "6"}),
    ("finance:report_aging", {"month": "2026-10"}),
    ("finance:report_aging", {"month": "2026-10", "group": "customer"}),
    ("finance:report_profit", {"month": "2026-10", "months": "6"}),
    ("finance:report_profit", {"month": "2026-10", "months": "6", "group": "customer"}),
])
def test_the_xlsx_holds_exactly_the_table_shown(client, company, general_manager, name, query):
    client.force_login(general_manager)
    with time_machine.travel(datetime(2026, 11, 20, 10, tzinfo=SHANGHAI), tick=False):
        page = client.get(reverse(name), query)
        export = client.get(reverse(name), {**query, "export": "xlsx"})
    assert page.status_code == 200 and export.status_code == 200
    table = page.context["table"]
    # one cell of several currencies (a line each) on the page is a column per currency in the workbook
    currencies = page.context["report"].currencies if "report" in page.context else []

    def expand(cells):
        values = []
        for cell in cells:
            if not cell["lines"]:
                values.append(cell["text"])
                continue
            amounts = dict(line.split(" ", 1) for line in cell["text"].split("\n") if line != "—")
            values += [amounts.get(code, "—") for code in currencies]
        return values

    multi = [cell["lines"] for cell in table["rows"][0]]
    shown = [[]]
    for (header, _num), lines in zip(table["headers"], multi, strict=True):
        shown[0] += [f"{header} {code}" for code in currencies] if lines else [header]
    shown += [[_as_shown(text) for text in expand(row)] for row in [*table["rows"], table["total"]]]
    cells = _sheet(export)
    assert len(cells) == len(shown) > 2
    assert list(cells[0]) == shown[0]
    for got, want in zip(cells[1:], shown[1:], strict=True):
        assert [Decimal(str(v)) if isinstance(v, (int, float)) else v for v in got] == want
    assert all(not isinstance(v, str) or not v.startswith("=") for row in cells for v in row)


def test_the_sales_page_shows_the_hand_worked_figures(client, company, finance):
    finance.language = "en"  # the refusal is asserted as written
    finance.save(update_fields=["language"])
    client.force_login(finance)
    with time_machine.travel(datetime(2026, 11, 20, 10, tzinfo=SHANGHAI), tick=False):
        default = client.get(reverse("finance:report_sales"))  # last month: October
        november = client.get(reverse("finance:report_sales"), {"month": "2026-11"})
        future = client.get(reverse("finance:report_sales"), {"month": "2026-12"})
    text = default.content.decode()
    assert 'value="2026-10"' in text and "49,325.00" in text and "21,750.00" in text and "2,880.00" in text
    assert 'data-testid="chart"' in text and 'id="report-chart-data"' in text
    assert "49,325.00" not in november.content.decode()
    assert "That month has not started yet." in future.content.decode()
    chart = default.context["chart"]
    assert chart["series"][0]["data"][0] == "49325.00"  # amounts as decimal text, not floats


# ---------------------------------------------------------------- the API


def test_the_api_gives_the_same_figures_with_the_same_permissions(company, finance, sales_manager, salesperson,
                                                                   merchandiser):
    from gendan.followup.tests.factories import api_for

    with time_machine.travel(datetime(2026, 11, 20, 10, tzinfo=SHANGHAI), tick=False):
        api = api_for(finance)
        sales = api.get("/api/v1/reports/sales/").json()  # last month by default
        assert sales["month"] == "2026-10-01" and sales["totals"]["received_cny"] == "20325.00"
        assert [row["orders_cny"] for row in sales["rows"]] == ["49325.00", "14500.00", "0.00"]
        assert sales["rows"][0]["values"] == {"EUR": "4000.000", "USD": "2500.000"}
        collections = api.get("/api/v1/reports/collections/", {"month": "2026-10", "months": 6}).json()
        assert (collections[-1]["due_cny"], collections[-1]["paid_percent"]) == ("21322.50", "93")
        aging = api.get("/api/v1/reports/aging/", {"month": "2026-10", "group": "customer"}).json()
        assert [row["total_cny"] for row in aging] == ["25375.00", "23400.00", "17762.50"]
        profit = api.get("/api/v1/reports/profit/", {"month": "2026-10", "months": 6}).json()
        assert [row["orders"] for row in profit] == [0, 0, 0, 0, 2, 3]
        bad = api.get("/api/v1/reports/sales/", {"month": "2026-12", "group": "weekday"})
        assert bad.status_code == 400 and "month" in bad.json()["errors"]
        assert api.get("/api/v1/reports/aging/", {"group": "weekday"}).status_code == 400

        manager = api_for(sales_manager)
        assert manager.get("/api/v1/reports/profit/").status_code == 200
        assert manager.get("/api/v1/reports/sales/").status_code == 403
        for user in (salesperson, merchandiser):
            for kind in ("sales", "collections", "aging", "profit"):
                assert api_for(user).get(f"/api/v1/reports/{kind}/").status_code == 403, (user, kind)


def test_the_reports_are_in_the_openapi_schema(client):
    paths = client.get("/api/v1/openapi.json").json()["paths"]
    for kind in ("sales", "collections", "aging", "profit"):
        assert f"/api/v1/reports/{kind}/" in paths
