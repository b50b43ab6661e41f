"""What each person sees of the follow-up: their cockpit, an order's plan, the team's load."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import Decimal

from django.db.models import Count, Exists, F, OuterRef, Q, QuerySet

from gendan.accounts.roles import Role
from gendan.followup.choices import DUE_SOON_WORKING_DAYS, MilestoneStatus, PlanStatus, Standing
from gendan.followup.models import Activity, Milestone, Plan
from gendan.sales.models import SalesOrder
from gendan.sales.selectors import order_list_visible_to

WEEK = 7
LIST_LIMIT = 25  # rows per cockpit list; each links to its full list when there are more


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


def _owned_parts(user) -> list[QuerySet[Milestone]]:
    """A person's open milestones (`Milestone.objects.owed_by`; managers answer for all), as querysets that each
    run on one index: the cockpit's lists stop at their cap, where an OR would scan the open set."""
    milestones = Milestone.objects.open()
    if user.has_perm("followup.view_team_load"):
        return [milestones]
    parts = [milestones.filter(owner=user)]
    unassigned = milestones.filter(owner__isnull=True, department__in=user.role_codes())
    if user.role_codes() and unassigned.exists():  # usually none: one look saves six queries
        parts.append(unassigned)
    return parts


def _first(parts: list[QuerySet], limit: int) -> list:
    """The first `limit` rows by due date over several querysets, each limited on its own index."""
    # by due date alone, the order of the index: the database reads `limit` rows, not a whole day's
    rows = [m for part in parts for m in part.order_by("due_date")[:limit]]
    return sorted(rows, key=lambda m: (m.due_date, m.pk))[:limit]


def _role_filter(user) -> Q:
    """Orders a merchandiser follows, or a salesperson sells (one indexed column each, OR only if both)."""
    merchandiser, sales = user.has_role(Role.MERCHANDISER), user.has_role(Role.SALES)
    if merchandiser and not sales:
        return Q(merchandiser=user)
    if sales and not merchandiser:
        return Q(salesperson=user)
    return Q(merchandiser=user) | Q(salesperson=user)


def plans_chased_by(user) -> QuerySet[Plan]:
    """The plans a person follows: every one for managers, else the orders they sell or merchandise
    and those on which they owe a milestone."""
    plans = Plan.objects.filter(status=PlanStatus.ACTIVE)
    if user.has_perm("followup.view_team_load"):
        return plans
    if user.has_role(Role.MERCHANDISER, Role.SALES):
        return plans.filter(_role_filter(user))
    owing = Milestone.objects.filter(plan=OuterRef("pk"), status=MilestoneStatus.OPEN).owed_by(user)
    return plans.filter(Exists(owing))


WAITING_LIMIT = 120  # rows of "waiting on others" read; more show as "120+"
COUNT_CAP = 1000  # the cockpit says "1000+" rather than counting a whole company's backlog every morning
ROW_FIELDS = [  # and the order, customer and owner columns of Milestone.objects.listed()
    "plan", "code", "name_zh", "name_en", "department", "owner", "due_date", "estimated", "is_critical",
    "is_ex_factory", "status", "version",
]


# what the cockpit shows of a plan at risk (and of its order, customer and cause: Plan.objects.listed())
AT_RISK_FIELDS = ["order", "status", "ex_factory", "projected_ex_factory", "slip_days", "at_risk", "risk_cause"]


@dataclass(frozen=True)
class ChaseRow:
    """Something on an order that another app asks a person to chase (overdue money, say): a line of their
    cockpit and of their morning digest."""

    order_id: int
    order_number: str
    customer_code: str
    what: str
    amount: Decimal
    currency: str
    due_date: date
    days_late: int


