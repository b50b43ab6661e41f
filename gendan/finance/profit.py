"""An order's profit in CNY, and its export VAT refund estimate (出口退税). Reads only; the refund's three figures
are stored by `services.vat_refund_*`.

Profit of an order (all in CNY):

    revenue    = Σ confirmed allocations × their receipt's rate                      (the paid part)
               + (order total − confirmed allocations) × the currency's current rate  (the unpaid part)
    − purchase = Σ lines: product cost price × quantity (× the cost currency's current rate)
    − expenses = Σ expenses not voided: amount × their own rate
    − charges  = Σ confirmed allocations: receipt's bank charges × allocation ÷ receipt amount × receipt rate
    + refund   = the VAT refund received if recorded, else declared, else estimated
    − non-creditable VAT (a manufacturer's, a cost; 0 for a trading company)

The **current rate** of a currency (for the unpaid part, and for a product cost or a manufacturer's FOB value in
another currency) is the rate of the latest confirmed receipt in that currency (by day received), or, before the
company has one, `settings.GENDAN_DEFAULT_RATES`. Orders have no rate field of their own: the latest rate finance
actually got is the best guess of what the rest will bring. A currency with neither leaves the order's revenue
unknown (`rate_known` False) rather than counted as zero.

Every figure is one SQL expression (`profit_rows`), so the page's rows, one order's breakdown and the totals by
customer, salesperson or month (`profit_by`) are the same arithmetic, and the totals are grouped in the database.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from django.conf import settings
from django.db.models import (
    BooleanField,
    Case,
    Count,
    DecimalField,
    ExpressionWrapper,
    F,
    Func,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Sum,
    Value,
    When,
)
from django.db.models.functions import Coalesce, TruncMonth

from gendan.core.models import CompanyType
from gendan.core.money import round_amount
from gendan.finance.choices import ReceiptStatus
from gendan.finance.models import Allocation, Expense, Receipt, RefundRate
from gendan.sales.choices import OrderStatus
from gendan.sales.models import SalesOrder, SalesOrderLine

ZERO = Decimal(0)
HUNDRED = Decimal(100)
EXACT = DecimalField(max_digits=30, decimal_places=8)  # intermediate sums
CNY = DecimalField(max_digits=20, decimal_places=2)
# orders that have a profit to speak of: confirmed and on (drafts have no price agreed, cancelled ones no sale)
PROFIT_STATES = [OrderStatus.CONFIRMED, OrderStatus.IN_PRODUCTION, OrderStatus.READY_TO_SHIP,
                 OrderStatus.PARTIALLY_SHIPPED, OrderStatus.SHIPPED, OrderStatus.COMPLETED]


# ---------------------------------------------------------------- exchange rates


def current_rates() -> dict[str, Decimal]:
    """{currency: CNY per unit}: the latest confirmed receipt's rate per currency, over the configured defaults."""
    latest = (Receipt.objects.filter(status=ReceiptStatus.CONFIRMED, currency=OuterRef("currency"))
              .order_by("-received_on", "-pk").values("rate_to_cny")[:1])
    rows = (Receipt.objects.filter(status=ReceiptStatus.CONFIRMED).order_by().values("currency").distinct()
            .annotate(rate=Subquery(latest)))
    rates = {code: Decimal(str(rate)) for code, rate in settings.GENDAN_DEFAULT_RATES.items()}
    rates.update({row["currency"]: row["rate"] for row in rows})
    rates["CNY"] = Decimal(1)
    return rates


def _rate_of(path: str, rates: dict[str, Decimal]) -> Case:
    """The current rate of the currency at `path`, in SQL; NULL for a currency without one."""
    return Case(*[When(**{path: code}, then=Value(rate)) for code, rate in sorted(rates.items())],
                default=Value(None), output_field=EXACT)


class Real(Func):
    """SQLite keeps a decimal column's whole numbers as integers, and divides integers as integers (20 / 1520 = 0):
    there the value is made REAL first. PostgreSQL's numeric divides exactly as it is."""

    template = "%(expressions)s"
    output_field = EXACT

    def as_sqlite(self, compiler, connection, **extra_context):
        return super().as_sql(compiler, connection, template="CAST(%(expressions)s AS REAL)", **extra_context)


def _total(queryset: QuerySet, group: str, expression) -> Coalesce:
    """Σ expression over the rows of `queryset` that belong to the outer order (`group` = the order's id path)."""
    rows = queryset.order_by().values(group).annotate(total=Sum(expression, output_field=EXACT)).values("total")
    return Coalesce(Subquery(rows, output_field=EXACT), Value(ZERO), output_field=EXACT)


# ---------------------------------------------------------------- profit


