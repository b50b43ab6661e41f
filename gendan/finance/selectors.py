"""Read queries on money. What is received is summed from confirmed allocations every time, never kept."""

from collections import defaultdict
from decimal import Decimal

from django.db.models import Sum

from gendan.finance.choices import ReceiptStatus, ScheduleKind
from gendan.finance.models import Allocation, Receipt, ScheduleLine

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
    """What of a receipt is not applied to any order yet: the customer's credit from it."""
    allocated = receipt.allocations.aggregate(total=Sum("amount"))["total"] or ZERO
    return receipt.amount - allocated


def schedule_of(order) -> list[ScheduleLine]:
    """The order's schedule lines, each with `received` (confirmed) and `open` (what is still owed)."""
    lines = sorted(order.schedule_lines.all(), key=lambda line: line.kind != ScheduleKind.DEPOSIT)
    received = received_by_line(lines)
    for line in lines:
        line.received = received[line.pk]
        line.open = line.amount - line.received
    return lines
