"""The reminder scan the worker runs on schedule (and for one plan after each change).

Everything it does is derived from the state of the plans, and every reminder has a unique key, so running
it twice, or again after the worker was killed half-way, neither repeats nor loses anything:

1. re-project the plans in which an open milestone's projected date has fallen behind today;
2. in-app notifications — due soon, overdue, order at risk, follow-up due — one per key;
3. the morning digest: one email per person per day, claimed before sending and marked after; a claim
   left by a killed worker is taken over after `CLAIM_TIMEOUT`.
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.db.models import Max, Q
from django.template.loader import render_to_string
from django.utils import timezone, translation

from gendan.accounts.models import User
from gendan.core.bulk import insert_values
from gendan.core.workdays import calendar_pinned
from gendan.followup.choices import MilestoneStatus, PlanStatus
from gendan.followup.models import Activity, Digest, Milestone, Notification, Plan, ReminderKind
from gendan.followup.selectors import cockpit_for, due_soon_limit
from gendan.followup.services import plans_replan

CLAIM_TIMEOUT = timedelta(minutes=10)
SLACK_MARGIN_DAYS = 3  # a weekend: "today" for work still to do can be the next working day
BATCH = 2000


@dataclass
class ScanResult:
    replanned: int = 0
    notifications: int = 0
    digests_sent: int = 0
    seconds: dict = field(default_factory=dict)  # per phase, for the worker's log and the benchmark


def scan(*, now: datetime | None = None, plan_ids: list[int] | None = None) -> ScanResult:
    now = now or timezone.now()
    today = timezone.localdate(now)
    result = ScanResult()
    started = time.perf_counter()
    with calendar_pinned() as calendar:
        replanned = replan_stale(today, calendar, plan_ids)
        result.replanned = len(replanned)
        result.seconds["replan"] = round(time.perf_counter() - started, 2)
        result.notifications = notify(today, calendar, plan_ids, replanned=replanned)
        result.seconds["notify"] = round(time.perf_counter() - started - result.seconds["replan"], 2)
    if plan_ids is None and timezone.localtime(now).hour >= settings.GENDAN_DIGEST_HOUR:
        begun = time.perf_counter()
        result.digests_sent = send_digests(today, now)
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


def notify(today: date, calendar, plan_ids=None, replanned: list[int] | None = None) -> int:
    """Create the reminders that do not exist yet. Milestones are looked at from the last scan's day on
    (all of them the first time, or for one plan), so a daily scan reads a day's worth, not every open one;
    a scan missed for days catches up from the last one that ran."""
    last = None if plan_ids is not None else Notification.objects.filter(
        kind__in=[ReminderKind.OVERDUE, ReminderKind.DUE_SOON]).aggregate(last=Max("day"))["last"]
    soon = due_soon_limit(today, calendar)
    window = (last, due_soon_limit(last, calendar)) if last else None
    # risk changes only where plans were re-planned (by this scan, or by the change that asked for it)
    risk_ids = plan_ids if plan_ids is not None or not last else replanned
    rows = [*_milestone_reminders(today, soon, window, plan_ids), *_risk_reminders(risk_ids),
            *_follow_up_reminders(today)]
    return _insert_new(rows)


NOTIFICATION_FIELDS = ["user", "kind", "key", "day", "order", "milestone", "activity", "created_at"]


def _reminder(user_id: int, kind: str, key: str, day: date, *, order_id=None, milestone_id=None,
              activity_id=None) -> list:
    """A notification row, in the order of NOTIFICATION_FIELDS but for created_at (the scan makes tens of
    thousands)."""
    return [user_id, kind, key, day, order_id, milestone_id, activity_id]


def _insert_new(rows: list[list]) -> int:
    """Insert the reminders whose (key, person) does not exist yet: the unique constraint decides, so a
    scan running twice, or beside another, never repeats one. Returns how many were new."""
    fields = [Notification._meta.get_field(name) for name in NOTIFICATION_FIELDS]
    now = timezone.now()
    rows = [[*row, now] for row in rows]
    return sum(len(insert_values(Notification, fields, rows[start:start + BATCH], ignore_conflicts=True))
               for start in range(0, len(rows), BATCH))


def _department_members() -> dict[str, list[int]]:
    members: dict[str, list[int]] = {}
    for user_id, role in User.objects.filter(is_active=True).values_list("pk", "groups__name"):
        if role:
            members.setdefault(role, []).append(user_id)
    return members


def _milestone_reminders(today: date, soon: date, window, plan_ids) -> list[list]:
    milestones = Milestone.objects.open().filter(due_date__lte=soon)
    if plan_ids is not None:
        milestones = milestones.filter(plan_id__in=plan_ids)
    if window:  # overdue since the last scan, or newly inside the "due soon" window
        last_day, last_soon = window
        milestones = milestones.filter(Q(due_date__gte=last_day, due_date__lt=today) | Q(due_date__gt=last_soon))
    members = _department_members()
    rows = []
    fields = ("pk", "owner_id", "department", "due_date", "plan__order_id")
    for m in milestones.values(*fields).iterator(chunk_size=5000):
        kind = ReminderKind.OVERDUE if m["due_date"] < today else ReminderKind.DUE_SOON
        key = f"{kind}:{m['pk']}:{m['due_date']:%Y%m%d}"
        for user_id in [m["owner_id"]] if m["owner_id"] else members.get(m["department"], []):
            rows.append(_reminder(user_id, kind, key, today, milestone_id=m["pk"], order_id=m["plan__order_id"]))
    return rows


def _risk_reminders(plan_ids) -> list[list]:
    if plan_ids is None:
        return _risk_reminders_of(Plan.objects.filter(status=PlanStatus.ACTIVE, at_risk=True))
    rows = []
    for start in range(0, len(plan_ids), BATCH):  # SQLite takes a limited number of parameters
        chunk = plan_ids[start:start + BATCH]
        rows += _risk_reminders_of(Plan.objects.filter(status=PlanStatus.ACTIVE, at_risk=True, pk__in=chunk))
    return rows


def _risk_reminders_of(plans) -> list[list]:
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


def send_digests(today: date, now: datetime) -> int:
    people = User.objects.filter(is_active=True).exclude(email="").filter(
        Q(notifications__read_at__isnull=True) & Q(notifications__day__lte=today)
    ).distinct()
    Digest.objects.bulk_create([Digest(user=u, day=today) for u in people], ignore_conflicts=True)
    sent = 0
    for digest in Digest.objects.filter(day=today, sent_at__isnull=True).select_related("user"):
        if _claim(digest, now) and _send_digest(digest, today):
            Digest.objects.filter(pk=digest.pk).update(sent_at=timezone.now(), items=digest.items)
            sent += 1
    return sent


def _claim(digest: Digest, now: datetime) -> bool:
    """Take the digest for this worker; one claimed by a worker that died is taken over after a while."""
    return bool(
        Digest.objects.filter(pk=digest.pk, sent_at__isnull=True)
        .filter(Q(claimed_at__isnull=True) | Q(claimed_at__lt=now - CLAIM_TIMEOUT))
        .update(claimed_at=now)
    )


def _send_digest(digest: Digest, today: date) -> bool:
    user = digest.user
    cockpit = cockpit_for(user, today, digest=True)
    digest.items = len(cockpit.overdue) + len(cockpit.due_today) + len(cockpit.at_risk)
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
