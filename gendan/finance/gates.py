"""The money gates: may this order go into production, or ship, now — and if not, why. Answered from confirmed
allocations every time, never from a flag that stays set, so reversing a receipt closes a gate again. Sales and
the follow-up engine ask through their signals (`order_moving`, `milestone_completing`), so the gates hold at
every entry point: UI, API, copies, re-confirmations."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from django.utils import timezone
from django.utils.translation import gettext as _

from gendan.core.money import Money
from gendan.finance.choices import DueAfter, Gate, ScheduleKind
from gendan.finance.models import GateException
from gendan.finance.selectors import schedule_of

PAID_BEFORE_SHIPMENT = {DueAfter.CONFIRMATION, DueAfter.EX_FACTORY}  # in advance, or before shipment


@dataclass(frozen=True)
class Answer:
    allowed: bool
    reason: str = ""  # why not, or which exception lets it through
    exception: GateException | None = None

    def __bool__(self) -> bool:
        return self.allowed


def may_start_production(order, today: date | None = None, lines: list | None = None) -> Answer:
    """Seed 003: "待定金到帐后，再下购货合同给工厂" — no production before a required deposit is confirmed.
    `lines`: the order's `schedule_of`, when the caller has it already."""
    owed = [line for line in lines or schedule_of(order) if line.kind == ScheduleKind.DEPOSIT and line.open > 0]
    return _answer(order, Gate.PRODUCTION, owed, today)


def may_ship(order, today: date | None = None, lines: list | None = None) -> Answer:
    """Seed 001: "查询货款是否到账，到账后方可发货" — the deposit, and a balance due before shipment, first."""
    owed = [line for line in lines or schedule_of(order) if line.open > 0 and (
        line.kind == ScheduleKind.DEPOSIT or line.due_after in PAID_BEFORE_SHIPMENT)]
    return _answer(order, Gate.SHIPMENT, owed, today)


def may_release(order, today: date | None = None, lines: list | None = None) -> Answer:
    """Seed 001: "copy B/L → 余款 → 正本提单" — the originals (or a telex release) only once all is paid."""
    owed = [line for line in lines or schedule_of(order) if line.open > 0]
    return _answer(order, Gate.RELEASE, owed, today)


def _answer(order, gate: str, owed: list, today: date | None) -> Answer:
    if not owed:
        return Answer(True)
    today = today or timezone.localdate()
    exception = next((e for e in order.gate_exceptions.filter(gate=gate) if e.is_active_on(today)), None)
    if exception is not None:
        return Answer(True, _("Allowed by exception: %(reason)s") % {"reason": exception.reason}, exception)
    missing = "; ".join(_("%(kind)s %(open)s not received") % {
        "kind": line.get_kind_display(), "open": Money(line.open, line.currency)} for line in owed)
    return Answer(False, _("%(gate)s: %(missing)s.") % {"gate": Gate(gate).label, "missing": missing})
