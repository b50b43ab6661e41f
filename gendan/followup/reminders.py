"""The reminder scan the worker runs on schedule (and for one plan after each change).

Everything it does is derived from the state of the plans, and every reminder has a unique key, so running
it twice, or again after the worker was killed half-way, neither repeats nor loses anything:

1. re-project the plans in which an open milestone's projected date has fallen behind today;
2. in-app notifications: every reminder the state says is owed today, inserted with ON CONFLICT DO NOTHING
   on (key, person). What is owed is read from the state alone — open milestones up to the due-soon limit,
   active plans at risk, follow-ups due — never from when the last scan ran, so a scan killed after any
   batch is completed by the next one, and a run after an interruption ends with exactly the rows of an
   uninterrupted run;
3. the morning digest: one email per person per day (to those with unread reminders, and to those another app's
   cockpit section names, e.g. finance's overdue receivables), claimed before sending and marked after; a claim
   left by a killed worker is taken over after `digest_lease()` (two minutes), and a scan that finds one
   held asks for a digest run when it expires (`ScanResult.digests_held_until`).

Reminder keys (one notification per key and person):

- ``due_soon:<milestone>:<due date>``: the first scan that finds the open milestone due within
  DUE_SOON_WORKING_DAYS working days;
- ``overdue:<milestone>:<due date>``: the first scan after its due date while it is still open. It is not
  repeated every day (the morning digest lists every overdue milestone each day), and an overdue milestone
  a scan missed is created by the next scan, whenever that runs: it is still open and still past due.
  Rescheduling gives a new due date, hence new keys: the owner hears of the new date again;
- ``at_risk:<plan>:w<weeks of slip>``: when the order goes at risk, and again per further week of slip;
- ``follow_up:<activity>:<date>``: a follow-up promised in an activity, from its day on.

A notification's `day` is the day the scan created it (for at-risk ones the projected ex-factory date, for
follow-ups their date). The one case where an interruption shows: a worker down past a milestone's due date
creates its overdue reminder only, not the due-soon one it no longer needs.

Two environment variables exist for the fault-injection test (tests/test_worker_faults.py) only:
GENDAN_SCAN_BATCH (rows per insert, 2000 by default) and GENDAN_FAULT_AT="<phase>:<n>", which makes the
process kill itself with SIGKILL after the n-th notification batch ("notify") or right after claiming the
n-th digest ("digest").
"""

from __future__ import annotations

import os
import signal
import time
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.db.models import Case, CharField, Exists, F, Min, OuterRef, Q, Value, When
from django.db.models.functions import Cast, Concat, Replace
from django.template.loader import render_to_string
from django.utils import timezone, translation

from gendan.accounts.models import User
from gendan.core.bulk import insert_values
from gendan.core.workdays import calendar_pinned
from gendan.followup.choices import MilestoneStatus, PlanStatus
from gendan.followup.models import Activity, Digest, Milestone, Notification, Plan, ReminderKind
from gendan.followup.replanning import plans_replan
from gendan.followup.selectors import CHASE_SECTIONS, cockpit_for, due_soon_limit

SLACK_MARGIN_DAYS = 3  # a weekend: "today" for work still to do can be the next working day
BATCH = int(os.environ.get("GENDAN_SCAN_BATCH", 2000))  # smaller only in the fault-injection test
LEASE_MARGIN = timedelta(seconds=1)  # a claim has run out once its lease has passed, not at that moment


def digest_lease() -> timedelta:
    """How long a digest's claim holds: long enough to build and send one email, short enough that a digest
    claimed by a worker that was killed goes out a few minutes late, not a quarter of an hour."""
    return timedelta(seconds=settings.GENDAN_DIGEST_LEASE_SECONDS)


def fault_point(phase: str, count: int) -> None:
    """The fault-injection test's kill switch (see the module docstring); does nothing unless it is set."""
    if os.environ.get("GENDAN_FAULT_AT") == f"{phase}:{count}":
        os.kill(os.getpid(), signal.SIGKILL)


@dataclass
class ScanResult:
    replanned: int = 0
    notifications: int = 0
    digests_sent: int = 0
    digests_held_until: datetime | None = None  # a digest another worker claimed: run again after this
    seconds: dict = field(default_factory=dict)  # per phase, for the worker's log and the benchmark


def scan(*, now: datetime | None = None, plan_ids: list[int] | None = None) -> ScanResult:
    now = now or timezone.now()
    today = timezone.localdate(now)
    result = ScanResult()
    started = time.perf_counter()
    with calendar_pinned() as calendar:
        result.replanned = len(replan_stale(today, calendar, plan_ids))
        result.seconds["replan"] = round(time.perf_counter() - started, 2)
        result.notifications = notify(today, calendar, plan_ids)
        result.seconds["notify"] = round(time.perf_counter() - started - result.seconds["replan"], 2)
    if plan_ids is None and timezone.localtime(now).hour >= settings.GENDAN_DIGEST_HOUR:
        begun = time.perf_counter()
        # claims are stamped with the time they are made: the scan before them may have taken a while
        result.digests_sent, result.digests_held_until = send_digests(
            today, now + timedelta(seconds=begun - started))
        result.seconds["digests"] = round(time.perf_counter() - begun, 2)
    return result


