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
from functools import partial

from django.utils import timezone
from django.utils.translation import gettext as _

from gendan.finance.choices import ReceiptStatus, ScheduleKind
from gendan.finance.models import Receipt, Refund, ScheduleLine

ZERO = Decimal(0)


@dataclass
class Entry:
    day: date
    reference: str
    description: object  # the words, or until it is shown in a statement, a function giving them
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
            entry.description = entry.description()  # worded only for the period's lines
            statement.entries.append(entry)
    return statement


def _local_day(moment: datetime) -> date:
    return timezone.localdate(moment)


def _billed(customer, currency: str, known_by: datetime) -> list[Entry]:
    """Each schedule line's amount as billed, and each later change to it, as separate entries."""
    rows = (ScheduleLine.history.filter(order__customer=customer, currency=currency, history_date__lt=known_by)
            .order_by("id", "history_date", "history_id")
            .values_list("id", "history_type", "amount", "history_date", "kind", "order__number", "order__customer_po"))
    entries, last_id, before = [], None, ZERO
    for line_id, history_type, amount, moment, kind, number, po in rows:
        if line_id != last_id:
            last_id, before = line_id, ZERO
        now = ZERO if history_type == "-" else amount
        if now != before:
            delta = now - before
            entries.append(Entry(_local_day(moment), number, partial(_line_text, kind, number, po, before, now),
                                 debit=max(delta, ZERO), credit=max(-delta, ZERO)))
        before = now
    return entries


def _line_text(kind: str, number: str, po: str, before: Decimal, now: Decimal) -> str:
    text = _("%(kind)s of order %(order)s") % {"kind": ScheduleKind(kind).label, "order": number}
    if before:
        text = _("%(line)s: changed from %(old)s to %(new)s") % {"line": text, "old": before, "new": now}
    return f"{text} · PO {po}" if po else text


def _paid(customer, currency: str, known_by: datetime) -> list[Entry]:
    """A receipt once confirmed, on its value date; its reversal, on the day it was reversed."""
    rows = (Receipt.history.filter(customer=customer, currency=currency, history_date__lt=known_by)
            .order_by("id", "history_date", "history_id")
            .values_list("id", "status", "number", "amount", "received_on", "reference", "reverse_reason",
                         "history_date"))
    entries, last_id, counted = [], None, False
    for receipt_id, status, number, amount, received_on, reference, reason, moment in rows:
        if receipt_id != last_id:
            last_id, counted = receipt_id, False
        if status == ReceiptStatus.CONFIRMED and not counted:
            entries.append(Entry(received_on, number, partial(_received_text, reference), credit=amount))
            counted = True
        elif status == ReceiptStatus.REVERSED and counted:
            entries.append(Entry(_local_day(moment), number, partial(_reversed_text, reason), debit=amount))
            counted = False
    return entries


def _received_text(reference: str) -> str:
    return _("Payment received") + (f" · {reference}" if reference else "")


def _reversed_text(reason: str) -> str:
    return _("Payment reversed: %(reason)s") % {"reason": reason}


def _refunded(customer, currency: str, known_by: datetime) -> list[Entry]:
    """Money paid back to the customer, on the day it left the account."""
    rows = (Refund.history.filter(receipt__customer=customer, receipt__currency=currency, history_type="+",
                                  history_date__lt=known_by)
            .values_list("refunded_on", "receipt__number", "reason", "amount"))
    return [Entry(day, number, partial(_refund_text, reason), debit=amount) for day, number, reason, amount in rows]


def _refund_text(reason: str) -> str:
    return _("Paid back: %(reason)s") % {"reason": reason}