@dataclass(frozen=True)
class ChaseSection:
    """A list the cockpit and the digest show from another app, which follow-up does not import: the app adds it
    to CHASE_SECTIONS at start-up (finance: overdue receivables). `rows(user, today)` is what the person has to
    chase, most urgent first; `people(today)` is who has any (the digest writes to them)."""

    key: str
    title: str
    rows: Callable[[object, date], list[ChaseRow]]
    people: Callable[[date], set[int]]


CHASE_SECTIONS: dict[str, ChaseSection] = {}


@dataclass
class Cockpit:
    today: date
    overdue: list = field(default_factory=list)
    due_today: list = field(default_factory=list)
    due_this_week: list = field(default_factory=list)
    at_risk: list = field(default_factory=list)
    waiting: list = field(default_factory=list)  # [(department label, [milestones])]
    follow_ups: list = field(default_factory=list)
    chase: list = field(default_factory=list)  # [(ChaseSection, [ChaseRow])], the sections with rows
    counts: dict = field(default_factory=dict)
    cap: int = COUNT_CAP
    waiting_cap: int = WAITING_LIMIT


def _capped(rows: QuerySet, *ordering: str) -> int:
    # in index order, so the database stops after COUNT_CAP rows instead of counting them all
    return rows.order_by(*(ordering or ["due_date"]))[:COUNT_CAP].count()


def due_windows(today: date) -> dict[str, Q]:
    """The cockpit's windows of due dates, which the milestone list filters by too."""
    week_end = today + timedelta(days=WEEK)
    return {"overdue": Q(due_date__lt=today), "today": Q(due_date=today),
            "week": Q(due_date__gt=today, due_date__lte=week_end),
            "coming": Q(due_date__gte=today, due_date__lte=week_end), "by_week_end": Q(due_date__lte=week_end)}


def cockpit_for(user, today: date, *, digest: bool = False) -> Cockpit:
    """Everything a person's home page shows. The morning digest (digest=True) leaves out this week's list
    and waiting on others, which it does not mention."""
    cockpit = Cockpit(today=today)
    parts = _owned_parts(user)
    week_end = today + timedelta(days=WEEK)
    windows = {key: due_windows(today)[key] for key in ("overdue", "today", "week")}
    if digest:
        del windows["week"]
    lists = {key: [part.filter(window) for part in parts] for key, window in windows.items()}
    first = {key: _first([part.listed().only(*ROW_FIELDS) for part in qs], LIST_LIMIT) for key, qs in lists.items()}
    cockpit.overdue, cockpit.due_today, cockpit.due_this_week = first["overdue"], first["today"], first.get("week", [])
    cockpit.counts = {key: min(COUNT_CAP, sum(_capped(part) for part in qs)) for key, qs in lists.items()}
    chased = plans_chased_by(user)
    at_risk = chased.filter(at_risk=True)
    cockpit.at_risk = list(at_risk.listed().only(*AT_RISK_FIELDS).order_by("-slip_days", "ex_factory")[:LIST_LIMIT])
    cockpit.counts["at_risk"] = _capped(at_risk, "-slip_days", "ex_factory")
    if not digest:
        cockpit.waiting = waiting_on_others(user, today, week_end)
        cockpit.counts["waiting"] = sum(len(rows) for _label, rows in cockpit.waiting)
    cockpit.follow_ups = list(
        Activity.objects.filter(by=user, follow_up_done=False, follow_up_on__lte=week_end)
        .select_related("order__customer").order_by("follow_up_on")[:LIST_LIMIT]
    )
    for section in CHASE_SECTIONS.values():
        rows = section.rows(user, today)
        cockpit.counts[section.key] = len(rows)
        if rows:
            cockpit.chase.append((section, rows[:LIST_LIMIT]))
    return cockpit


