from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.core.management import call_command
from django.db import connection
from django_tasks_db.models import DBTaskResult

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


def test_a_digest_claimed_by_a_killed_worker_goes_out_once_after_the_timeout(smtp_server, order, engineer):
    morning = moment(date(2026, 10, 12), 7, 30)
    reminders.scan(now=morning - timedelta(hours=2))  # notifications exist
    # a worker claimed the engineer's digest and was killed before sending it
    digest = Digest.objects.create(user=engineer, day=date(2026, 10, 12), claimed_at=morning)
    reminders.scan(now=morning + timedelta(minutes=5))
    assert engineer.email not in [a for m in smtp_server for a in m["to"]]  # its claim still holds
    reminders.scan(now=morning + reminders.CLAIM_TIMEOUT + timedelta(minutes=1))
    reminders.scan(now=morning + reminders.CLAIM_TIMEOUT + timedelta(minutes=20))
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
    reminders.scan(now=morning + reminders.CLAIM_TIMEOUT + timedelta(minutes=1))
    assert engineer.email in [a for m in smtp_server for a in m["to"]]


@pytest.mark.django_db(transaction=True)
def test_the_worker_runs_the_scan_the_scheduler_enqueued(order, engineer):
    now = moment(date(2026, 10, 12), 6)
    assert enqueue_due(now) == ["gendan.followup.tasks.scan_reminders"]
    assert enqueue_due(now + timedelta(minutes=5)) == []  # not due again yet
    assert DBTaskResult.objects.count() == 1
    call_command("db_worker", batch=True, interval=0, verbosity=0)
    task = DBTaskResult.objects.get()
    assert task.status == "SUCCESSFUL", task.exception_class_path
    assert Notification.objects.filter(user=engineer, kind="overdue").exists()
    assert enqueue_due(now + timedelta(minutes=16)) == ["gendan.followup.tasks.scan_reminders"]


def test_a_change_enqueues_the_scan_of_its_plan(order, merchandiser, django_capture_on_commit_callbacks):
    from gendan.followup.services import milestone_reschedule, reminders_deferred

    review = Milestone.objects.get(plan__order=order, code="order_review")
    with django_capture_on_commit_callbacks(execute=True):
        milestone_reschedule(milestone=review, by=merchandiser, new_date=date(2026, 10, 13), reason="QC away")
    task = DBTaskResult.objects.get()
    assert task.task_path == "gendan.followup.tasks.scan_plans" and task.args_kwargs["args"] == [[order.plan.pk]]
    with django_capture_on_commit_callbacks(execute=True), reminders_deferred():
        milestone_reschedule(milestone=Milestone.objects.get(pk=review.pk), by=merchandiser,
                             new_date=date(2026, 10, 14), reason="QC still away")
    assert DBTaskResult.objects.count() == 1  # bulk work scans once at its end instead


def test_a_departments_orders_at_risk_are_read_plan_by_plan(engineer):
    """The digest of a department owner (no orders of their own) checks each active plan for milestones they
    owe. SQLite keeps no statistics: without an index on the plan alone it read every open milestone each
    time (minutes, at 20,000 orders)."""
    if connection.vendor != "sqlite":
        pytest.skip("PostgreSQL plans from its statistics")
    query = plans_chased_by(engineer).filter(at_risk=True).order_by("-slip_days")[:50]
    plan = query.explain()
    assert "followup_milestone_plan_id" in plan and "followup_mi_status" not in plan, plan
