"""Finance reports: the monthly sales report (for finance by the 25th), collections, receivables aging for the
whole company, and profit over months. Reads only.

Every figure is summed in the database, grouped by the report's rows and by currency; Python only turns the few
grouped rows into CNY and rounds them (never one row per order). Amounts in CNY are rounded half-up to the fen
once per cell, and a report's totals are the sums of its rounded cells, so the table always adds up.

Which rate turns an amount into CNY:
- an order's value (confirmed, shipped, fallen due): the currency's current rate (`profit.current_rates`, the
  latest confirmed receipt's rate, as the profit page uses);
- a receipt: its own rate, the one finance actually got.
A currency with no rate at all is left out of the CNY figure and counted in the row's `unrated`.

Months are calendar months in the company's time zone (Asia/Shanghai): an order confirmed on 1 Dec 00:30 there
belongs to December, whatever UTC says.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from decimal import Decimal

from django.db.models import Count, DecimalField, Exists, F, Min, OuterRef, QuerySet, Subquery, Sum
from django.db.models.functions import TruncMonth
from django.utils import timezone
from django.utils.translation import gettext as _

from gendan.core.money import round_amount
from gendan.finance.choices import ReceiptStatus
from gendan.finance.models import Allocation, Receipt, ScheduleLine
from gendan.finance.profit import current_rates, profit_by, profitable_orders
from gendan.finance.selectors import BUCKETS, aging_by_customer
from gendan.sales.choices import OrderStatus
from gendan.sales.models import OrderEvent, SalesOrder

ZERO = Decimal(0)
EXACT = DecimalField(max_digits=30, decimal_places=9)
SHIPPING_STATES = [OrderStatus.PARTIALLY_SHIPPED, OrderStatus.SHIPPED]


# ---------------------------------------------------------------- months


def first_of(day: date) -> date:
    return day.replace(day=1)


def add_months(month: date, count: int) -> date:
    """The first of the month `count` months after (or before) `month`."""
    index = month.year * 12 + month.month - 1 + count
    return date(index // 12, index % 12 + 1, 1)


def last_month(today: date | None = None) -> date:
    """The month finance reports by the 25th: the one before today's."""
    return add_months(first_of(today or timezone.localdate()), -1)


def month_bounds(month: date) -> tuple[datetime, datetime]:
    """The moments the month starts and the next one starts, in the company's zone."""
    start = timezone.make_aware(datetime.combine(first_of(month), datetime.min.time()))
    end = timezone.make_aware(datetime.combine(add_months(month, 1), datetime.min.time()))
    return start, end


def months_ending(month: date, count: int) -> list[date]:
    """The `count` months up to and including `month`, oldest first."""
    return [add_months(first_of(month), offset) for offset in range(1 - count, 1)]


def _month_key(value) -> date:
    """TruncMonth gives a date on one database and a datetime on another (for a date column both give a date;
    be lenient anyway)."""
    return value.date() if isinstance(value, datetime) else value


# ---------------------------------------------------------------- CNY


def cny(value) -> Decimal:
    """A sum from the database to the fen (SQLite hands back floats for sums of products)."""
    return round_amount(Decimal(str(value)) if value is not None else ZERO, "CNY")


def _in_cny(amounts: dict[str, Decimal], rates: dict[str, Decimal]) -> tuple[Decimal, int]:
    """Σ amount × the currency's rate, rounded once; and how many currencies had no rate (left out)."""
    total, unrated = ZERO, 0
    for currency, amount in amounts.items():
        if currency in rates:
            total += amount * rates[currency]
        elif amount:
            unrated += 1
    return round_amount(total, "CNY"), unrated


# ---------------------------------------------------------------- the monthly sales report


SALES_GROUPS = ("salesperson", "customer")


@dataclass
class SalesRow:
    """One salesperson's (or customer's) month: orders confirmed, orders shipped, money received."""

    key: int | None
    label: str
    orders: int = 0
    values: dict[str, Decimal] = field(default_factory=dict)  # confirmed order value per currency
    orders_cny: Decimal = ZERO
    shipped: int = 0
    shipped_values: dict[str, Decimal] = field(default_factory=dict)
    shipped_cny: Decimal = ZERO
    received_cny: Decimal = ZERO
    unrated: int = 0  # currencies without a rate, left out of the CNY figures


@dataclass
class SalesReport:
    month: date
    group: str
    rows: list[SalesRow]
    currencies: list[str]
    totals: SalesRow


