"""`gendan worker`: the django-tasks database worker, plus the scheduler that enqueues periodic jobs."""

import threading

from django_tasks_db.management.commands.db_worker import Command as DatabaseWorker

from gendan.core.runtime import freeze_startup_objects
from gendan.core.scheduler import run_forever


class Command(DatabaseWorker):
    help = "Run background tasks and enqueue the periodic ones (reminder scans) on schedule."

    def handle(self, *args, **options):
        freeze_startup_objects()
        stop = threading.Event()
        scheduler = threading.Thread(target=run_forever, args=(stop,), name="gendan-scheduler", daemon=True)
        scheduler.start()
        try:
            super().handle(*args, **options)
        finally:
            stop.set()
