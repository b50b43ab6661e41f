"""The finance report pages: an index, the monthly sales report, collections, receivables aging and profit.

Each page shows one chart (ECharts, drawn by static/gendan/reports.js from a `json_script` spec: the CSP allows no
inline script) over one table, and `?export=xlsx` downloads exactly that table: the page and the workbook are
built from the same column list (`Col`), total line included, so they cannot drift apart."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from django import forms
from django.contrib.auth.decorators import login_required, permission_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from gendan.core.forms import StyledFormMixin
from gendan.core.money import minor_units, round_amount
from gendan.core.xlsx import xlsx_response
from gendan.finance import reports
from gendan.finance.profit import current_rates
from gendan.finance.selectors import BUCKET_LABELS
from gendan.sales.selectors import order_list_visible_to

VIEW = "finance.view_receipt"
PROFIT = "finance.view_profit"
MONTH_SPANS = [(6, gettext_lazy("6 months")), (12, gettext_lazy("12 months")), (24, gettext_lazy("24 months"))]


# ---------------------------------------------------------------- the period picker


class PeriodForm(StyledFormMixin, forms.Form):
    """A month (default: last month, the one finance reports by the 25th) and, for reports over time, how many
    months up to it."""

    month = forms.CharField(label=gettext_lazy("Month"), required=False,
                            widget=forms.TextInput(attrs={"type": "month", "placeholder": "YYYY-MM"}))
    months = forms.TypedChoiceField(label=gettext_lazy("Period"), required=False, coerce=int, choices=MONTH_SPANS)

    def clean_month(self) -> date | None:
        text = (self.cleaned_data.get("month") or "").strip()
        if not text:
            return None
        try:
            year, month = (int(part) for part in text.split("-"))
            chosen = date(year, month, 1)
        except ValueError:
            raise forms.ValidationError(_("Enter a month as YYYY-MM, e.g. 2026-11.")) from None
        if chosen > timezone.localdate():
            raise forms.ValidationError(_("That month has not started yet."))
        return chosen


def _period(request) -> tuple[PeriodForm, date, int]:
    """The month and span asked for; the defaults filled in, so the picker always shows what the page shows."""
    default = reports.last_month()
    data = request.GET.copy()
    if not data.get("month"):
        data["month"] = f"{default:%Y-%m}"
    if not data.get("months"):
        data["months"] = "12"
    form = PeriodForm(data)
    if form.is_valid():
        return form, form.cleaned_data["month"], form.cleaned_data["months"]
    return form, default, 12


# ---------------------------------------------------------------- one column list for the page and the workbook


@dataclass
class Col:
    """A column of a report table: its header, how to read a row, and how to show it ("text", "count", "cny",
    "amount" in `currency`, "percent", or "currencies": {currency: amount} shown in one cell, one line each, and
    exported as one column per currency, `currencies` naming them)."""

    header: str
    get: Callable[[object], object]
    kind: str = "cny"
    currency: str = "CNY"
    testid: str = ""
    currencies: tuple[str, ...] = ()

    def text(self, value) -> str:
        if value is None or value == "":
            return "—"
        if self.kind == "text":
            return str(value)
        if self.kind == "count":
            return f"{value:,}"
        if self.kind == "percent":
            return f"{value} %"
        if self.kind == "currencies":  # {currency: amount}, one per line on the page
            return "\n".join(f"{code} {round_amount(Decimal(amount), code):,.{minor_units(code)}f}"
                             for code, amount in sorted(value.items())) or "—"
        return f"{round_amount(Decimal(value), self.currency):,.{minor_units(self.currency)}f}"


def _table(columns: list[Col], rows, total=None) -> dict:
    """What the template draws: headers, and each row's cells as text (numbers right-aligned)."""
    def cells(row):
        return [{"text": column.text(column.get(row)), "num": column.kind != "text", "header": column.header,
                 "testid": column.testid, "lines": column.kind == "currencies"} for column in columns]
    return {"headers": [(column.header, column.kind != "text") for column in columns],
            "rows": [cells(row) for row in rows], "total": cells(total) if total is not None else None}


