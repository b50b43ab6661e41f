from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.core.management import call_command
from django.db import connection
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from gendan.accounts.roles import Role
from gendan.core.scheduler import enqueue_due
from gendan.followup import reminders
from gendan.followup.models import Digest, Milestone, Notification, Plan
from gendan.followup.selectors import plans_chased_by
from gendan.followup.tests.factories import confirmed_order

pytestmark = pytest.mark.django_db
SHANGHAI = ZoneInfo("Asia/Shanghai")


def moment(day: date, hour: int, minute: int = 0) -> datetime:
    return datetime(day.year, day.month, day.day, hour, minute, tzinfo=SHANGHAI)


@pytest.fixture
def order(salesperson, sales_manager, merchandiser):
    return confirmed_order(salesperson=salesperson, manager=sales_manager, merchandiser=merchandiser)


def test_the_scan_notifies_owners_once_however_often_it_runs(order, engineer, merchandiser):
    early = moment(date(2026, 10, 12), 6)  # before the digest hour
    first = reminders.scan(now=early)
    again = reminders.scan(now=early + timedelta(minutes=15))
    assert first.notifications > 0 and again.notifications == 0
    bom = Milestone.objects.get(plan__order=order, code="bom")
    # the BOM has no personal owner: every engineer hears of it, once
    assert list(Notification.objects.filter(milestone=bom).values_list("user", "kind")) == [(engineer.pk, "overdue")]
    assert Notification.objects.filter(user=merchandiser, kind="overdue").exists()
    assert not Digest.objects.exists()


def test_a_rescheduled_milestone_is_reminded_again_for_its_new_date(order, merchandiser):
    from gendan.followup.services import milestone_reschedule

    reminders.scan(now=moment(date(2026, 10, 12), 6))
    review = Milestone.objects.get(plan__order=order, code="order_review")
    milestone_reschedule(milestone=review, by=merchandiser, new_date=date(2026, 10, 13), reason="waiting for QC")
    reminders.scan(now=moment(date(2026, 10, 14), 6))
    keys = sorted(Notification.objects.filter(milestone=review).values_list("key", flat=True))
    assert keys == [f"overdue:{review.pk}:20260929", f"overdue:{review.pk}:20261013"]


def test_time_passing_puts_an_order_at_risk_and_tells_its_people(order, merchandiser, salesperson):
    result = reminders.scan(now=moment(date(2026, 11, 5), 6))  # the open BOM is now five weeks late
    assert result.replanned == 1
    plan = Plan.objects.get(order=order)
    assert plan.at_risk and plan.projected_ex_factory == date(2026, 12, 3)
    told = set(Notification.objects.filter(kind="at_risk").values_list("user", flat=True))
    assert told == {merchandiser.pk, salesperson.pk}


def test_one_morning_digest_per_person_through_a_real_smtp_server(smtp_server, order, engineer, merchandiser):
    morning = moment(date(2026, 10, 12), 7, 30)
    first = reminders.scan(now=morning)
    reminders.scan(now=morning + timedelta(minutes=15))
    reminders.scan(now=morning + timedelta(hours=3))
    recipients = sorted(address for mail in smtp_server for address in mail["to"])
    assert first.digests_sent == len(smtp_server) and len(recipients) == len(set(recipients))
    assert engineer.email in recipients and merchandiser.email in recipients
    mail = next(m for m in smtp_server if m["to"] == [engineer.email])
    assert order.number in mail["body"] and "BOM" in mail["body"]
    assert mail["message"].get_body(("html",)) is not None


def test_each_digest_is_in_its_readers_language(smtp_server, order, engineer, merchandiser):
    engineer.language = "en"
    engineer.save(update_fields=["language"])
    reminders.scan(now=moment(date(2026, 10, 12), 7, 30))
    english = next(m for m in smtp_server if m["to"] == [engineer.email])
    chinese = next(m for m in smtp_server if m["to"] == [merchandiser.email])  # the company's default
    assert english["message"]["Subject"].startswith("Gendan 2026-10-12:") and "overdue" in english["message"]["Subject"]
    assert "逾期" in chinese["message"]["Subject"]