def _group_paths(group: str) -> tuple[str, list[str]]:
    if group == "customer":
        return "customer", ["customer__code", "customer__name_en"]
    return "salesperson", ["salesperson__username", "salesperson__first_name", "salesperson__last_name"]


def _label(group: str, row: dict, prefix: str = "") -> str:
    if group == "customer":
        return f"{row[prefix + 'customer__code']} {row[prefix + 'customer__name_en']}".strip()
    name = f"{row[prefix + 'salesperson__last_name']}{row[prefix + 'salesperson__first_name']}".strip()
    return name or row[prefix + "salesperson__username"]


def confirmed_in(month: date, orders: QuerySet[SalesOrder] | None = None) -> QuerySet[SalesOrder]:
    """Orders confirmed in the month (the status event's moment), not cancelled since: what was sold."""
    start, end = month_bounds(month)
    confirmed = OrderEvent.objects.filter(order=OuterRef("pk"), kind="status", new_status=OrderStatus.CONFIRMED,
                                          at__gte=start, at__lt=end)
    orders = orders if orders is not None else SalesOrder.objects.all()
    return orders.filter(Exists(confirmed)).exclude(status=OrderStatus.CANCELLED)


def shipped_in(month: date, orders: QuerySet[SalesOrder] | None = None) -> QuerySet[SalesOrder]:
    """Orders whose goods first left in the month: their first move to partially shipped or shipped. The whole
    order's value counts then (the order records no shipped quantities; a later move to shipped adds nothing)."""
    start, end = month_bounds(month)
    first = (OrderEvent.objects.filter(order=OuterRef("pk"), kind="status", new_status__in=SHIPPING_STATES)
             .order_by().values("order").annotate(first=Min("at")).values("first"))
    orders = orders if orders is not None else SalesOrder.objects.all()
    return orders.annotate(first_shipped=Subquery(first)).filter(first_shipped__gte=start, first_shipped__lt=end)


def received_in(month: date) -> QuerySet[Receipt]:
    """Receipts finance confirmed whose money arrived (the bank's date) in the month."""
    start = first_of(month)
    return Receipt.objects.filter(status=ReceiptStatus.CONFIRMED, received_on__gte=start,
                                  received_on__lt=add_months(start, 1))


def sales_report(month: date, group: str = "salesperson", rates: dict[str, Decimal] | None = None) -> SalesReport:
    """Per salesperson (or customer): orders confirmed in the month (count, value per currency and in CNY), orders
    shipped in the month (count, value in CNY) and the receipts of the month in CNY at their own rates.

    Per salesperson a receipt counts through its allocations to their orders; what of it is on no order yet
    (customer credit) is a row of its own, so both groupings add up to the same money received."""
    rates = rates if rates is not None else current_rates()
    month = first_of(month)
    key, names = _group_paths(group)
    rows: dict[int | None, SalesRow] = {}

    def row_for(record: dict, prefix: str = "") -> SalesRow:
        pk = record[prefix + key]
        if pk not in rows:
            rows[pk] = SalesRow(key=pk, label=_label(group, record, prefix))
        return rows[pk]

    for record in (confirmed_in(month).order_by().values(key, *names, "currency")
                   .annotate(n=Count("pk"), total=Sum("total_amount"))):
        row = row_for(record)
        row.orders += record["n"]
        row.values[record["currency"]] = row.values.get(record["currency"], ZERO) + record["total"]
    for record in (shipped_in(month).order_by().values(key, *names, "currency")
                   .annotate(n=Count("pk"), total=Sum("total_amount"))):
        row = row_for(record)
        row.shipped += record["n"]
        row.shipped_values[record["currency"]] = row.shipped_values.get(record["currency"], ZERO) + record["total"]

    receipts = received_in(month)
    received_total = receipts.aggregate(total=Sum(F("amount") * F("rate_to_cny"), output_field=EXACT))["total"]
    if group == "customer":
        for record in (receipts.order_by().values(key, *names)
                       .annotate(total=Sum(F("amount") * F("rate_to_cny"), output_field=EXACT))):
            row_for(record).received_cny = cny(record["total"])
    else:
        on_orders = cny(0)
        prefix = "line__order__"
        for record in (Allocation.objects.filter(receipt__in=receipts).order_by()
                       .values(*(prefix + name for name in [key, *names]))
                       .annotate(total=Sum(F("amount") * F("receipt__rate_to_cny"), output_field=EXACT))):
            row_for(record, prefix).received_cny = cny(record["total"])
            on_orders += cny(record["total"])
        rest = cny(received_total) - on_orders
        if rest:
            rows[None] = SalesRow(key=None, label=_("Not on an order yet"), received_cny=rest)

    for row in rows.values():
        row.orders_cny, unrated = _in_cny(row.values, rates)
        row.shipped_cny, shipped_unrated = _in_cny(row.shipped_values, rates)
        row.unrated = unrated + shipped_unrated
    ordered = sorted(rows.values(), key=lambda row: (row.key is None, -row.orders_cny, -row.received_cny,
                                                      row.label))
    currencies = sorted({currency for row in ordered for currency in row.values})
    return SalesReport(month=month, group=group, rows=ordered, currencies=currencies, totals=_sales_totals(ordered))


