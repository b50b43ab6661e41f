"""Periodic jobs for `gendan worker`: a small loop beside the django-tasks worker that puts each job
listed in settings.GENDAN_PERIODIC_TASKS on the task queue when its interval has passed."""

from __future__ import annotations

import logging
import threading
from datetime import datetime, timedelta

from django.conf import settings
from django.db import close_old_connections
from django.db.models import Q
from django.utils import timezone
from django.utils.module_loading import import_string

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


def run_forever(stop: threading.Event, every_seconds: float = 30) -> None:
    while not stop.is_set():
        try:
            for name in enqueue_due():
                logger.info("enqueued %s", name)
        except Exception:  # keep the loop alive; the next round retries
            logger.exception("scheduler round failed")
        finally:
            close_old_connections()
        stop.wait(every_seconds)