def _export(columns: list[Col], rows, total, filename: str):
    """The table as shown, values as numbers (Decimal, rounded as on screen), the total line last; a cell of several
    currencies becomes one column per currency."""
    def value(column: Col, row, currency: str):
        raw = column.get(row)
        if column.kind == "currencies":
            amount = raw.get(currency)
            return round_amount(Decimal(amount), currency) if amount is not None else None
        if column.kind in ("cny", "amount") and raw is not None:
            return round_amount(Decimal(raw), column.currency)
        return raw
    xlsx_columns = []
    for column in columns:
        if column.kind == "currencies":
            xlsx_columns += [(f"{column.header} {code}", lambda row, column=column, code=code: value(column, row, code))
                             for code in column.currencies]
        else:
            xlsx_columns.append((column.header, lambda row, column=column: value(column, row, "")))
    return xlsx_response([*rows, *([total] if total is not None else [])], xlsx_columns, filename)


def _number(value) -> str:
    """A chart value: a Decimal as text, so no float rounding happens in Python."""
    return str(value if value is not None else 0)


def _render(request, template: str, context: dict):
    query = request.GET.copy()
    query.pop("export", None)
    context["query"] = query.urlencode()
    return render(request, template, context)


def _require_any(user, *perms: str) -> None:
    if not any(user.has_perm(perm) for perm in perms):
        raise PermissionDenied


# ---------------------------------------------------------------- the index


@login_required
def report_index(request):
    """Cards linking to the reports the user may see."""
    _require_any(request.user, VIEW, PROFIT)
    return render(request, "finance/reports/index.html", {"last_month": reports.last_month()})


# ---------------------------------------------------------------- the monthly sales report


SALES_GROUP_LABELS = [("salesperson", gettext_lazy("By salesperson")), ("customer", gettext_lazy("By customer"))]


def _sales_columns(report: reports.SalesReport) -> list[Col]:
    first = _("Salesperson") if report.group == "salesperson" else _("Customer")
    return [
        Col(first, lambda r: r.label, "text"),
        Col(_("Orders confirmed"), lambda r: r.orders, "count", testid="orders"),
        Col(_("Order value"), lambda r: r.values, "currencies", currencies=tuple(report.currencies),
            testid="values"),
        Col(_("Order value (CNY)"), lambda r: r.orders_cny, testid="orders-cny"),
        Col(_("Orders shipped"), lambda r: r.shipped, "count", testid="shipped"),
        Col(_("Shipped value (CNY)"), lambda r: r.shipped_cny, testid="shipped-cny"),
        Col(_("Received (CNY)"), lambda r: r.received_cny, testid="received-cny"),
    ]


@login_required
@permission_required(VIEW, raise_exception=True)
def sales_report_page(request):
    """Orders confirmed, goods shipped and money received in a month, per salesperson or per customer."""
    form, month, _months = _period(request)
    group = request.GET.get("group", "salesperson")
    group = group if group in reports.SALES_GROUPS else "salesperson"
    rates = current_rates()
    report = reports.sales_report(month, group, rates)
    columns = _sales_columns(report)
    if request.GET.get("export") == "xlsx":
        return _export(columns, report.rows, report.totals, f"sales-{month:%Y-%m}-by-{group}")
    charted = [row for row in report.rows if row.key is not None][:15]
    chart = {"kind": "bar", "unit": "CNY", "categories": [row.label for row in charted],
             "series": [{"name": _("Order value"), "type": "bar",
                         "data": [_number(r.orders_cny) for r in charted]},
                        {"name": _("Shipped"), "type": "bar", "data": [_number(r.shipped_cny) for r in charted]},
                        {"name": _("Received"), "type": "bar", "data": [_number(r.received_cny) for r in charted]}]}
    return _render(request, "finance/reports/sales.html", {
        "form": form, "month": month, "group": group, "groups": SALES_GROUP_LABELS, "report": report,
        "table": _table(columns, report.rows, report.totals), "chart": chart,
        "rates": [(code, rate) for code, rate in sorted(rates.items()) if code in report.currencies and code != "CNY"]})


# ---------------------------------------------------------------- collections


def _collections_columns() -> list[Col]:
    return [
        Col(_("Month"), lambda r: r.label or f"{r.month:%Y-%m}", "text"),
        Col(_("Received (CNY)"), lambda r: r.received_cny, testid="received-cny"),
        Col(_("Fell due (CNY)"), lambda r: r.due_cny, testid="due-cny"),
        Col(_("Of it paid (CNY)"), lambda r: r.paid_cny, testid="paid-cny"),
        Col(_("Of it open (CNY)"), lambda r: r.open_cny, testid="open-cny"),
        Col(_("Paid %"), lambda r: r.paid_percent, "percent", testid="paid-percent"),
    ]


