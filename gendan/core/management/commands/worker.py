"""`gendan worker`: the django-tasks database worker, plus the scheduler that enqueues periodic jobs and
puts back on the queue the tasks a killed worker left running."""

import socket
import threading

from django_tasks_db.management.commands.db_worker import Command as DatabaseWorker

from gendan.core.runtime import freeze_startup_objects
from gendan.core.scheduler import requeue_stale, run_forever


class Command(DatabaseWorker):
    help = ("Run background tasks and enqueue the periodic ones (reminder scans) on schedule. Several workers "
            "on one machine each need their own --worker-id.")

    def add_arguments(self, parser):
        super().add_arguments(parser)
        # The same name after a restart, so the worker knows the tasks it left RUNNING when it was killed
        # (django-tasks-db draws a new random one each time).
        parser.set_defaults(worker_id=socket.gethostname()[:64] or "gendan-worker")

    def handle(self, *args, **options):
        freeze_startup_objects()
        requeue_stale(worker_id=options["worker_id"], starting=True)
        if options["batch"]:  # run what is queued, then exit: nothing to schedule
            return super().handle(*args, **options)
        stop = threading.Event()
        scheduler = threading.Thread(target=run_forever, args=(stop, options["worker_id"]), name="gendan-scheduler",
                                     daemon=True)
        scheduler.start()
        try:
            super().handle(*args, **options)
        finally:
            stop.set()