def test_a_digest_claimed_by_a_killed_worker_goes_out_once_within_minutes(smtp_server, order, engineer):
    morning = moment(date(2026, 10, 12), 7, 30)
    reminders.scan(now=morning - timedelta(hours=2))  # notifications exist
    # a worker claimed the engineer's digest and was killed before sending it
    digest = Digest.objects.create(user=engineer, day=date(2026, 10, 12), claimed_at=morning)
    held = reminders.scan(now=morning + timedelta(minutes=1))
    assert engineer.email not in [a for m in smtp_server for a in m["to"]]  # its claim still holds
    assert reminders.digest_lease() == timedelta(minutes=2)
    assert held.digests_held_until == morning + reminders.digest_lease()  # when to try again
    reminders.scan(now=morning + reminders.digest_lease() + timedelta(seconds=1))
    reminders.scan(now=morning + timedelta(minutes=20))
    assert [a for m in smtp_server for a in m["to"]].count(engineer.email) == 1
    digest.refresh_from_db()
    assert digest.sent_at is not None


def test_a_mail_server_that_is_down_loses_nothing(smtp_server, settings, order, engineer):
    morning = moment(date(2026, 10, 12), 7, 30)
    port = settings.EMAIL_PORT
    settings.EMAIL_PORT = 9  # nothing listens there
    with pytest.raises(OSError):
        reminders.scan(now=morning)
    assert not Digest.objects.filter(sent_at__isnull=False).exists()
    settings.EMAIL_PORT = port
    reminders.scan(now=morning + reminders.digest_lease() + timedelta(minutes=1))
    assert engineer.email in [a for m in smtp_server for a in m["to"]]


@pytest.mark.django_db(transaction=True)
def test_the_worker_runs_the_scan_the_scheduler_enqueued(order, engineer):
    now = moment(date(2026, 10, 12), 6)
    assert enqueue_due(now) == ["gendan.followup.tasks.scan_reminders"]
    assert enqueue_due(now + timedelta(minutes=5)) == []  # not due again yet
    scans = DBTaskResult.objects.filter(task_path="gendan.followup.tasks.scan_reminders")
    assert scans.count() == 1
    call_command("db_worker", batch=True, interval=0, verbosity=0)
    task = scans.get()
    assert task.status == "SUCCESSFUL", task.exception_class_path
    assert Notification.objects.filter(user=engineer, kind="overdue").exists()
    assert enqueue_due(now + timedelta(minutes=16)) == ["gendan.followup.tasks.scan_reminders"]


def test_a_change_enqueues_the_scan_of_its_plan(order, merchandiser, django_capture_on_commit_callbacks):
    from gendan.followup.services import milestone_reschedule, reminders_deferred

    review = Milestone.objects.get(plan__order=order, code="order_review")
    with django_capture_on_commit_callbacks(execute=True):
        milestone_reschedule(milestone=review, by=merchandiser, new_date=date(2026, 10, 13), reason="QC away")
    task = DBTaskResult.objects.get()
    assert task.task_path == "gendan.followup.tasks.scan_wanted_reminders"
    assert Plan.objects.get(pk=order.plan.pk).reminders_wanted_at is not None
    with django_capture_on_commit_callbacks(execute=True):  # one queued task serves the next change too
        milestone_reschedule(milestone=Milestone.objects.get(pk=review.pk), by=merchandiser,
                             new_date=date(2026, 10, 14), reason="QC still away")
    assert DBTaskResult.objects.count() == 1
    Plan.objects.update(reminders_wanted_at=None)
    with django_capture_on_commit_callbacks(execute=True), reminders_deferred():
        milestone_reschedule(milestone=Milestone.objects.get(pk=review.pk), by=merchandiser,
                             new_date=date(2026, 10, 15), reason="QC away all week")
    assert DBTaskResult.objects.count() == 1  # bulk work scans once at its end instead
    assert Plan.objects.get(pk=order.plan.pk).reminders_wanted_at is None


