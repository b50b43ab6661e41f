"""Read queries on money. What is received is summed from confirmed allocations every time, never kept."""

from collections import defaultdict
from dataclasses import dataclass
from datetime import datetime, timedelta
from decimal import Decimal

from django.conf import settings
from django.db.models import Case, CharField, DecimalField, Exists, F, Max, OuterRef, Q, Subquery, Sum, Value, When
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.translation import gettext_lazy

from gendan.finance.choices import ReceiptStatus, ScheduleKind
from gendan.finance.models import Allocation, Receipt, Refund, ScheduleLine
from gendan.followup.selectors import ChaseRow
from gendan.parties.models import Customer
from gendan.sales.choices import OrderStatus
from gendan.sales.models import SalesOrder

ZERO = Decimal(0)


def received_by_line(lines) -> dict[int, Decimal]:
    """{line id: confirmed money allocated to it}."""
    rows = (Allocation.objects.filter(line__in=lines, receipt__status=ReceiptStatus.CONFIRMED)
            .values("line").annotate(total=Sum("amount")))
    return defaultdict(lambda: ZERO, {row["line"]: row["total"] for row in rows})


def allocated_by_line(lines) -> dict[int, Decimal]:
    """{line id: money allocated to it by receipts not reversed} — what a new allocation must stay within,
    counting receipts not yet confirmed too, so that confirming them never over-pays a line."""
    rows = (Allocation.objects.filter(line__in=lines).exclude(receipt__status=ReceiptStatus.REVERSED)
            .values("line").annotate(total=Sum("amount")))
    return defaultdict(lambda: ZERO, {row["line"]: row["total"] for row in rows})


def unallocated(receipt: Receipt) -> Decimal:
    """What of a receipt is neither applied to an order nor paid back: the customer's credit from it."""
    allocated = receipt.allocations.aggregate(total=Sum("amount"))["total"] or ZERO
    refunded = receipt.refunds.aggregate(total=Sum("amount"))["total"] or ZERO
    return receipt.amount - allocated - refunded


def _summed(model) -> Coalesce:
    """Per receipt, the sum of its allocations or refunds (a subquery each: joining both would multiply rows)."""
    rows = model.objects.filter(receipt=OuterRef("pk")).order_by().values("receipt").annotate(total=Sum("amount"))
    return Coalesce(Subquery(rows.values("total")), Value(ZERO),
                    output_field=DecimalField(max_digits=16, decimal_places=3))


def settling_lines(order_ids) -> list[ScheduleLine]:
    """The schedule lines of these orders, each order's deposit first, each line with `received`, `open` and
    `paid_on` (the day its last confirmed money arrived)."""
    lines = sorted(ScheduleLine.objects.filter(order_id__in=order_ids),
                   key=lambda line: (line.order_id, line.kind != ScheduleKind.DEPOSIT))
    paid = {row["line"]: row for row in Allocation.objects.filter(
        line__in=lines, receipt__status=ReceiptStatus.CONFIRMED).values("line").annotate(
        total=Sum("amount"), day=Max("receipt__received_on"))}
    for line in lines:
        line.received = paid[line.pk]["total"] if line.pk in paid else ZERO
        line.paid_on = paid[line.pk]["day"] if line.pk in paid else None
        line.open = line.amount - line.received
    return lines


def schedule_of(order) -> list[ScheduleLine]:
    """The order's schedule lines, each with `received` (confirmed) and `open` (what is still owed)."""
    lines = sorted(order.schedule_lines.all(), key=lambda line: line.kind != ScheduleKind.DEPOSIT)
    received = received_by_line(lines)
    for line in lines:
        line.received = received[line.pk]
        line.open = line.amount - line.received
    return lines


# ---------------------------------------------------------------- receivables


BUCKETS = ["not_due", "1_30", "31_60", "61_90", "over_90"]
BUCKET_LABELS = [("not_due", gettext_lazy("Not due")), ("1_30", gettext_lazy("1–30 days")),
                 ("31_60", gettext_lazy("31–60 days")), ("61_90", gettext_lazy("61–90 days")),
                 ("over_90", gettext_lazy("Over 90 days"))]


def bucket_of(due_date, as_of) -> str:
    """Each schedule line ages by its own due date (a deposit and a balance of one order age apart); a line
    whose date it counts from is not known yet (a balance after the B/L) is not due."""
    late = (as_of - due_date).days if due_date else 0
    if late <= 0:
        return "not_due"
    return "1_30" if late <= 30 else "31_60" if late <= 60 else "61_90" if late <= 90 else "over_90"


