"""What each person sees of the follow-up: their cockpit, an order's plan, the team's load."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, timedelta

from django.db.models import Count, Q, QuerySet

from gendan.accounts.roles import Role
from gendan.followup.choices import DUE_SOON_WORKING_DAYS, MilestoneStatus, PlanStatus, Standing
from gendan.followup.models import Activity, Milestone, Plan
from gendan.sales.selectors import order_list_visible_to

WEEK = 7
LIST_LIMIT = 50


def standing(milestone: Milestone, today: date, soon: date) -> str:
    if milestone.status == MilestoneStatus.DONE:
        return Standing.DONE
    if milestone.status == MilestoneStatus.WAIVED:
        return Standing.WAIVED
    if milestone.due_date is None:
        return Standing.WAITING
    if milestone.due_date < today:
        return Standing.OVERDUE
    return Standing.DUE_SOON if milestone.due_date <= soon else Standing.PLANNED


def due_soon_limit(today: date, calendar) -> date:
    return calendar.add(today, DUE_SOON_WORKING_DAYS).date


def milestones_owned_by(user) -> QuerySet[Milestone]:
    """A person's milestones: their own, and their departments' that nobody in particular owns.
    Managers answer for all of them."""
    milestones = Milestone.objects.open().select_related("plan__order__customer", "owner")
    if user.has_perm("followup.view_team_load"):
        return milestones
    return milestones.filter(Q(owner=user) | Q(owner__isnull=True, department__in=user.role_codes()))


def plans_chased_by(user) -> QuerySet[Plan]:
    """The plans a person follows: every one for managers, else the orders they sell or merchandise
    and those on which they owe a milestone."""
    plans = Plan.objects.filter(status=PlanStatus.ACTIVE)
    if user.has_perm("followup.view_team_load"):
        return plans
    owing = Milestone.objects.filter(status=MilestoneStatus.OPEN).filter(
        Q(owner=user) | Q(owner__isnull=True, department__in=user.role_codes()))
    return plans.filter(
        Q(order__merchandiser=user) | Q(order__salesperson=user) | Q(pk__in=owing.values("plan_id"))
    )


@dataclass
class Cockpit:
    today: date
    overdue: list = field(default_factory=list)
    due_today: list = field(default_factory=list)
    due_this_week: list = field(default_factory=list)
    at_risk: list = field(default_factory=list)
    waiting: list = field(default_factory=list)  # [(department label, [milestones])]
    follow_ups: list = field(default_factory=list)
    counts: dict = field(default_factory=dict)


def cockpit_for(user, today: date) -> Cockpit:
    cockpit = Cockpit(today=today)
    mine = milestones_owned_by(user).order_by("due_date", "plan__ex_factory", "position")
    week_end = today + timedelta(days=WEEK)
    cockpit.overdue = list(mine.filter(due_date__lt=today)[:LIST_LIMIT])
    cockpit.due_today = list(mine.filter(due_date=today)[:LIST_LIMIT])
    cockpit.due_this_week = list(mine.filter(due_date__gt=today, due_date__lte=week_end)[:LIST_LIMIT])
    cockpit.counts = mine.aggregate(
        overdue=Count("pk", filter=Q(due_date__lt=today)),
        today=Count("pk", filter=Q(due_date=today)),
        week=Count("pk", filter=Q(due_date__gt=today, due_date__lte=week_end)),
    )
    chased = plans_chased_by(user)
    cockpit.at_risk = list(
        chased.filter(at_risk=True).select_related("order__customer", "order__merchandiser", "risk_cause")
        .order_by("-slip_days", "ex_factory")[:LIST_LIMIT]
    )
    cockpit.counts["at_risk"] = chased.filter(at_risk=True).count()
    followed = chased if user.has_perm("followup.view_team_load") else chased.filter(
        Q(order__merchandiser=user) | Q(order__salesperson=user))
    cockpit.waiting = waiting_on_others(user, followed, today, week_end)
    cockpit.counts["waiting"] = sum(len(rows) for _label, rows in cockpit.waiting)
    cockpit.follow_ups = list(
        Activity.objects.filter(by=user, follow_up_done=False, follow_up_on__lte=week_end)
        .select_related("order__customer").order_by("follow_up_on")[:LIST_LIMIT]
    )
    return cockpit


def waiting_on_others(user, chased: QuerySet[Plan], today: date, week_end: date) -> list:
    """Milestones on the orders this person chases that other people owe, overdue or due within a week,
    grouped by department: whom to call this morning."""
    rows = (
        Milestone.objects.open().filter(plan__in=chased, due_date__lte=week_end)
        .exclude(owner=user).select_related("plan__order__customer", "owner")
        .order_by("department", "due_date")
    )
    if user.has_perm("followup.view_team_load"):
        rows = rows.filter(due_date__lt=today)  # managers: what is already late, everywhere
    groups = defaultdict(list)
    for milestone in rows[:200]:
        groups[milestone.department].append(milestone)
    return [(Role(department).label, items) for department, items in groups.items()]


def plan_for_order(order) -> Plan | None:
    try:
        return order.plan
    except Plan.DoesNotExist:
        return None


def plan_milestones(plan: Plan) -> list[Milestone]:
    return list(plan.milestones.select_related("owner", "done_by").order_by("position", "pk"))


def visible_plans(user) -> QuerySet[Plan]:
    return Plan.objects.filter(order__in=order_list_visible_to(user=user).values("pk"))
