"""Background work for the follow-up engine, run by `gendan worker` (django-tasks, database backend)."""

from datetime import date, datetime

from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django_tasks import TaskResultStatus, task
from django_tasks_db.models import DBTaskResult

from gendan.core.workdays import calendar_pinned
from gendan.followup import reminders
from gendan.followup.choices import PlanStatus
from gendan.followup.models import Milestone, Plan
from gendan.followup.replanning import plans_replan


@task()
def scan_reminders() -> dict:
    now = timezone.now()
    result = reminders.scan(now=now)
    _digests_again_at(result.digests_held_until, timezone.localdate(now))
    return {"replanned": result.replanned, "notifications": result.notifications, "digests": result.digests_sent}


@task()
def send_digests(day: str) -> dict:
    """A day's digests that another worker claimed and did not send (it was killed), once its claim ran out."""
    sent, held_until = reminders.send_digests(date.fromisoformat(day), timezone.now())
    _digests_again_at(held_until, date.fromisoformat(day))
    return {"digests": sent}


def _digests_again_at(moment: datetime | None, day: date) -> None:
    if moment is not None:
        send_digests.using(run_after=moment + reminders.LEASE_MARGIN).enqueue(day.isoformat())


REPLAN_CHUNK = 2000  # plans re-planned and scanned per transaction


@task()
def scan_wanted_reminders() -> dict:
    """After changes: the reminders of the plans they touched (a new plan's first steps, one just at risk),
    i.e. of every plan marked `reminders_wanted_at`. A mark is cleared only if it is not newer than the
    scan: a plan changed again meanwhile stays marked for the next task."""
    scanned = notifications = 0
    while True:
        started = timezone.now()
        ids = list(Plan.objects.filter(reminders_wanted_at__lte=started).order_by()
                   .values_list("pk", flat=True)[:REPLAN_CHUNK])
        if not ids:
            return {"plans": scanned, "notifications": notifications}
        notifications += reminders.scan(plan_ids=ids).notifications
        Plan.objects.filter(pk__in=ids, reminders_wanted_at__lte=started).update(reminders_wanted_at=None)
        scanned += len(ids)


def reminders_wanted() -> None:
    """Queue the scan of marked plans, unless one is queued and not started yet: it will see them too."""
    waiting = DBTaskResult.objects.filter(status=TaskResultStatus.READY,
                                          task_path=scan_wanted_reminders.module_path)
    if not waiting.exists():
        scan_wanted_reminders.enqueue()


@task()
def replan_after_calendar_change(first: str, last: str) -> dict:
    """Working days from `first` to `last` changed (core's `calendar_days_changed`): re-plan, due dates and
    "estimated" flags included, the active plans a working-day count may cross the change in, then scan
    their reminders. Every such count starts or ends on or after `first`: at an open milestone's due,
    projected or first-planned date, or at the plan's ex-factory date (counted back from). Those plans are
    a superset of the ones affected that two reads find. Re-planning is idempotent: a re-run converges."""
    start = date.fromisoformat(first)
    dated = Q(due_date__gte=start) | Q(projected_date__gte=start) | Q(baseline_date__gte=start)
    ids = sorted({*Milestone.objects.open().filter(dated).order_by().values_list("plan_id", flat=True).distinct(),
                  *Plan.objects.filter(status=PlanStatus.ACTIVE, ex_factory__gte=start).values_list("pk", flat=True)})
    today = timezone.localdate()
    with calendar_pinned() as calendar:
        for begin in range(0, len(ids), REPLAN_CHUNK):
            chunk = ids[begin:begin + REPLAN_CHUNK]
            with transaction.atomic():
                plans_replan(chunk, today=today, calendar=calendar)
            reminders.scan(plan_ids=chunk)
    return {"replanned": len(ids), "first": first, "last": last}