def profit_rows(orders: QuerySet[SalesOrder], rates: dict[str, Decimal] | None = None) -> QuerySet[SalesOrder]:
    """The orders, each annotated with its profit's parts in CNY (see the module docstring): `revenue_cny`,
    `purchase_cny`, `expenses_cny`, `charges_cny`, `refund_cny`, `non_creditable_cny`, `profit_cny`, and
    `rate_known` (False when the unpaid part's currency has no rate)."""
    rates = rates if rates is not None else current_rates()
    confirmed = Allocation.objects.filter(line__order=OuterRef("pk"), receipt__status=ReceiptStatus.CONFIRMED)
    unpaid_rate = _rate_of("currency", rates)
    refund = F("vat_refund__received_cny"), F("vat_refund__declared_cny"), F("vat_refund__estimated_cny")
    orders = orders.annotate(
        paid=_total(confirmed, "line__order", F("amount")),
        paid_cny=_total(confirmed, "line__order", F("amount") * F("receipt__rate_to_cny")),
        charges_cny=_total(confirmed, "line__order", Real(F("amount") * F("receipt__bank_charges")
                                                          * F("receipt__rate_to_cny")) / F("receipt__amount")),
        purchase_cny=_total(SalesOrderLine.objects.filter(order=OuterRef("pk")), "order",
                            F("quantity") * Coalesce(F("product__cost"), Value(ZERO))
                            * Coalesce(_rate_of("product__cost_currency", rates), Value(ZERO), output_field=EXACT)),
        expenses_cny=_total(Expense.objects.filter(order=OuterRef("pk"), voided_at__isnull=True), "order",
                            F("amount") * F("rate_to_cny")),
        refund_cny=Coalesce(*refund, Value(ZERO), output_field=EXACT),
        non_creditable_cny=Coalesce(F("vat_refund__non_creditable_cny"), Value(ZERO), output_field=EXACT),
        rate_known=ExpressionWrapper(Q(currency__in=list(rates)), output_field=BooleanField()),
    ).annotate(
        revenue_cny=ExpressionWrapper(
            F("paid_cny") + (F("total_amount") - F("paid")) * Coalesce(unpaid_rate, Value(ZERO), output_field=EXACT),
            output_field=EXACT),
    ).annotate(
        profit_cny=ExpressionWrapper(
            F("revenue_cny") - F("purchase_cny") - F("expenses_cny") - F("charges_cny") + F("refund_cny")
            - F("non_creditable_cny"), output_field=EXACT),
    )
    return orders


PARTS = ["revenue_cny", "purchase_cny", "expenses_cny", "charges_cny", "refund_cny", "non_creditable_cny",
         "profit_cny"]


def profitable_orders(orders: QuerySet[SalesOrder]) -> QuerySet[SalesOrder]:
    """The orders the profit page lists: confirmed and on, not drafts or cancelled ones."""
    return orders.filter(status__in=PROFIT_STATES)


def rounded(row) -> None:
    """Each part of a profit row to the fen, as shown (SQLite hands the sums back as floats)."""
    for name in PARTS:
        value = row[name] if isinstance(row, dict) else getattr(row, name)
        value = round_amount(Decimal(str(value)), "CNY") if value is not None else ZERO
        if isinstance(row, dict):
            row[name] = value
        else:
            setattr(row, name, value)


def order_profit(order: SalesOrder, rates: dict[str, Decimal] | None = None) -> SalesOrder:
    """One order's profit, part by part (the same query as the page's rows)."""
    row = profit_rows(SalesOrder.objects.filter(pk=order.pk), rates).get()
    rounded(row)
    return row


GROUPS = {"customer": "customer", "salesperson": "salesperson", "month": "month"}


def profit_by(orders: QuerySet[SalesOrder], group: str, rates: dict[str, Decimal] | None = None) -> list[dict]:
    """Profit summed per customer, salesperson or month (of the order date), in one grouped query."""
    rates = rates if rates is not None else current_rates()
    rows = profit_rows(orders, rates)
    if group == "month":
        rows = rows.annotate(month=TruncMonth("order_date"))
    key = GROUPS[group]
    names = {"customer": ["customer__code", "customer__name_en"],
             "salesperson": ["salesperson__username", "salesperson__first_name", "salesperson__last_name"],
             "month": []}[group]
    grouped = (rows.order_by().values(key, *names)
               .annotate(orders=Count("pk"), unrated=Count("pk", filter=~Q(currency__in=list(rates))),
                         **{f"sum_{name}": Sum(name, output_field=EXACT) for name in PARTS}))
    result = []
    for row in grouped:
        item = {"key": row[key], "orders": row["orders"], "unrated": row["unrated"],
                **{name: row[f"sum_{name}"] for name in PARTS}, "label": _label(group, row)}
        rounded(item)
        result.append(item)
    return sorted(result, key=lambda item: item["profit_cny"], reverse=True) if group != "month" else sorted(
        result, key=lambda item: item["key"], reverse=True)


