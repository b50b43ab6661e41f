"""The statement of account (对账单): a customer's running balance in one currency over a period, read from the
history of their schedule lines and receipts as it stood at the end of the closing day. Re-running last
March's statement therefore gives last March's figures: a receipt confirmed or reversed later, or a revision
that changed an order's total later, shows in the period it happened in, as its own line.

Entries: what the orders bill (a schedule line when the order is confirmed, and the difference when a revision
changes it), money received (a receipt when confirmed, on its value date), a reversal (on the day a confirmed
receipt is reversed), and money paid back (a refund, on the day it left). opening + invoiced − received =
closing, by construction and by test."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from decimal import Decimal

from django.utils import timezone
from django.utils.translation import gettext as _

from gendan.finance.choices import ReceiptStatus
from gendan.finance.models import Receipt, Refund, ScheduleLine

ZERO = Decimal(0)


@dataclass
class Entry:
    day: date
    reference: str
    description: str
    debit: Decimal = ZERO  # the customer owes more
    credit: Decimal = ZERO  # the customer paid
    balance: Decimal = ZERO


@dataclass
class Statement:
    customer: object
    currency: str
    period_start: date
    as_of: date
    opening: Decimal = ZERO
    entries: list[Entry] = field(default_factory=list)

    @property
    def invoiced(self) -> Decimal:
        return sum((e.debit for e in self.entries), ZERO)

    @property
    def received(self) -> Decimal:
        return sum((e.credit for e in self.entries), ZERO)

    @property
    def closing(self) -> Decimal:
        return self.opening + self.invoiced - self.received


def statement_of(customer, currency: str, period_start: date, as_of: date) -> Statement:
    known_by = timezone.make_aware(datetime.combine(as_of + timedelta(days=1), time.min))
    ledger = sorted(_billed(customer, currency, known_by) + _paid(customer, currency, known_by)
                    + _refunded(customer, currency, known_by),
                    key=lambda e: (e.day, e.credit > 0, e.reference))
    statement = Statement(customer, currency, period_start, as_of)
    balance = ZERO
    for entry in ledger:
        if entry.day > as_of:
            continue
        balance += entry.debit - entry.credit
        if entry.day < period_start:
            statement.opening = balance
        else:
            entry.balance = balance
            statement.entries.append(entry)
    return statement


def _local_day(moment: datetime) -> date:
    return timezone.localdate(moment)


def _billed(customer, currency: str, known_by: datetime) -> list[Entry]:
    """Each schedule line's amount as billed, and each later change to it, as separate entries."""
    rows = (ScheduleLine.history.filter(order__customer=customer, currency=currency, history_date__lt=known_by)
            .select_related("order").order_by("id", "history_date", "history_id"))
    entries, last_id, before = [], None, ZERO
    for row in rows:
        if row.id != last_id:
            last_id, before = row.id, ZERO
        now = ZERO if row.history_type == "-" else row.amount
        if now != before:
            text = _("%(kind)s of order %(order)s") % {"kind": row.get_kind_display(), "order": row.order.number}
            if before:
                text = _("%(line)s: changed from %(old)s to %(new)s") % {"line": text, "old": before, "new": now}
            if row.order.customer_po:
                text += f" · PO {row.order.customer_po}"
            delta = now - before
            entries.append(Entry(_local_day(row.history_date), row.order.number, text,
                                 debit=max(delta, ZERO), credit=max(-delta, ZERO)))
        before = now
    return entries


def _paid(customer, currency: str, known_by: datetime) -> list[Entry]:
    """A receipt once confirmed, on its value date; its reversal, on the day it was reversed."""
    rows = (Receipt.history.filter(customer=customer, currency=currency, history_date__lt=known_by)
            .order_by("id", "history_date", "history_id"))
    entries, last_id, counted = [], None, False
    for row in rows:
        if row.id != last_id:
            last_id, counted = row.id, False
        if row.status == ReceiptStatus.CONFIRMED and not counted:
            text = _("Payment received") + (f" · {row.reference}" if row.reference else "")
            entries.append(Entry(row.received_on, row.number, text, credit=row.amount))
            counted = True
        elif row.status == ReceiptStatus.REVERSED and counted:
            entries.append(Entry(_local_day(row.history_date), row.number,
                                 _("Payment reversed: %(reason)s") % {"reason": row.reverse_reason},
                                 debit=row.amount))
            counted = False
    return entries


def _refunded(customer, currency: str, known_by: datetime) -> list[Entry]:
    """Money paid back to the customer, on the day it left the account."""
    rows = Refund.history.filter(receipt__customer=customer, receipt__currency=currency, history_type="+",
                                 history_date__lt=known_by).select_related("receipt")
    return [Entry(row.refunded_on, row.receipt.number, _("Paid back: %(reason)s") % {"reason": row.reason},
                  debit=row.amount) for row in rows]