def replan_stale(today: date, calendar, plan_ids=None) -> list[int]:
    """Projected dates assume open work happens no earlier than today. When today passes an open
    milestone's projection, re-project the plans where that can move ex-factory: the milestone has used
    up its slack (its latest date is near), or the order is at risk already (its slip grows). Elsewhere
    only dates shown on the plan page drift, and that page re-projects when it is opened."""
    near = today + timedelta(days=SLACK_MARGIN_DAYS)
    stale = Milestone.objects.filter(status=MilestoneStatus.OPEN, projected_date__lt=today).filter(
        Q(latest_date__lte=near) | Q(plan__at_risk=True))
    if plan_ids is not None:
        stale = stale.filter(plan_id__in=plan_ids)
    ids = sorted(set(stale.values_list("plan_id", flat=True)))
    plans_replan(ids, today=today, calendar=calendar, due=False)
    return ids


def notify(today: date, calendar, plan_ids=None) -> int:
    """Create the reminders owed today that do not exist yet (all of them, or a few plans'). Returns how
    many were new."""
    soon = due_soon_limit(today, calendar)
    rows = [*_milestone_reminders(today, soon, plan_ids), *_risk_reminders(plan_ids), *_follow_up_reminders(today)]
    return _insert_new(rows)


NOTIFICATION_FIELDS = ["user", "kind", "key", "day", "order", "milestone", "activity", "created_at"]


def _reminder(user_id: int, kind: str, key: str, day: date, *, order_id=None, milestone_id=None,
              activity_id=None) -> list:
    """A notification row, in the order of NOTIFICATION_FIELDS but for created_at (the scan makes tens of
    thousands)."""
    return [user_id, kind, key, day, order_id, milestone_id, activity_id]


def _insert_new(rows: list[list]) -> int:
    """Insert the reminders whose (key, person) does not exist yet: the unique constraint decides, so a
    scan running twice, or beside another, never repeats one. Each batch commits on its own: a scan killed
    between two leaves the rest to the next. Returns how many were new."""
    fields = [Notification._meta.get_field(name) for name in NOTIFICATION_FIELDS]
    now = timezone.now()
    rows = [[*row, now] for row in rows]
    new = 0
    for number, start in enumerate(range(0, len(rows), BATCH), 1):
        new += len(insert_values(Notification, fields, rows[start:start + BATCH], ignore_conflicts=True))
        fault_point("notify", number)
    return new


def _department_members() -> dict[str, list[int]]:
    members: dict[str, list[int]] = {}
    for user_id, role in User.objects.filter(is_active=True).values_list("pk", "groups__name"):
        if role:
            members.setdefault(role, []).append(user_id)
    return members


def _milestone_reminders(today: date, soon: date, plan_ids) -> list[list]:
    """Every open milestone up to the due-soon limit (a range of the (status, due date) index): those due
    soon and those overdue, which stay owed until they are done or moved."""
    milestones = Milestone.objects.open().filter(due_date__lte=soon)
    if plan_ids is not None:
        milestones = milestones.filter(plan_id__in=plan_ids)
    # most were reminded by an earlier scan: their owner's (key, person) is one probe of the unique index
    milestones = milestones.annotate(key=_milestone_key(today)).filter(
        ~Exists(Notification.objects.filter(key=OuterRef("key"), user=OuterRef("owner")))).order_by()
    members = _department_members()
    rows = []
    fields = ("pk", "owner_id", "department", "due_date", "plan__order_id")
    for m in milestones.values(*fields).iterator(chunk_size=5000):
        kind = ReminderKind.OVERDUE if m["due_date"] < today else ReminderKind.DUE_SOON
        key = f"{kind}:{m['pk']}:{m['due_date']:%Y%m%d}"
        for user_id in [m["owner_id"]] if m["owner_id"] else members.get(m["department"], []):
            rows.append(_reminder(user_id, kind, key, today, milestone_id=m["pk"], order_id=m["plan__order_id"]))
    return rows


def _milestone_key(today: date):
    """The key below, in SQL. Only a shortcut: a key written differently here would cost time, not rows."""
    kind = Case(When(due_date__lt=today, then=Value(ReminderKind.OVERDUE.value)),
                default=Value(ReminderKind.DUE_SOON.value))
    day = Replace(Cast("due_date", CharField()), Value("-"), Value(""))  # ISO text on both databases
    return Concat(kind, Value(":"), Cast("pk", CharField()), Value(":"), day, output_field=CharField())


