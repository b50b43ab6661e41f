"""Dates of a time-and-action plan, computed on the working-day calendar.

Each milestone's date comes from its anchor plus an offset (or a date someone rescheduled it to), and is
never earlier than its predecessors allow. Two passes:

- **due**: the plan — done milestones count with their actual dates, open ones with their due dates;
- **projected**: the forecast — like due, but an open milestone cannot happen before today, so an
  overdue step pushes everything that depends on it.

The ex-factory milestone's projected date is the projected ex-factory date; past the confirmed date the
order is **at risk**, and following the chain of binding dependencies back finds the milestone that
causes it. A backward pass from the confirmed ex-factory date gives each milestone the latest date it
may take without moving ex-factory: open milestones at or past it are on the critical path.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, timedelta

from gendan.core.workdays import WorkCalendar
from gendan.followup.choices import Anchor, MilestoneStatus, OffsetUnit
from gendan.parties.choices import BalanceCondition

GAP = None  # a predecessor lag of GAP keeps the distance the two milestones were first planned apart
SELF = "self"  # driver marker: the milestone is late by itself (overdue, done late, rescheduled)


class CycleError(ValueError):
    def __init__(self, codes):
        super().__init__(", ".join(sorted(codes)))
        self.codes = codes


@dataclass
class PlanContext:
    confirmed_on: date
    ex_factory: date  # the confirmed ex-factory date: the target
    etd: date | None = None  # entered when known (booking); else estimated from ex-factory
    eta: date | None = None
    port_days: int = 3
    transit_days: int = 30
    events: dict[str, date] = field(default_factory=dict)
    balance_condition: str = BalanceCondition.AGAINST_COPY_BL
    balance_days: int = 0


@dataclass
class Outcome:
    projected_ex_factory: date | None
    slip_days: int
    at_risk: bool
    risk_cause: object | None  # the milestone whose lateness moves ex-factory
    has_estimated_dates: bool


def parse_predecessors(text: str) -> list[list]:
    """“bom, material_dates+3, production_start+gap”
    → [["bom", 0], ["material_dates", 3], ["production_start", None]]"""
    result = []
    for part in (p.strip() for p in text.split(",")):
        if not part:
            continue
        code, _plus, lag = part.partition("+")
        code, lag = code.strip(), lag.strip().lower()
        if lag == "gap":
            result.append([code, GAP])
        elif not lag:
            result.append([code, 0])
        elif lag.isdigit():
            result.append([code, int(lag)])
        else:
            raise ValueError(part)
    return result


def dependencies(milestone, ex_code: str | None) -> set[str]:
    deps = {code for code, _lag in milestone.predecessors}
    if milestone.anchor == Anchor.MILESTONE and milestone.anchor_milestone:
        deps.add(milestone.anchor_milestone)
    if milestone.anchor in (Anchor.ETD, Anchor.ETA, Anchor.PAYMENT_TERMS) and ex_code:
        deps.add(ex_code)
    deps.discard(milestone.code)
    return deps


_orders: dict[tuple, list[str]] = {}  # plans from one template share a handful of shapes


def topological(milestones, ex_code: str | None) -> list:
    """Milestones ordered so every one comes after what it depends on; unknown codes are ignored."""
    by_code = {m.code: m for m in milestones}
    # everything the order depends on, read without working anything out (this runs for every plan re-planned)
    shape = (ex_code, *((m.code, m.anchor, m.anchor_milestone, *(code for code, _lag in m.predecessors))
                        for m in milestones))
    if shape not in _orders:
        deps = {m.code: dependencies(m, ex_code) & by_code.keys() for m in milestones}
        _orders[shape] = [m.code for m in _sorted(milestones, deps, by_code)]
    return [by_code[code] for code in _orders[shape]]


def _sorted(milestones, deps: dict, by_code: dict) -> list:
    ordered, done = [], set()
    while len(ordered) < len(milestones):
        ready = [m for m in milestones if m.code not in done and deps[m.code] <= done]
        if not ready:
            raise CycleError(set(by_code) - done)
        for m in ready:
            ordered.append(m)
            done.add(m.code)
    return ordered


class Scheduler:
    def __init__(self, context: PlanContext, milestones, calendar: WorkCalendar, today: date):
        self.ctx, self.calendar, self.today = context, calendar, today
        self.milestones = list(milestones)
        self.by_code = {m.code: m for m in self.milestones}
        self.ex = next((m for m in self.milestones if m.is_ex_factory), None)
        self.order = topological(self.milestones, self.ex.code if self.ex else None)
        self.estimated: dict[str, bool] = {}
        self.driver: dict[str, str | None] = {}

    def run(self, *, due: bool = True) -> Outcome:
        """Both passes; with due=False only the projection (due dates do not depend on today, so the
        morning re-projection keeps them as stored)."""
        for m in self.order:
            if due:
                m.due_date, self.estimated[m.code], _driver = self._date(m, projected=False)
            else:
                self.estimated[m.code] = m.estimated
        for m in self.order:
            m.projected_date, estimated, self.driver[m.code] = self._date(m, projected=True)
            m.estimated = self.estimated[m.code] or estimated
        self._latest_dates()
        return self._outcome()

    # ------------------------------------------------------------ one milestone

    def _value(self, m, projected: bool) -> date | None:
        """What a milestone contributes to those that depend on it."""
        if m.status == MilestoneStatus.DONE:
            return m.actual_date
        return m.projected_date if projected and m.status == MilestoneStatus.OPEN else m.due_date

    def _date(self, m, projected: bool) -> tuple[date | None, bool, str | None]:
        if m.status == MilestoneStatus.DONE and projected:
            late = m.due_date is not None and m.actual_date > m.due_date
            return m.actual_date, False, SELF if late else None
        if m.manual_date:
            result, estimated, driver = m.manual_date, not self.calendar.is_known(m.manual_date), SELF
        else:
            anchor, driver = self._anchor(m, projected)
            if anchor is None:
                return None, False, None
            result, estimated = self._shift(anchor, m.offset, m.offset_unit)
        for code, lag in m.predecessors:
            pred = self.by_code.get(code)
            if pred is None or pred.status == MilestoneStatus.WAIVED:
                continue
            start = self._value(pred, projected)
            if start is None:
                continue
            bound = self.calendar.add(start, self._lag(pred, m, lag))
            estimated |= bound.estimated
            if bound.date > result:
                result, driver = bound.date, code
        if projected and m.status == MilestoneStatus.OPEN and result < self.today:
            today = self.calendar.next_workday(self.today)
            result, driver, estimated = today.date, SELF, estimated or today.estimated
        return result, estimated, driver

    def _anchor(self, m, projected: bool) -> tuple[date | None, str | None]:
        """The anchor date, and the code of the milestone it comes from (if any)."""
        if m.anchor == Anchor.CONFIRMATION:
            return self.ctx.confirmed_on, None
        if m.anchor == Anchor.EX_FACTORY:
            return self.ctx.ex_factory, None
        if m.anchor == Anchor.ETD:
            return self._etd(projected), self._ex_driver()
        if m.anchor == Anchor.ETA:
            etd = self._etd(projected)
            return self.ctx.eta or (etd and etd + timedelta(days=self.ctx.transit_days)), self._ex_driver()
        if m.anchor == Anchor.PAYMENT_TERMS:
            return self._balance_due(projected), self._ex_driver()
        if m.anchor == Anchor.EVENT:
            return self.ctx.events.get(m.anchor_event), None
        source = self.by_code.get(m.anchor_milestone)
        return (self._value(source, projected), source.code) if source else (None, None)

    def _ex_driver(self) -> str | None:
        return self.ex.code if self.ex and not self.ctx.etd else None

    def _etd(self, projected: bool) -> date | None:
        if self.ctx.etd:
            return self.ctx.etd
        ex_date = self._value(self.ex, projected) if self.ex else self.ctx.ex_factory
        return ex_date and ex_date + timedelta(days=self.ctx.port_days)

    def _balance_due(self, projected: bool) -> date | None:
        condition = self.ctx.balance_condition
        if condition in (BalanceCondition.IN_ADVANCE, BalanceCondition.BEFORE_SHIPMENT):
            # Goods do not ship before payment: the balance is due before loading.
            ex_date = self._value(self.ex, projected) if self.ex else self.ctx.ex_factory
            return ex_date and self.calendar.add(ex_date, -3).date
        etd = self._etd(projected)
        if etd is None:
            return None
        days = {
            BalanceCondition.AGAINST_COPY_BL: 7,  # copy B/L a few days after ETD, then the T/T
            BalanceCondition.LC_AT_SIGHT: 14,  # presentation and the bank's examination
            BalanceCondition.DP_AT_SIGHT: 14,
        }.get(condition, self.ctx.balance_days)
        return etd + timedelta(days=days)

    def _shift(self, anchor: date, offset: int, unit: str) -> tuple[date, bool]:
        if unit == OffsetUnit.WORKING_DAYS:
            result = self.calendar.add(anchor, offset)
            return result.date, result.estimated
        day = anchor + timedelta(days=offset)
        if offset < 0:  # a deadline before the anchor falls on the working day before a day off
            while not self.calendar.is_workday(day):
                day -= timedelta(days=1)
            return day, not self.calendar.is_known(day)
        result = self.calendar.next_workday(day)
        return result.date, result.estimated

    def _lag(self, pred, m, lag: int | None) -> int:
        if lag is not GAP:
            return lag
        if pred.baseline_date and m.baseline_date:
            return max(0, self.calendar.between(pred.baseline_date, m.baseline_date))
        return 0

    # ------------------------------------------------------------ backward pass and risk

    def _latest_dates(self) -> None:
        for m in self.milestones:
            m.latest_date = None
        if self.ex is None:
            return
        self.ex.latest_date = self.ctx.ex_factory
        for m in reversed(self.order):
            if m.latest_date is None or m.status == MilestoneStatus.DONE:
                continue
            for code, lag in m.predecessors:
                pred = self.by_code.get(code)
                if pred is not None:
                    self._tighten(pred, self.calendar.add(m.latest_date, -self._lag(pred, m, lag)).date)
            if m.anchor == Anchor.MILESTONE and not m.manual_date and m.anchor_milestone in self.by_code:
                back, _estimated = self._shift(m.latest_date, -m.offset, m.offset_unit)
                self._tighten(self.by_code[m.anchor_milestone], back)
        for m in self.milestones:
            m.is_critical = (
                m.status == MilestoneStatus.OPEN and m.latest_date is not None
                and m.projected_date is not None and m.projected_date >= m.latest_date
            )

    @staticmethod
    def _tighten(m, latest: date) -> None:
        if m.latest_date is None or latest < m.latest_date:
            m.latest_date = latest

    def _outcome(self) -> Outcome:
        estimated = any(m.estimated for m in self.milestones if m.status == MilestoneStatus.OPEN)
        if self.ex is None:
            return Outcome(None, 0, False, None, estimated)
        projected = self._value(self.ex, projected=True)
        slip = (projected - self.ctx.ex_factory).days if projected else 0
        at_risk = self.ex.status == MilestoneStatus.OPEN and slip > 0
        return Outcome(projected, max(slip, 0), at_risk, self._cause() if at_risk else None, estimated)

    def _cause(self):
        m, seen = self.ex, set()
        while m.code not in seen:
            seen.add(m.code)
            driver = self.driver.get(m.code)
            if driver in (None, SELF) or driver not in self.by_code:
                return m
            m = self.by_code[driver]
        return m