def _label(group: str, row: dict) -> str:
    if group == "customer":
        return f"{row['customer__code']} {row['customer__name_en']}".strip()
    if group == "salesperson":
        name = f"{row['salesperson__last_name']}{row['salesperson__first_name']}".strip()
        return name or row["salesperson__username"]
    return f"{row['month']:%Y-%m}"


# ---------------------------------------------------------------- the export VAT refund estimate


@dataclass
class RefundLine:
    line: SalesOrderLine
    rate: RefundRate | None
    base_cny: Decimal = ZERO  # purchase value (trading company) or FOB value (manufacturer), for this line
    refund_cny: Decimal = ZERO
    non_creditable_cny: Decimal = ZERO
    missing: str = ""  # why this line has no estimate


@dataclass
class RefundEstimate:
    method: str
    on: date
    lines: list[RefundLine] = field(default_factory=list)

    @property
    def base_cny(self) -> Decimal:
        return sum((line.base_cny for line in self.lines), ZERO)

    @property
    def refund_cny(self) -> Decimal:
        return sum((line.refund_cny for line in self.lines), ZERO)

    @property
    def non_creditable_cny(self) -> Decimal:
        return sum((line.non_creditable_cny for line in self.lines), ZERO)

    @property
    def unrated_lines(self) -> int:
        return sum(1 for line in self.lines if line.missing)


def refund_rates_on(day: date) -> list[RefundRate]:
    """The refund rates valid on `day`, the most specific (longest prefix) first."""
    rates = RefundRate.objects.filter(Q(valid_to__isnull=True) | Q(valid_to__gte=day), valid_from__lte=day)
    return sorted(rates, key=lambda rate: (-len(rate.hs_prefix), rate.hs_prefix))


def refund_rate_for(hs_code: str, rates: list[RefundRate]) -> RefundRate | None:
    """The most specific rate whose prefix the HS code starts with (dots ignored: 8302.10.0000 is 8302100000)."""
    digits = hs_code.replace(".", "").strip()
    if not digits:
        return None
    return next((rate for rate in rates if digits.startswith(rate.hs_prefix)), None)


def refund_estimate(order: SalesOrder, *, method: str, rates: dict[str, Decimal] | None = None) -> RefundEstimate:
    """The order's export VAT refund, line by line, by the company's formula. Rates are those valid on the day the
    goods leave (the confirmed ex-factory date; the order date before there is one). Each line rounds half-up to
    the fen and the order's figures are the sums of its lines.

    Trading company (免退税): refund = purchase value ÷ (1 + VAT rate) × refund rate, where the purchase value is
    the VAT-inclusive amount of the supplier's VAT invoice. Until purchase contracts exist it is the product's cost
    price × quantity — the cost price is taken to be the VAT-inclusive price we pay the factory (in CNY, or in
    its cost currency at the current rate).

    Manufacturer (免抵退, exempt-credit-refund): the refund limit = FOB value in CNY × refund rate, where the FOB
    value is the line's amount at the current rate of the order's currency. What is refundable is min(limit,
    the period's end input VAT credit); without the company's VAT ledger the estimate is the limit. The part
    of the VAT the refund rate does not cover, FOB value × (VAT rate − refund rate) (免抵退税不得免征和抵扣税额),
    is kept apart as non-creditable VAT: a cost of the order, not a refund."""
    on = order.confirmed_ex_factory or order.order_date
    rates = rates if rates is not None else current_rates()
    hs_rates = refund_rates_on(on)
    estimate = RefundEstimate(method=method, on=on)
    for line in order.lines.select_related("product").order_by("position"):
        rate = refund_rate_for(line.product.hs_code, hs_rates)
        item = RefundLine(line=line, rate=rate)
        estimate.lines.append(item)
        if rate is None:
            item.missing = "rate"
            continue
        refund_rate, vat_rate = rate.refund_rate / HUNDRED, rate.vat_rate / HUNDRED
        if method == CompanyType.TRADING:
            product = line.product
            cost_rate = rates.get(product.cost_currency)
            if product.cost is None or cost_rate is None:
                item.missing = "cost"
                continue
            item.base_cny = round_amount(product.cost * line.quantity * cost_rate, "CNY")
            item.refund_cny = round_amount(item.base_cny / (1 + vat_rate) * refund_rate, "CNY")
        else:
            fob_rate = rates.get(order.currency)
            if fob_rate is None:
                item.missing = "currency"
                continue
            item.base_cny = round_amount(line.amount * fob_rate, "CNY")
            item.refund_cny = round_amount(item.base_cny * refund_rate, "CNY")
            item.non_creditable_cny = round_amount(item.base_cny * max(vat_rate - refund_rate, ZERO), "CNY")
    return estimate



def expenses_of(order: SalesOrder) -> QuerySet[Expense]:
    return order.expenses.select_related("supplier", "recorded_by", "voided_by").order_by("incurred_on", "pk")
