"""The demo's follow-up: department owners, order needs, and a year of plans worked through the
services — most milestones done around their dates, some late, some still open — so every demo user
opens a cockpit with real overdue, due and at-risk items."""

from __future__ import annotations

import random
from datetime import date, timedelta

from django.utils import timezone

from gendan.accounts.roles import Role
from gendan.core.workdays import WorkCalendar, calendar_pinned
from gendan.demo.clock import at, clock
from gendan.finance.gates import may_start_production
from gendan.followup import reminders
from gendan.followup.choices import ActivityKind, MilestoneStatus, PlanEvent, PlanStatus
from gendan.followup.models import DepartmentAssignee, Milestone, Plan
from gendan.followup.replanning import plan_replan
from gendan.followup.services import (
    activity_add,
    milestone_complete,
    plan_record_event,
    reminders_deferred,
)
from gendan.sales.choices import OrderStatus as S

DEPARTMENT_OWNERS = {
    Role.ENGINEERING: "engineer", Role.PURCHASING: "buyer", Role.PRODUCTION: "production", Role.QC: "qc",
    Role.WAREHOUSE: "warehouse", Role.FINANCE: "finance", Role.SALES_MANAGER: "salesmgr",
}
# How likely a milestone that is already due was not done (yet), by the order's state
LEFT_OPEN = {S.CONFIRMED: 0.14, S.IN_PRODUCTION: 0.10, S.READY_TO_SHIP: 0.06, S.PARTIALLY_SHIPPED: 0.05,
             S.SHIPPED: 0.04, S.COMPLETED: 0.0}
RECENT_DAYS = 25
LATENESS = [-3, -2, -1, -1, 0, 0, 0, 0, 0, 0, 0, 0, 1, 2, 3, 5]  # about three in four on time
NOTES = [
    (ActivityKind.CALL, "跟客户确认彩盒稿", "Confirmed the colour box artwork with the customer"),
    (ActivityKind.EMAIL, "催工厂回复物料到料日期", "Chased the factory for material arrival dates"),
    (ActivityKind.MEETING, "生产协调会：插单影响交期", "Production meeting: a rush order affects our date"),
    (ActivityKind.VISIT, "去外协厂看首件", "Visited the subcontractor for the first article"),
    (ActivityKind.NOTE, "客户要求加印条码贴纸", "Customer asks for barcode stickers on each carton"),
]


def assign_department_owners(users: dict) -> None:
    for department, username in DEPARTMENT_OWNERS.items():
        DepartmentAssignee.objects.create(department=department, user=users[username])


def order_needs(rng: random.Random, country: str) -> dict:
    """What a plan needs to know about an order: transport and the samples/inspection/C-O it needs."""
    return {
        "transport_mode": rng.choices(["sea", "air", "courier"], [90, 7, 3])[0],
        "needs_samples": rng.random() < 0.3,
        "needs_commodity_inspection": rng.random() < 0.2,
        # Preferential-tariff markets usually want a C/O (Form E, Form A, EUR.1 …)
        "needs_certificate_of_origin": country in {"AU", "NZ", "CL", "PE", "KR", "TH", "VN", "MY", "ID", "PH"}
        or rng.random() < 0.15,
    }


PAID_BY_RECEIPTS = {"deposit", "balance"}


def work_through_plans(users: dict, today: date, seed: int, log) -> dict:
    rng = random.Random(seed)
    made = {"milestones done": 0, "activities": 0}
    with calendar_pinned(), reminders_deferred():
        plans = list(Plan.objects.filter(status=PlanStatus.ACTIVE).select_related("order__customer__owner"))
        for plan in plans:
            made["milestones done"] += _work(plan, users, today, rng)
        for plan in plans:
            plan.refresh_from_db()
            plan_replan(plan, today=today)
        made["activities"] = _activities(plans, today, rng)
        made["notifications"] = reminders.notify(today, WorkCalendar.load())
    at_risk = Plan.objects.filter(at_risk=True, status=PlanStatus.ACTIVE).count()
    log(f"  {made['milestones done']} milestones done, {made['activities']} activities, {at_risk} orders at risk")
    return made


def _work(plan: Plan, users: dict, today: date, rng: random.Random) -> int:
    order, done, skipped = plan.order, 0, set()
    leave_open = LEFT_OPEN.get(order.status, 0.1)
    if order.status == S.COMPLETED:
        _record(plan, order.customer.owner, PlanEvent.GOODS_RECEIVED, today, rng)
    while True:
        m = (Milestone.objects.select_related("plan__order", "owner")
             .filter(plan=plan, status=MilestoneStatus.OPEN, due_date__lt=today, is_ex_factory=False)
             .exclude(pk__in=skipped)
             .order_by("due_date", "position").first())
        if m is None:
            return done
        if m.code in PAID_BY_RECEIPTS or (m.code == "production_start" and not may_start_production(order)):
            skipped.add(m.pk)  # money milestones are done by receipts; production waits for its deposit
            continue
        recent = (today - m.due_date).days <= RECENT_DAYS  # old work is done; what slips is recent
        if recent and rng.random() < leave_open:
            skipped.add(m.pk)
            continue
        actual = min(max(m.due_date + timedelta(days=rng.choice(LATENESS)), plan.confirmed_on), today - timedelta(1))
        with _clock(actual, rng):
            milestone_complete(milestone=m, by=_doer(m, users), actual_date=actual, today=actual)
        if m.code == "sample_sent":
            merchandiser = plan.order.merchandiser or plan.order.salesperson
            _record(plan, merchandiser, PlanEvent.SAMPLE_DELIVERED, today, rng, after=actual)
        done += 1


def _record(plan: Plan, by, event: str, today: date, rng: random.Random, after: date | None = None) -> None:
    """The sample reaches the customer a few days after it is sent; the goods about a month after loading."""
    on = (after or plan.ex_factory) + timedelta(days=rng.randint(3, 6) if after else rng.randint(30, 40))
    if on < today:
        with _clock(on, rng):
            plan_record_event(plan=Plan.objects.get(pk=plan.pk), by=by, event=event, on=on, today=on)


def _doer(m: Milestone, users: dict):
    if m.owner is not None:
        return m.owner
    if m.department == Role.MERCHANDISER:
        return users["merch"]
    if m.department == Role.SALES:
        return m.plan.order.salesperson
    return users[DEPARTMENT_OWNERS.get(m.department, "gm")]


def _activities(plans: list[Plan], today: date, rng: random.Random) -> int:
    count = 0
    for plan in plans:
        order = plan.order
        if order.status not in (S.CONFIRMED, S.IN_PRODUCTION, S.READY_TO_SHIP) or rng.random() < 0.4:
            continue
        for _n in range(rng.randint(1, 3)):
            kind, zh, en = rng.choice(NOTES)
            by = order.merchandiser if order.merchandiser and rng.random() < 0.7 else order.salesperson
            when = today - timedelta(days=rng.randint(0, 12))
            follow = when + timedelta(days=rng.randint(2, 10)) if rng.random() < 0.5 else None
            with _clock(when, rng):
                activity_add(order=order, by=by, kind=kind, summary=f"{zh} / {en}", contact=order.customer.name_en
                             if kind in (ActivityKind.CALL, ActivityKind.EMAIL) else "",
                             happened_at=timezone.now(), follow_up_on=follow)
            count += 1
    return count


def _clock(day: date, rng: random.Random):
    """The simulated clock at a random working hour of `day`."""
    return clock(at(day, 9 + rng.randint(0, 8), rng.randint(0, 59)))