def _risk_reminders(plan_ids) -> list[list]:
    """Every active plan at risk (a partial index holds them), whichever change or scan put it there."""
    if plan_ids is None:
        return _risk_reminders_of(Plan.objects.filter(status=PlanStatus.ACTIVE, at_risk=True))
    rows = []
    for start in range(0, len(plan_ids), BATCH):  # SQLite takes a limited number of parameters
        chunk = plan_ids[start:start + BATCH]
        rows += _risk_reminders_of(Plan.objects.filter(status=PlanStatus.ACTIVE, at_risk=True, pk__in=chunk))
    return rows


def _risk_reminders_of(plans) -> list[list]:
    key = Concat(Value(f"{ReminderKind.AT_RISK.value}:"), Cast("pk", CharField()), Value(":w"),
                 Cast(F("slip_days") / 7, CharField()), output_field=CharField())  # as below: slips are > 0
    plans = plans.annotate(key=key).exclude(  # both told already
        Exists(Notification.objects.filter(key=OuterRef("key"), user=OuterRef("merchandiser")))
        & Exists(Notification.objects.filter(key=OuterRef("key"), user=OuterRef("salesperson"))))
    rows = []
    for plan in plans.values("pk", "order_id", "projected_ex_factory", "slip_days", "merchandiser_id",
                             "salesperson_id"):
        # once when the order goes at risk, and again each time the slip grows by another week
        key = f"{ReminderKind.AT_RISK}:{plan['pk']}:w{plan['slip_days'] // 7}"
        for user_id in {plan["merchandiser_id"], plan["salesperson_id"]} - {None}:
            rows.append(_reminder(user_id, ReminderKind.AT_RISK, key, plan["projected_ex_factory"],
                                  order_id=plan["order_id"]))
    return rows


def _follow_up_reminders(today: date) -> list[list]:
    due = Activity.objects.filter(follow_up_done=False, follow_up_on__lte=today)
    return [
        _reminder(a["by_id"], ReminderKind.FOLLOW_UP, f"{ReminderKind.FOLLOW_UP}:{a['pk']}:{a['follow_up_on']:%Y%m%d}",
                  a["follow_up_on"], activity_id=a["pk"], order_id=a["order_id"])
        for a in due.values("pk", "by_id", "order_id", "follow_up_on")
    ]


# ---------------------------------------------------------------- the morning digest


def send_digests(today: date, now: datetime) -> tuple[int, datetime | None]:
    """Send today's digests not sent yet. Returns how many this run sent, and, when another worker holds a
    claim on one, the moment that claim expires (the caller runs this again then)."""
    people = User.objects.filter(is_active=True).exclude(email="").filter(
        Q(notifications__read_at__isnull=True) & Q(notifications__day__lte=today)
    ).distinct()
    chased = set().union(*(section.people(today) for section in CHASE_SECTIONS.values()))
    people = {*people.values_list("pk", flat=True),
              *User.objects.filter(is_active=True, pk__in=chased).exclude(email="").values_list("pk", flat=True)}
    Digest.objects.bulk_create([Digest(user_id=pk, day=today) for pk in people], ignore_conflicts=True)
    sent, started = 0, time.perf_counter()
    for number, digest in enumerate(Digest.objects.filter(day=today, sent_at__isnull=True).select_related("user"), 1):
        claimed_at = now + timedelta(seconds=time.perf_counter() - started)
        if not _claim(digest, claimed_at):
            continue
        fault_point("digest", number)
        if _send_digest(digest, today):
            Digest.objects.filter(pk=digest.pk).update(sent_at=timezone.now(), items=digest.items)
            sent += 1
    held = Digest.objects.filter(day=today, sent_at__isnull=True).aggregate(first=Min("claimed_at"))["first"]
    return sent, held + digest_lease() if held else None


def _claim(digest: Digest, now: datetime) -> bool:
    """Take the digest for this worker; one claimed by a worker that died is taken over after its lease."""
    return bool(
        Digest.objects.filter(pk=digest.pk, sent_at__isnull=True)
        .filter(Q(claimed_at__isnull=True) | Q(claimed_at__lt=now - digest_lease()))
        .update(claimed_at=now)
    )


def _send_digest(digest: Digest, today: date) -> bool:
    user = digest.user
    cockpit = cockpit_for(user, today, digest=True)
    digest.items = (len(cockpit.overdue) + len(cockpit.due_today) + len(cockpit.at_risk)
                    + sum(len(rows) for _section, rows in cockpit.chase))
    if not digest.items and not cockpit.follow_ups:
        return True  # nothing to say today: counted as done, no email
    language = getattr(user, "language", "") or settings.LANGUAGE_CODE
    with translation.override(language):
        context = {"user": user, "cockpit": cockpit, "today": today, "site": settings.GENDAN_SITE_URL}
        subject = render_to_string("followup/digest_subject.txt", context).strip()
        text = render_to_string("followup/digest.txt", context)
        html = render_to_string("followup/digest.html", context)
    message = EmailMultiAlternatives(subject, text, settings.DEFAULT_FROM_EMAIL, [user.email])
    message.attach_alternative(html, "text/html")
    message.send()
    return True