def waiting_on_others(user, today: date, week_end: date) -> list:
    """Milestones on the orders this person chases that other people owe, overdue or due within a week,
    grouped by department: whom to call this morning. Managers: what is already late, everywhere."""
    rows = Milestone.objects.owed_to(user).listed().only(*ROW_FIELDS)
    if user.has_perm("followup.view_team_load"):
        rows = rows.filter(due_date__lt=today)
    else:
        rows = rows.filter(due_date__lte=week_end)
    groups = defaultdict(list)
    for milestone in rows.order_by("due_date")[:WAITING_LIMIT]:
        groups[milestone.department].append(milestone)
    return [(Role(department).label, items) for department, items in sorted(groups.items())]


def plan_for_order(order) -> Plan | None:
    try:
        return order.plan
    except Plan.DoesNotExist:
        return None


def plan_milestones(plan: Plan) -> list[Milestone]:
    return list(plan.milestones.select_related("owner", "done_by").order_by("position", "pk"))


def visible_plans(user) -> QuerySet[Plan]:
    return Plan.objects.filter(order__in=order_list_visible_to(user=user).values("pk"))


@dataclass
class Load:
    merchandiser: object
    active_orders: int = 0
    open_milestones: int = 0
    overdue: int = 0  # every department's, on the orders this merchandiser follows
    overdue_own: int = 0  # of those, the ones she owns herself: her cockpit's overdue list
    due_week: int = 0
    at_risk: int = 0
    milestones_done: int = 0
    milestones_on_time: int = 0
    orders_shipped: int = 0
    orders_on_time: int = 0

    @property
    def milestone_rate(self) -> float | None:
        return self.milestones_on_time / self.milestones_done if self.milestones_done else None

    @property
    def order_rate(self) -> float | None:
        return self.orders_on_time / self.orders_shipped if self.orders_shipped else None


def team_load(today: date, *, days: int = 90) -> list[Load]:
    """Each merchandiser's load now and on-time record over the last `days`: milestones done by their due
    date, and orders out of the factory by the ex-factory date first confirmed (交期达成率)."""
    from gendan.accounts.models import User

    since = today - timedelta(days=days)
    people = User.objects.filter(is_active=True, groups__name=Role.MERCHANDISER).order_by("username")
    loads = {u.pk: Load(u) for u in people}
    active = Plan.objects.filter(status=PlanStatus.ACTIVE, order__merchandiser__in=people)
    for row in active.values("order__merchandiser").annotate(n=Count("pk"), risk=Count("pk", filter=Q(at_risk=True))):
        load = loads[row["order__merchandiser"]]
        load.active_orders, load.at_risk = row["n"], row["risk"]
    open_rows = Milestone.objects.open().filter(plan__order__merchandiser__in=people)
    for row in open_rows.values("plan__order__merchandiser").annotate(
        n=Count("pk"), late=Count("pk", filter=Q(due_date__lt=today)),
        week=Count("pk", filter=Q(due_date__gte=today, due_date__lte=today + timedelta(days=WEEK))),
    ):
        load = loads[row["plan__order__merchandiser"]]
        load.open_milestones, load.overdue, load.due_week = row["n"], row["late"], row["week"]
    own_late = Milestone.objects.open().filter(owner__in=people, due_date__lt=today)
    for row in own_late.values("owner").annotate(n=Count("pk")):
        loads[row["owner"]].overdue_own = row["n"]
    done = Milestone.objects.filter(status=MilestoneStatus.DONE, actual_date__gte=since,
                                    plan__order__merchandiser__in=people)
    for row in done.values("plan__order__merchandiser").annotate(
        n=Count("pk"), on_time=Count("pk", filter=Q(actual_date__lte=F("due_date"))),
        shipped=Count("pk", filter=Q(is_ex_factory=True)),
        shipped_on_time=Count("pk", filter=Q(is_ex_factory=True, actual_date__lte=F("baseline_date"))),
    ):
        load = loads[row["plan__order__merchandiser"]]
        load.milestones_done, load.milestones_on_time = row["n"], row["on_time"]
        load.orders_shipped, load.orders_on_time = row["shipped"], row["shipped_on_time"]
    return list(loads.values())