def _owed_on(as_of, lines=None):
    """The schedule lines that existed on `as_of` (created by the end of that day, on orders not cancelled)."""
    end_of_day = timezone.make_aware(datetime.combine(as_of + timedelta(days=1), datetime.min.time()))
    lines = lines if lines is not None else ScheduleLine.objects.all()
    return lines.filter(created_at__lt=end_of_day).exclude(order__status=OrderStatus.CANCELLED)


def _bucket(due_date: str, as_of) -> Case:
    """`bucket_of` in SQL, for the due date at path `due_date`."""
    return Case(When(**{f"{due_date}__isnull": True}, then=Value("not_due")),
                When(**{f"{due_date}__gte": as_of}, then=Value("not_due")),
                When(**{f"{due_date}__gte": as_of - timedelta(days=30)}, then=Value("1_30")),
                When(**{f"{due_date}__gte": as_of - timedelta(days=60)}, then=Value("31_60")),
                When(**{f"{due_date}__gte": as_of - timedelta(days=90)}, then=Value("61_90")),
                default=Value("over_90"), output_field=CharField())


def receivables(as_of, lines=None) -> list[ScheduleLine]:
    """What customers owed on `as_of`, line by line: the lines that existed then, less the confirmed money that
    had arrived by then; each with `outstanding` and `bucket`. (A receipt reversed later is left out of earlier
    days too: what was reversed never counted.)"""
    rows = _outstanding(as_of, lines).select_related("order__customer")
    result = []
    for line in rows.order_by("order__customer__code", "currency", "due_date", "pk"):
        line.outstanding = line.amount - line.arrived
        line.bucket = bucket_of(line.due_date, as_of)
        result.append(line)
    return result


def aging_by_customer(as_of, lines=None) -> list[dict]:
    """Receivables per customer and currency on `as_of`, in buckets that add up to the total outstanding. Summed
    in the database, bucket by bucket: what was billed less what had arrived (no line can be paid more than it
    asks), so a company's 200,000 lines and 300,000 receipts are two grouped queries, not a loop."""
    owed = _owed_on(as_of, lines)
    billed = (owed.annotate(bucket=_bucket("due_date", as_of)).values("order__customer", "currency", "bucket")
              .annotate(total=Sum("amount")).order_by())
    arrived = (Allocation.objects.filter(line__in=owed.values("pk"), receipt__status=ReceiptStatus.CONFIRMED,
                                         receipt__received_on__lte=as_of)
               .annotate(bucket=_bucket("line__due_date", as_of))
               .values("line__order__customer", "line__currency", "bucket").annotate(total=Sum("amount")).order_by())
    sums: dict[tuple, Decimal] = defaultdict(lambda: ZERO)
    for row in billed:
        sums[row["order__customer"], row["currency"], row["bucket"]] += row["total"]
    for row in arrived:
        sums[row["line__order__customer"], row["line__currency"], row["bucket"]] -= row["total"]
    customers = Customer.objects.in_bulk({customer for customer, _currency, _bucket in sums})
    table: dict[tuple, dict] = {}
    for (customer, currency, bucket), amount in sums.items():
        if amount:
            row = table.setdefault((customer, currency), {
                "customer": customers[customer], "currency": currency, "total": ZERO, **dict.fromkeys(BUCKETS, ZERO)})
            row[bucket] += amount
            row["total"] += amount
    return sorted(table.values(), key=lambda row: (row["customer"].code, row["currency"]))


def customer_credit(customer) -> dict[str, Decimal]:
    """Confirmed money of the customer not allocated to any order yet, per currency: what is on account."""
    credit: dict[str, Decimal] = defaultdict(lambda: ZERO)
    rows = Receipt.objects.filter(customer=customer, status=ReceiptStatus.CONFIRMED).annotate(
        used=_summed(Allocation) + _summed(Refund))
    for receipt in rows:
        if receipt.amount > receipt.used:
            credit[receipt.currency] += receipt.amount - receipt.used
    return dict(credit)

def _outstanding(as_of, lines=None):
    """The lines that existed on `as_of` with money still to come then, each annotated with what had `arrived`."""
    arrived = (Allocation.objects.filter(line=OuterRef("pk"), receipt__status=ReceiptStatus.CONFIRMED,
                                         receipt__received_on__lte=as_of)
               .values("line").annotate(total=Sum("amount")).values("total"))
    return _owed_on(as_of, lines).annotate(
        arrived=Coalesce(Subquery(arrived), Value(ZERO), output_field=DecimalField(max_digits=16, decimal_places=3)),
    ).filter(amount__gt=F("arrived"))