def test_a_departments_orders_at_risk_are_read_plan_by_plan(engineer):
    """The digest of a department owner (no orders of their own) checks each active plan for milestones they
    owe. SQLite keeps no statistics: without an index on the plan alone it read every open milestone each
    time (minutes, at 20,000 orders)."""
    if connection.vendor != "sqlite":
        pytest.skip("PostgreSQL plans from its statistics")
    query = plans_chased_by(engineer).filter(at_risk=True).order_by("-slip_days")[:50]
    plan = query.explain()
    assert "followup_milestone_plan_id" in plan and "followup_mi_status" not in plan, plan


# ---------------------------------------------------------------- reminders are never lost (issue 13)


def reminder_rows():
    return sorted(Notification.objects.values_list("user", "kind", "key", "day", "order", "milestone", "activity"))


def test_a_scan_killed_after_its_first_batch_is_completed_by_the_next(
        order, salesperson, sales_manager, merchandiser, engineer):
    confirmed_order(salesperson=salesperson, manager=sales_manager, merchandiser=merchandiser,
                    confirm_on=date(2026, 10, 9))
    monday = moment(date(2026, 10, 12), 6)
    reminders.scan(now=monday)
    uninterrupted = reminder_rows()
    # the state a worker killed after the first batch of 2 rows leaves behind: the rest was never inserted
    first_batch = Notification.objects.order_by("pk").values_list("pk", flat=True)[:2]
    Notification.objects.exclude(pk__in=list(first_batch)).delete()
    reminders.scan(now=monday + timedelta(minutes=15))  # the next scheduled scan
    assert reminder_rows() == uninterrupted
    # and a scan missed for days still owes every milestone that is overdue by then
    Notification.objects.exclude(pk__in=list(first_batch)).delete()
    reminders.scan(now=monday + timedelta(days=2))
    overdue = Milestone.objects.open().filter(due_date__lt=date(2026, 10, 14)).filter(
        Q(owner__isnull=False) | Q(department=Role.ENGINEERING))  # those somebody is there to hear of
    assert overdue.count() > 2
    assert {(m.pk, f"overdue:{m.pk}:{m.due_date:%Y%m%d}") for m in overdue} <= set(
        Notification.objects.filter(kind="overdue").values_list("milestone", "key"))


@pytest.mark.django_db(transaction=True)
def test_a_plan_confirmed_after_the_morning_scan_is_reminded_of_its_first_steps_at_once(
        client, order, salesperson, sales_manager, merchandiser, engineer):
    from gendan.followup.tests.factories import at
    from gendan.parties.tests.factories import CustomerFactory
    from gendan.sales.services import order_submit
    from gendan.sales.tests.factories import make_order

    day = date(2026, 10, 12)
    reminders.scan(now=moment(day, 6))  # the morning scan, before the new order is confirmed
    with at(day, 10):
        new = make_order(by=salesperson, customer=CustomerFactory(owner=salesperson, merchandiser=merchandiser),
                         order_date=day, confirmed_ex_factory=date(2026, 12, 10), merchandiser=merchandiser)
        order_submit(order=new, by=salesperson)
        client.force_login(sales_manager)
        client.post(reverse("sales:order_transition", args=[new.pk, "confirm"]))
        call_command("db_worker", batch=True, interval=0, verbosity=0)  # what `gendan worker` does next
    scan = DBTaskResult.objects.get(task_path="gendan.followup.tasks.scan_wanted_reminders")
    assert scan.status == "SUCCESSFUL" and scan.return_value["plans"] >= 1
    assert not Plan.objects.filter(reminders_wanted_at__isnull=False).exists()
    soon = Milestone.objects.filter(plan__order=new, due_date__lte=date(2026, 10, 14)).filter(
        Q(owner__isnull=False) | Q(department=Role.ENGINEERING))  # those somebody is there to hear of
    assert "order_review" in [m.code for m in soon]
    told = Notification.objects.filter(milestone__plan__order=new)
    assert {(n.milestone_id, n.kind, n.key) for n in told} == {
        (m.pk, "due_soon", f"due_soon:{m.pk}:{m.due_date:%Y%m%d}") for m in soon}
    assert told.get(milestone__code="order_review").user == merchandiser