@login_required
@permission_required(VIEW, raise_exception=True)
def collections_page(request):
    """Money received per month against what fell due."""
    form, month, months = _period(request)
    rows, totals = reports.collections_report(month, months)
    columns = _collections_columns()
    if request.GET.get("export") == "xlsx":
        return _export(columns, rows, totals, f"collections-{month:%Y-%m}-{months}m")
    chart = {"kind": "bar", "unit": "CNY", "categories": [f"{row.month:%Y-%m}" for row in rows],
             "series": [{"name": _("Received"), "type": "bar", "data": [_number(r.received_cny) for r in rows]},
                        {"name": _("Of it paid"), "type": "bar", "data": [_number(r.paid_cny) for r in rows]},
                        {"name": _("Fell due"), "type": "line", "data": [_number(r.due_cny) for r in rows]}]}
    return _render(request, "finance/reports/collections.html", {
        "form": form, "month": month, "months": months, "rows": rows, "chart": chart,
        "table": _table(columns, rows, totals)})


# ---------------------------------------------------------------- receivables aging


AGING_GROUP_LABELS = [("currency", gettext_lazy("By currency")), ("customer", gettext_lazy("Top customers"))]


def _aging_columns(group: str) -> list[Col]:
    if group == "customer":
        return [Col(_("Customer"), lambda r: r["label"], "text"),
                *[Col(f"{label} (CNY)", lambda r, key=key: r[key]) for key, label in BUCKET_LABELS],
                Col(_("Outstanding (CNY)"), lambda r: r["total"], testid="total-cny")]
    return [Col(_("Currency"), lambda r: r["label"], "text"),
            *[Col(str(label), lambda r, key=key: r.get(key), "amount", "") for key, label in BUCKET_LABELS],
            Col(_("Outstanding"), lambda r: r.get("total"), "amount", "", testid="total"),
            Col(_("Outstanding (CNY)"), lambda r: r["total_cny"], testid="total-cny")]


@login_required
@permission_required(VIEW, raise_exception=True)
def aging_report_page(request):
    """The company's receivables at the end of a month, by how late they are: per currency or top customers."""
    form, month, _months = _period(request)
    group = request.GET.get("group", "currency")
    group = group if group in reports.AGING_GROUPS else "currency"
    as_of = reports.aging_as_of(month)
    rows = reports.aging_report(as_of, group)
    totals = reports.aging_totals_cny(rows)
    columns = _aging_columns(group)
    if group == "currency":
        # amounts in the row's own currency: text with its own minor units; the total line is CNY only
        for row in rows:
            row["currency_code"] = row["currency"]
        total = {"label": _("Total (CNY)"), **{key: totals[key] for key, _label in BUCKET_LABELS}, "total": None,
                 "total_cny": totals["total"]}
        table = _aging_table(columns, rows, total)
    else:
        total = {"label": _("Total"), **{key: totals[key] for key, _label in BUCKET_LABELS},
                 "total": totals["total"], "total_cny": totals["total"]}
        table = _table(columns, rows, total)
    if request.GET.get("export") == "xlsx":
        return _export_aging(columns, rows, total, f"aging-{as_of:%Y-%m-%d}-by-{group}", group)
    charted = rows[:reports.TOP_CUSTOMERS]  # the customers, not the "others" line that would dwarf them
    chart = {"kind": "stack", "unit": "CNY", "horizontal": group == "customer",
             "categories": [row["label"] for row in charted],
             "series": [{"name": str(label), "type": "bar", "stack": "aging",
                         "data": [_number(row["buckets_cny"][key]) for row in charted]}
                        for key, label in BUCKET_LABELS]}
    return _render(request, "finance/reports/aging.html", {
        "form": form, "month": month, "as_of": as_of, "group": group, "groups": AGING_GROUP_LABELS, "table": table,
        "chart": chart, "totals": totals})