def active_orders_of(merchandiser) -> QuerySet[Plan]:
    return (Plan.objects.filter(status=PlanStatus.ACTIVE, order__merchandiser=merchandiser)
            .select_related("order__customer", "risk_cause").order_by("-at_risk", "ex_factory"))


# ---------------------------------------------------------------- who may do what


def is_manager(user) -> bool:
    return user.has_perm("followup.complete_any_milestone")


@dataclass(frozen=True)
class RecordedBy:
    """Where the record that completes a milestone is made: the pages link there instead of a done button."""

    label: str
    url: str
    perm: str


# Milestones that a record completes and its undoing reopens (a confirmed receipt; later a booking, a loading
# record): the app keeping the record registers them at start-up, and the pages offer no done, waive or reopen
# by hand for them (the app's listener refuses those too), but a link to where the record is made.
DONE_BY_RECORDS: dict[str, RecordedBy] = {}


def record_link(user, milestone: Milestone) -> RecordedBy | None:
    """The place to make the record that completes this open milestone, for someone who may make it."""
    recorded_by = DONE_BY_RECORDS.get(milestone.code)
    if recorded_by is None or milestone.status != MilestoneStatus.OPEN or not user.has_perm(recorded_by.perm):
        return None
    return recorded_by


def may_tick(user, milestone: Milestone) -> bool:
    """Whether a page offers to close or reopen this milestone by hand."""
    return milestone.code not in DONE_BY_RECORDS and may_complete(user, milestone)


def may_complete(user, milestone: Milestone) -> bool:
    """Done and waived belong to the owner department (or a manager)."""
    return is_manager(user) or milestone.owner_id == user.pk or user.has_role(milestone.department)


def may_reschedule(user, milestone: Milestone) -> bool:
    """The owner department agrees a new date; so may the order's merchandiser, who chases it."""
    return may_complete(user, milestone) or milestone.plan.order.merchandiser_id == user.pk


def may_notify_customer(user, order: SalesOrder) -> bool:
    """Who speaks to the customer about the order: its salesperson, its merchandiser, a manager."""
    return is_manager(user) or user.pk in (order.salesperson_id, order.merchandiser_id)


def may_set_shipping_dates(user, order: SalesOrder) -> bool:
    """ETD and ETA come from the people who deal with the customer and the forwarder: the same as above."""
    return may_notify_customer(user, order)


@dataclass
class DepartmentOwnerRow:
    department: str
    label: str
    owner: object | None
    version: int
    people: list
    open_milestones: int  # on active plans
    not_with_owner: int  # of those, owned by somebody else or by nobody


def department_owner_rows() -> list[DepartmentOwnerRow]:
    """Each department a plan gives to a named person: who it is, who could be, and the open work at stake."""
    from gendan.accounts.models import User
    from gendan.followup.models import DepartmentAssignee
    from gendan.followup.services import OWNED_DEPARTMENTS

    assignees = {a.department: a for a in DepartmentAssignee.objects.select_related("user")}
    people = defaultdict(list)
    for user in User.objects.filter(is_active=True, groups__name__in=OWNED_DEPARTMENTS).annotate(
            role=F("groups__name")).order_by("username"):
        people[user.role].append(user)
    open_rows = Milestone.objects.filter(status=MilestoneStatus.OPEN, plan__status=PlanStatus.ACTIVE,
                                         department__in=OWNED_DEPARTMENTS)
    counts = {row["department"]: row for row in open_rows.values("department").annotate(n=Count("pk"))}
    rows = []
    for department in OWNED_DEPARTMENTS:
        assignee = assignees.get(department)
        owner = assignee.user if assignee else None
        total = counts.get(department, {}).get("n", 0)
        with_owner = open_rows.filter(department=department, owner=owner).count() if owner else 0
        rows.append(DepartmentOwnerRow(department, Role(department).label, owner, assignee.version if assignee else 0,
                                       people[department], total, total - with_owner))
    return rows