def _sales_totals(rows: list[SalesRow]) -> SalesRow:
    total = SalesRow(key=None, label=_("Total"))
    for row in rows:
        total.orders += row.orders
        total.shipped += row.shipped
        for currency, amount in row.values.items():
            total.values[currency] = total.values.get(currency, ZERO) + amount
        total.orders_cny += row.orders_cny
        total.shipped_cny += row.shipped_cny
        total.received_cny += row.received_cny
        total.unrated += row.unrated
    return total


# ---------------------------------------------------------------- collections


@dataclass
class CollectionsRow:
    month: date
    received_cny: Decimal = ZERO  # confirmed receipts of the month, at their own rates
    due_cny: Decimal = ZERO  # schedule lines falling due in the month, at current rates
    paid_cny: Decimal = ZERO  # of what fell due in the month, what has been paid so far (current rates)
    unrated: int = 0
    label: str = ""  # the total line's "Total"

    @property
    def open_cny(self) -> Decimal:
        return self.due_cny - self.paid_cny

    @property
    def paid_percent(self) -> Decimal | None:
        """What of the month's due money is in, in whole percent; None when nothing fell due."""
        if not self.due_cny:
            return None
        return round_amount(self.paid_cny * 100 / self.due_cny, "JPY")  # whole percent, half-up


def collections_report(month: date, months: int = 12,
                       rates: dict[str, Decimal] | None = None) -> tuple[list[CollectionsRow], CollectionsRow]:
    """Per month, the `months` up to `month`: money received (confirmed receipts, CNY at their own rates) and
    what fell due (schedule lines by due date, orders not cancelled) against what of that has been paid."""
    rates = rates if rates is not None else current_rates()
    span = months_ending(month, months)
    start, end = span[0], add_months(span[-1], 1)
    rows = {day: CollectionsRow(month=day) for day in span}
    received = (Receipt.objects.filter(status=ReceiptStatus.CONFIRMED, received_on__gte=start, received_on__lt=end)
                .annotate(month=TruncMonth("received_on")).order_by().values("month")
                .annotate(total=Sum(F("amount") * F("rate_to_cny"), output_field=EXACT)))
    for record in received:
        rows[_month_key(record["month"])].received_cny = cny(record["total"])

    lines = ScheduleLine.objects.filter(due_date__gte=start, due_date__lt=end).exclude(
        order__status=OrderStatus.CANCELLED)
    due: dict[date, dict[str, Decimal]] = defaultdict(dict)
    for record in (lines.annotate(month=TruncMonth("due_date")).order_by().values("month", "currency")
                   .annotate(total=Sum("amount"))):
        due[_month_key(record["month"])][record["currency"]] = record["total"]
    paid: dict[date, dict[str, Decimal]] = defaultdict(dict)
    for record in (Allocation.objects.filter(line__in=lines, receipt__status=ReceiptStatus.CONFIRMED)
                   .annotate(month=TruncMonth("line__due_date")).order_by().values("month", "line__currency")
                   .annotate(total=Sum("amount"))):
        paid[_month_key(record["month"])][record["line__currency"]] = record["total"]
    for day, row in rows.items():
        row.due_cny, unrated = _in_cny(due[day], rates)
        row.paid_cny, _unrated = _in_cny(paid[day], rates)
        row.unrated = unrated
    ordered = list(rows.values())
    totals = CollectionsRow(month=span[-1], received_cny=sum((r.received_cny for r in ordered), ZERO),
                            due_cny=sum((r.due_cny for r in ordered), ZERO),
                            paid_cny=sum((r.paid_cny for r in ordered), ZERO),
                            unrated=sum(r.unrated for r in ordered), label=_("Total"))
    return ordered, totals


# ---------------------------------------------------------------- receivables aging, company-wide


AGING_GROUPS = ("currency", "customer")
TOP_CUSTOMERS = 10


