"""The re-planning engine: a plan's dates computed on the working-day calendar (`scheduling.Scheduler`) and
written back, for one plan after a change or for thousands in the morning scan. It changes only dates and
the plan's outcome (projected ex-factory, slip, risk, "estimated"); the services decide when to call it.

Plans are read as plain rows (`ScheduledRow`), not model instances, and written with one UPDATE per table
(`core.bulk.update_values`): the scan re-projects tens of thousands of plans."""

from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date
from functools import lru_cache

from django.db.models import QuerySet, TextField
from django.db.models.functions import Cast
from django.utils import timezone

from gendan.core.bulk import update_values
from gendan.core.workdays import WorkCalendar
from gendan.followup.models import Milestone, Plan
from gendan.followup.scheduling import PlanContext, Scheduler
from gendan.sales.models import SalesOrder

SCHEDULED_FIELDS = ["due_date", "projected_date", "latest_date", "is_critical", "estimated"]
# What scheduling reads (loading only these keeps the morning scan's thousands of plans cheap)
MILESTONE_SCHEDULING_FIELDS = [
    "plan_id", "code", "anchor", "anchor_milestone", "anchor_event", "offset", "offset_unit", "predecessors",
    "is_ex_factory", "manual_date", "baseline_date", "status", "actual_date", *SCHEDULED_FIELDS,
]
PLAN_SCHEDULING_FIELDS = [
    "confirmed_on", "ex_factory", "etd", "eta", "port_days", "transit_days", "events", "order__balance_condition",
    "order__balance_days", "projected_ex_factory", "slip_days", "at_risk", "risk_cause", "has_estimated_dates",
]
PLAN_OUTCOME_FIELDS = ["projected_ex_factory", "slip_days", "at_risk", "risk_cause", "has_estimated_dates"]


def plan_context(plan: Plan, order: SalesOrder | None = None) -> PlanContext:
    order = order or plan.order
    return PlanContext(
        confirmed_on=plan.confirmed_on, ex_factory=plan.ex_factory, etd=plan.etd, eta=plan.eta,
        port_days=plan.port_days, transit_days=plan.transit_days,
        events={kind: date.fromisoformat(day) for kind, day in plan.events.items()},
        balance_condition=order.balance_condition, balance_days=order.balance_days,
    )


def schedule(plan: Plan, milestones: list[Milestone], *, today=None, new=(), calendar=None, due=True) -> None:
    """Compute the plan's dates. `new` milestones first get their baseline (the date as first planned),
    from which "keep the planned gap" predecessors take their distance."""
    scheduler = Scheduler(plan_context(plan), milestones, calendar or WorkCalendar.load(),
                          today or timezone.localdate())
    if new:
        scheduler.run()
        for m in new:
            m.baseline_date = m.due_date
    outcome = scheduler.run(due=due)
    plan.projected_ex_factory = outcome.projected_ex_factory
    plan.slip_days = outcome.slip_days
    plan.at_risk = outcome.at_risk
    plan.risk_cause_id = outcome.risk_cause.pk if outcome.risk_cause else None
    plan.has_estimated_dates = outcome.has_estimated_dates


def save_outcome(plan: Plan) -> None:
    attnames = [Plan._meta.get_field(name).attname for name in PLAN_OUTCOME_FIELDS]
    Plan.objects.filter(pk=plan.pk).update(**{name: getattr(plan, name) for name in attnames})


def plan_replan(plan: Plan, *, today: date | None = None, calendar: WorkCalendar | None = None) -> Plan:
    """Recompute every date of the plan (after a change, or each morning as today moves on)."""
    rows = list(_scheduled_rows(Milestone.objects.filter(plan=plan)))
    before = [tuple(getattr(m, f) for f in SCHEDULED_FIELDS) for m in rows]
    schedule(plan, rows, today=today, calendar=calendar)
    update_values(Milestone, [m for m, old in zip(rows, before, strict=True)
                            if tuple(getattr(m, f) for f in SCHEDULED_FIELDS) != old], SCHEDULED_FIELDS)
    save_outcome(plan)
    return plan


def plan_projected(plan: Plan, milestones: list[Milestone], *, today: date) -> None:
    """The plan as of today, in memory only: a page shows it without writing on GET (the morning scan writes
    the projections that can move ex-factory)."""
    schedule(plan, milestones, today=today, due=False)


def plans_replan(plan_ids: list[int], *, today: date, calendar: WorkCalendar, chunk: int = 500,
                 due: bool = True) -> int:
    """Re-plan many plans (the morning scan, with due=False: only the projection moves with the day):
    milestones read and written a chunk of plans at a time."""
    for start in range(0, len(plan_ids), chunk):
        ids = plan_ids[start:start + chunk]
        plans = list(Plan.objects.filter(pk__in=ids).select_related("order").only(*PLAN_SCHEDULING_FIELDS))
        milestones: dict[int, list[ScheduledRow]] = {pk: [] for pk in ids}
        for row in _scheduled_rows(Milestone.objects.filter(plan_id__in=ids)):
            milestones[row.plan_id].append(row)
        changed: list[ScheduledRow] = []
        for plan in plans:
            rows = milestones[plan.pk]
            before = [tuple(getattr(m, f) for f in SCHEDULED_FIELDS) for m in rows]
            schedule(plan, rows, today=today, calendar=calendar, due=due)
            changed += [m for m, old in zip(rows, before, strict=True)
                        if tuple(getattr(m, f) for f in SCHEDULED_FIELDS) != old]
        update_values(Milestone, changed, SCHEDULED_FIELDS)
        update_values(Plan, plans, PLAN_OUTCOME_FIELDS)
    return len(plan_ids)


@dataclass(slots=True)
class ScheduledRow:
    """A milestone as scheduling sees it: plain values, no model instance (the scan reads tens of thousands)."""

    pk: int
    plan_id: int
    code: str
    anchor: str
    anchor_milestone: str
    anchor_event: str
    offset: int
    offset_unit: str
    predecessors: list
    is_ex_factory: bool
    manual_date: date | None
    baseline_date: date | None
    status: str
    actual_date: date | None
    due_date: date | None
    projected_date: date | None
    latest_date: date | None
    is_critical: bool
    estimated: bool


def _scheduled_rows(milestones: QuerySet[Milestone]) -> Iterator[ScheduledRow]:
    """Milestones as scheduling reads them. Predecessors come as JSON text, parsed once per distinct text:
    plans from one template repeat the same few dozen lists (decoding each row's was a tenth of a re-plan)."""
    fields = [Cast(f, TextField()) if f == "predecessors" else f for f in MILESTONE_SCHEDULING_FIELDS]
    for values in milestones.values_list("pk", *fields):
        row = ScheduledRow(*values)
        row.predecessors = _predecessors(row.predecessors)
        yield row


@lru_cache(maxsize=4096)
def _predecessors(text: str) -> list:
    return json.loads(text)  # shared between rows: scheduling only reads it