def overdue_flagged(customer, today, days: int | None = None) -> bool:
    """Whether the customer has money overdue by more than `days` (GENDAN_OVERDUE_FLAG_DAYS): flagged on their
    page and on their new orders."""
    days = settings.GENDAN_OVERDUE_FLAG_DAYS if days is None else days
    late = ScheduleLine.objects.filter(order__customer=customer, due_date__lt=today - timedelta(days=days))
    return _outstanding(today, late).exists()

def overdue_receivables(today, lines=None) -> list[ScheduleLine]:
    """Schedule lines past their due date with money still to come, oldest first; each with `outstanding` and
    `days_late`."""
    lines = (lines if lines is not None else ScheduleLine.objects.all()).filter(due_date__lt=today)
    rows = sorted(receivables(today, lines), key=lambda line: (line.due_date, line.order.number, line.kind))
    for line in rows:
        line.days_late = (today - line.due_date).days
    return rows

def overdue_receivables_for(user, today) -> list[ScheduleLine]:
    """What a salesperson or merchandiser has to chase: overdue money on the orders they sell or follow."""
    lines = ScheduleLine.objects.filter(Q(order__salesperson=user) | Q(order__merchandiser=user))
    return overdue_receivables(today, lines)

def overdue_money_to_chase(user, today) -> list[ChaseRow]:
    """The cockpit's and the digest's "overdue receivables" for a salesperson or merchandiser (registered in
    `FinanceConfig.ready`: follow-up does not import finance)."""
    return [ChaseRow(order_id=line.order_id, order_number=line.order.number, customer_code=line.order.customer.code,
                     what=line.get_kind_display(), amount=line.outstanding, currency=line.currency,
                     due_date=line.due_date, days_late=line.days_late)
            for line in overdue_receivables_for(user, today)]

def people_owed_overdue_money(today) -> set[int]:
    """The salespeople and merchandisers of orders with overdue money (the morning digest writes to them)."""
    rows = _outstanding(today, ScheduleLine.objects.filter(due_date__lt=today)).values_list(
        "order__salesperson", "order__merchandiser").order_by().distinct()
    return {person for pair in rows for person in pair if person is not None}

# ---------------------------------------------------------------- credit


CREDIT_STATES = [OrderStatus.CONFIRMED, OrderStatus.IN_PRODUCTION, OrderStatus.READY_TO_SHIP,
                 OrderStatus.PARTIALLY_SHIPPED, OrderStatus.SHIPPED]  # open: confirmed, not completed or cancelled

@dataclass(frozen=True)
class Exposure:
    """What a customer owes or will owe, in one currency (the credit limit's). `receivables`: what is open on the
    schedule lines of their orders (made at confirmation, they are the order's total split into deposit and
    balance, so for a confirmed order its receivable and its unpaid value are the same money, counted once);
    `unscheduled`: open orders without a schedule (confirmed before the schedule existed), at their total."""

    currency: str
    receivables: Decimal
    unscheduled: Decimal

    @property
    def total(self) -> Decimal:
        return self.receivables + self.unscheduled

def credit_exposure(customer, currency: str, *, leave_out=None) -> Exposure:
    """The customer's exposure in `currency`, all but order `leave_out` (the one being confirmed). Orders in other
    currencies are not converted: they do not count (there is no company exchange rate to convert them by; the
    credit check asks for an approval instead when the order itself is in another currency)."""
    lines = ScheduleLine.objects.filter(order__customer=customer, currency=currency).exclude(
        order__status=OrderStatus.CANCELLED)
    orders = SalesOrder.objects.filter(customer=customer, currency=currency, status__in=CREDIT_STATES).exclude(
        Exists(ScheduleLine.objects.filter(order=OuterRef("pk"))))
    if leave_out is not None:
        lines, orders = lines.exclude(order=leave_out), orders.exclude(pk=leave_out.pk)
    billed = lines.aggregate(total=Sum("amount"))["total"] or ZERO
    # a line is never paid more than it asks (receipt_allocate), so billed − received is what is open
    received = Allocation.objects.filter(line__in=lines, receipt__status=ReceiptStatus.CONFIRMED).aggregate(
        total=Sum("amount"))["total"] or ZERO
    return Exposure(currency, billed - received, orders.aggregate(total=Sum("total_amount"))["total"] or ZERO)
