"""Periodic jobs and stale tasks for `gendan worker`: a small loop beside the django-tasks worker that puts
each job listed in settings.GENDAN_PERIODIC_TASKS on the task queue when its interval has passed, and puts
back on the queue the tasks a killed worker left RUNNING (every task must be safe to run again)."""

from __future__ import annotations

import logging
import threading
from datetime import datetime, timedelta

from django.conf import settings
from django.db import close_old_connections
from django.db.models import Q
from django.utils import timezone
from django.utils.module_loading import import_string
from django_tasks import TaskResultStatus
from django_tasks_db.models import DBTaskResult

from gendan.core.models import ScheduledJob

logger = logging.getLogger("gendan.scheduler")


def enqueue_due(now: datetime | None = None) -> list[str]:
    """Enqueue every periodic job that is due; returns their names."""
    now = now or timezone.now()
    enqueued = []
    for path, minutes in settings.GENDAN_PERIODIC_TASKS:
        ScheduledJob.objects.get_or_create(name=path)
        won = ScheduledJob.objects.filter(name=path).filter(
            Q(last_enqueued_at__isnull=True) | Q(last_enqueued_at__lte=now - timedelta(minutes=minutes))
        ).update(last_enqueued_at=now)
        if won:
            import_string(path).enqueue()
            enqueued.append(path)
    return enqueued


def requeue_stale(*, worker_id: str, starting: bool = False, now: datetime | None = None) -> list[str]:
    """Put back on the queue the tasks left RUNNING by a worker that is gone; returns their ids.

    A worker that starts runs nothing yet, so whatever is RUNNING under its own id was left by its previous
    life (killed, or the machine restarted): back to the queue at once. A task of another worker is taken
    back only GENDAN_TASK_TIMEOUT_MINUTES after it started, since that worker may still be running it. The
    update holds only while the row is as read, so two workers never both take one back."""
    now = now or timezone.now()
    timeout = timedelta(minutes=settings.GENDAN_TASK_TIMEOUT_MINUTES)
    requeued = []
    for task in DBTaskResult.objects.filter(status=TaskResultStatus.RUNNING).only("pk", "started_at", "worker_ids"):
        mine = bool(task.worker_ids) and task.worker_ids[-1] == worker_id
        if (mine and starting) or (not mine and task.started_at and task.started_at < now - timeout):
            if DBTaskResult.objects.filter(pk=task.pk, status=TaskResultStatus.RUNNING,
                                           started_at=task.started_at).update(status=TaskResultStatus.READY):
                logger.warning("task %s left running by worker %s goes back on the queue", task.pk,
                               task.worker_ids[-1] if task.worker_ids else "?")
                requeued.append(str(task.pk))
    return requeued


def run_forever(stop: threading.Event, worker_id: str, every_seconds: float = 30) -> None:
    while not stop.is_set():
        try:
            requeue_stale(worker_id=worker_id)
            for name in enqueue_due():
                logger.info("enqueued %s", name)
        except Exception:  # keep the loop alive; the next round retries
            logger.exception("scheduler round failed")
        finally:
            close_old_connections()
        stop.wait(every_seconds)