def aging_as_of(month: date, today: date | None = None) -> date:
    """The day a month's aging is taken: its last day, or today for the month under way."""
    today = today or timezone.localdate()
    return min(add_months(first_of(month), 1) - timedelta(days=1), today)


def aging_report(as_of: date, group: str = "currency", rates: dict[str, Decimal] | None = None) -> list[dict]:
    """The company's receivables on `as_of` in aging buckets (from `aging_by_customer`, summed in the database).

    By currency: one row per currency, in that currency, with the CNY equivalent of its total. By customer: the
    ten customers owing most, every currency turned into CNY at current rates, and one row for all the others.
    Each row has the buckets, `total` and `total_cny`; the buckets add up to the total."""
    rates = rates if rates is not None else current_rates()
    rows = aging_by_customer(as_of)
    if group == "customer":
        return _aging_by_customer_cny(rows, rates)
    table: dict[str, dict] = {}
    for row in rows:
        item = table.setdefault(row["currency"], {"label": row["currency"], "currency": row["currency"],
                                                  "total": ZERO, **dict.fromkeys(BUCKETS, ZERO)})
        for name in [*BUCKETS, "total"]:
            item[name] += row[name]
    result = []
    for currency, item in sorted(table.items()):
        item["total_cny"], item["unrated"] = _in_cny({currency: item["total"]}, rates)
        item["buckets_cny"] = {name: _in_cny({currency: item[name]}, rates)[0] for name in BUCKETS}
        result.append(item)
    return result


def _aging_by_customer_cny(rows: list[dict], rates: dict[str, Decimal]) -> list[dict]:
    customers: dict[int, dict] = {}
    for row in rows:
        customer = row["customer"]
        item = customers.setdefault(customer.pk, {
            "label": f"{customer.code} {customer.name_en}".strip(), "currency": "CNY", "unrated": 0,
            "amounts": {name: defaultdict(lambda: ZERO) for name in BUCKETS}})
        for name in BUCKETS:
            item["amounts"][name][row["currency"]] += row[name]
    result = []
    for item in customers.values():
        for name in BUCKETS:
            item[name], unrated = _in_cny(item["amounts"][name], rates)
            item["unrated"] += unrated
        item["total"] = sum((item[name] for name in BUCKETS), ZERO)
        del item["amounts"]
        result.append(item)
    result.sort(key=lambda item: (-item["total"], item["label"]))
    top, rest = result[:TOP_CUSTOMERS], result[TOP_CUSTOMERS:]
    if rest:
        others = {"label": _("%(count)s other customers") % {"count": len(rest)}, "currency": "CNY",
                  "unrated": sum(item["unrated"] for item in rest)}
        for name in [*BUCKETS, "total"]:
            others[name] = sum((item[name] for item in rest), ZERO)
        top.append(others)
    for item in top:
        item["total_cny"] = item["total"]
        item["buckets_cny"] = {name: item[name] for name in BUCKETS}
    return top


def aging_totals_cny(rows: list[dict]) -> dict:
    """The CNY line under the table: each bucket and the total summed over the rows' CNY figures."""
    totals = {name: sum((row["buckets_cny"][name] for row in rows), ZERO) for name in BUCKETS}
    totals["total"] = sum((row["total_cny"] for row in rows), ZERO)
    totals["unrated"] = sum(row["unrated"] for row in rows)
    return totals


# ---------------------------------------------------------------- profit over months


PROFIT_REPORT_GROUPS = ("month", "customer", "salesperson")


def profit_report(orders: QuerySet[SalesOrder], month: date, months: int = 12, group: str = "month",
                  rates: dict[str, Decimal] | None = None) -> list[dict]:
    """Profit of the orders dated in the `months` up to `month` (profit.py's `profit_by`, grouped in the
    database): per month, oldest first, every month present (empty ones as zero); or per customer or
    salesperson, most profitable first."""
    span = months_ending(month, months)
    orders = profitable_orders(orders).filter(order_date__gte=span[0], order_date__lt=add_months(span[-1], 1))
    rows = profit_by(orders, group, rates)
    if group != "month":
        return rows
    by_month = {_month_key(row["key"]): row for row in rows}
    empty = {"orders": 0, "unrated": 0, "revenue_cny": ZERO, "purchase_cny": ZERO, "expenses_cny": ZERO,
             "charges_cny": ZERO, "refund_cny": ZERO, "non_creditable_cny": ZERO, "profit_cny": ZERO}
    return [by_month.get(day) or {**empty, "key": day, "label": f"{day:%Y-%m}"} for day in span]