def _aging_table(columns: list[Col], rows: list[dict], total: dict) -> dict:
    """By currency each row's amounts are in its own currency (its own minor units)."""
    def cells(row):
        result = []
        for column in columns:
            value = column.get(row)
            shown = Col(column.header, column.get, column.kind, row.get("currency_code") or "CNY")
            result.append({"text": shown.text(value), "num": column.kind != "text", "header": column.header,
                           "testid": column.testid, "lines": False})
        return result
    return {"headers": [(column.header, column.kind != "text") for column in columns],
            "rows": [cells(row) for row in rows], "total": cells(total)}


def _export_aging(columns: list[Col], rows: list[dict], total: dict, filename: str, group: str):
    def value(column: Col, row):
        raw = column.get(row)
        if raw is None or column.kind == "text":
            return raw
        currency = (row.get("currency_code") or "CNY") if column.kind == "amount" else "CNY"
        return round_amount(Decimal(raw), currency)
    xlsx_columns = [(column.header, lambda row, column=column: value(column, row)) for column in columns]
    return xlsx_response([*rows, total], xlsx_columns, filename)


# ---------------------------------------------------------------- profit


PROFIT_GROUP_LABELS = [("month", gettext_lazy("By month")), ("customer", gettext_lazy("By customer")),
                       ("salesperson", gettext_lazy("By salesperson"))]


def _profit_columns(group: str) -> list[Col]:
    first = {"month": _("Month"), "customer": _("Customer"), "salesperson": _("Salesperson")}[group]
    return [
        Col(first, lambda r: r["label"], "text"),
        Col(_("Orders"), lambda r: r["orders"], "count", testid="orders"),
        Col(_("Revenue (CNY)"), lambda r: r["revenue_cny"], testid="revenue-cny"),
        Col(_("Costs (CNY)"), lambda r: r["costs_cny"], testid="costs-cny"),
        Col(_("VAT refund (CNY)"), lambda r: r["refund_cny"], testid="refund-cny"),
        Col(_("Margin %"), lambda r: r["margin"], "percent", testid="margin"),
        Col(_("Profit (CNY)"), lambda r: r["profit_cny"], testid="profit-cny"),  # last: the phone card's figure
    ]


def _with_costs(row: dict) -> dict:
    """Purchase, expenses, bank charges and non-creditable VAT in one column; the margin on revenue."""
    row["costs_cny"] = (row["purchase_cny"] + row["expenses_cny"] + row["charges_cny"]
                        + row["non_creditable_cny"])
    row["margin"] = (round_amount(row["profit_cny"] * 100 / row["revenue_cny"], "JPY")
                     if row["revenue_cny"] else None)
    return row


@login_required
@permission_required(PROFIT, raise_exception=True)
def profit_report_page(request):
    """Profit per month over a period, or per customer or salesperson; the orders the user may see."""
    form, month, months = _period(request)
    group = request.GET.get("group", "month")
    group = group if group in reports.PROFIT_REPORT_GROUPS else "month"
    orders = order_list_visible_to(user=request.user)
    rows = [_with_costs(row) for row in reports.profit_report(orders, month, months, group)]
    total = _with_costs({"label": _("Total"), "orders": sum(row["orders"] for row in rows),
                         **{name: sum((row[name] for row in rows), Decimal(0)) for name in (
                             "revenue_cny", "purchase_cny", "expenses_cny", "charges_cny", "refund_cny",
                             "non_creditable_cny", "profit_cny")}})
    columns = _profit_columns(group)
    if request.GET.get("export") == "xlsx":
        return _export(columns, rows, total, f"profit-{month:%Y-%m}-{months}m-by-{group}")
    if group == "month":
        chart = {"kind": "bar", "unit": "CNY", "categories": [row["label"] for row in rows],
                 "series": [{"name": _("Revenue"), "type": "bar", "data": [_number(r["revenue_cny"]) for r in rows]},
                            {"name": _("Profit"), "type": "line", "data": [_number(r["profit_cny"]) for r in rows]}]}
    else:
        top = rows[:10]
        chart = {"kind": "bar", "unit": "CNY", "horizontal": True, "categories": [row["label"] for row in top],
                 "series": [{"name": _("Profit"), "type": "bar", "data": [_number(r["profit_cny"]) for r in top]}]}
    return _render(request, "finance/reports/profit.html", {
        "form": form, "month": month, "months": months, "group": group, "groups": PROFIT_GROUP_LABELS,
        "table": _table(columns, rows, total), "chart": chart, "start": reports.months_ending(month, months)[0]})