@pytest.mark.django_db(transaction=True)
def test_a_task_left_running_by_a_killed_worker_runs_again(order, engineer):
    from django_tasks_db.models import DBTaskResult as Task

    from gendan.core.scheduler import requeue_stale
    from gendan.followup.tasks import scan_reminders

    def killed_while_running(worker: str, minutes_ago: int):
        task = Task.objects.get(pk=scan_reminders.enqueue().id)
        Task.objects.filter(pk=task.pk).update(status="RUNNING", worker_ids=[worker],
                                               started_at=timezone.now() - timedelta(minutes=minutes_ago))
        return task.pk

    own = killed_while_running("this-worker", 1)
    gone = killed_while_running("a-worker-that-is-gone", 31)
    busy = killed_while_running("a-busy-worker", 5)
    # every scheduler round: the task of a worker gone for longer than the timeout goes back on the queue
    assert requeue_stale(worker_id="this-worker") == [str(gone)]
    # a worker that starts again under its name takes back at once what it was running when killed
    call_command("worker", batch=True, interval=0, verbosity=0, worker_id="this-worker", reload=False)
    assert dict(Task.objects.filter(pk__in=[own, gone, busy]).values_list("pk", "status")) == {
        own: "SUCCESSFUL", gone: "SUCCESSFUL", busy: "RUNNING"}
    assert Notification.objects.filter(user=engineer, kind="overdue").exists()


def test_a_scan_reads_only_the_reminders_still_missing(order, salesperson, sales_manager, merchandiser, engineer):
    """The scan skips, in SQL, what an earlier scan created for a milestone's owner (a department's milestones
    nobody owns are left to the unique constraint): its keys must be the ones the rows carry."""
    from gendan.core.workdays import calendar_pinned
    from gendan.followup.selectors import due_soon_limit

    today = date(2026, 11, 5)  # the order is at risk by then, its BOM overdue
    reminders.scan(now=moment(today, 6))
    assert Notification.objects.filter(kind="at_risk").exists()
    assert Notification.objects.filter(kind="overdue", milestone__owner__isnull=False).exists()
    with calendar_pinned() as calendar:
        again = reminders._milestone_reminders(today, due_soon_limit(today, calendar), None)
    assert Milestone.objects.filter(pk__in=[row[5] for row in again], owner__isnull=False).count() == 0
    assert reminders._risk_reminders(None) == []


def test_a_plan_changed_again_during_the_scan_stays_marked_for_the_next(order, salesperson, sales_manager,
                                                                        merchandiser):
    from gendan.followup.tasks import scan_wanted_reminders

    other = confirmed_order(salesperson=salesperson, manager=sales_manager, merchandiser=merchandiser)
    now = timezone.now()
    Plan.objects.filter(pk=order.plan.pk).update(reminders_wanted_at=now - timedelta(seconds=5))
    Plan.objects.filter(pk=other.plan.pk).update(reminders_wanted_at=now + timedelta(minutes=1))  # after the start
    result = scan_wanted_reminders.call()
    assert result["plans"] == 1
    assert dict(Plan.objects.values_list("pk", "reminders_wanted_at")) == {
        order.plan.pk: None, other.plan.pk: now + timedelta(minutes=1)}
