"""The real worker (`gendan worker`, a separate process) killed with SIGKILL at chosen points, restarted, and
compared with a run nobody interrupted (issue 13, finding 7).

A company of open orders with their plans is built in the test database (as `bench.cockpit` builds it),
with the reminder scan on the queue as the scheduler leaves it; every run works on its own copy of that
database (a SQLite file, or a PostgreSQL database restored from pg_dump). The kill points come from
the scan's test hook, GENDAN_FAULT_AT (see gendan/followup/reminders.py), so they fall at the same step
every time: after a notification batch has committed, or right after a digest was claimed and before it
was sent. The restarted worker has the same --worker-id, so it takes back the task it was running.
"""

import os
import signal
import sqlite3
import subprocess
import sys
import time
from datetime import datetime, timedelta
from pathlib import Path
from urllib.parse import quote
from zoneinfo import ZoneInfo

import pytest
from django.db import connection, connections
from django.utils import timezone

pytestmark = pytest.mark.django_db(transaction=True)

PROJECT_DIR = Path(__file__).resolve().parents[3]
ORDERS = 250
BATCHES = 5  # the killed runs insert the notifications in this many batches, to be killed between them
LEASE_SECONDS = 6  # the digest lease in these runs: a restarted worker finds the killed one's claim held


def build_company() -> None:
    import random

    from bench.cockpit import SEED, build_company, build_orders, build_plans
    from gendan.core.models import ScheduledJob
    from gendan.followup.tasks import scan_reminders

    rng = random.Random(SEED)
    today = timezone.localdate()
    _merchandisers, _sales, _manager, customers = build_company(3)
    build_plans(build_orders(ORDERS, customers[:20], today, rng), today, rng)
    scan_reminders.enqueue()
    ScheduledJob.objects.update_or_create(name="gendan.followup.tasks.scan_reminders",
                                          defaults={"last_enqueued_at": timezone.now()})


class Copies:
    """Copies of the test database for the worker processes, removed at the end."""

    def __init__(self, tmp_path: Path):
        self.tmp_path, self.made = tmp_path, []
        self.source = connection.settings_dict.copy()
        self.postgresql = connection.vendor == "postgresql"
        connections.close_all()  # the copies must see everything this test wrote

    def make(self, name: str) -> str:
        """A copy of the database as it is now; returns its DATABASE_URL."""
        if not self.postgresql:
            path = self.tmp_path / f"{name}.sqlite3"
            with sqlite3.connect(self.source["NAME"]) as source, sqlite3.connect(path) as target:
                source.backup(target)
            return f"sqlite:///{path}"
        database = f"{self.source['NAME']}_{name}"[:63]
        # A copy through pg_dump, not CREATE DATABASE … TEMPLATE: the session's live server (other tests) keeps a
        # connection to the test database open, and a template must have none.
        self._admin(f'DROP DATABASE IF EXISTS "{database}" WITH (FORCE)', f'CREATE DATABASE "{database}"')
        dump = subprocess.run(["pg_dump", "--no-owner", "--dbname", self._url(self.source["NAME"])],
                              check=True, capture_output=True).stdout
        subprocess.run(["psql", "--quiet", "--set", "ON_ERROR_STOP=1", "--dbname", self._url(database)],
                       input=dump, check=True, capture_output=True)
        self.made.append(database)
        return self._url(database)

    def query(self, url: str, sql: str) -> list[tuple]:
        if not self.postgresql:
            with sqlite3.connect(url.removeprefix("sqlite:///")) as db:
                return db.execute(sql).fetchall()
        import psycopg

        with psycopg.connect(url) as db:
            return db.execute(sql).fetchall()

    def drop(self) -> None:
        self._admin(*[f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)' for name in self.made])

    def _url(self, database: str) -> str:
        s = self.source
        login = quote(s["USER"]) + (f":{quote(s['PASSWORD'])}" if s.get("PASSWORD") else "")
        return f"postgres://{login}@{s['HOST'] or 'localhost'}:{s['PORT'] or 5432}/{database}"

    def _admin(self, *statements: str) -> None:
        if statements:
            import psycopg

            with psycopg.connect(self._url("postgres"), autocommit=True) as db:
                for statement in statements:
                    db.execute(statement)


def state(copies: Copies, url: str) -> dict:
    """What the worker leaves: the notifications and digests (ids and moments aside), and its tasks."""
    return {
        "notifications": copies.query(url, "SELECT user_id, kind, key, day, order_id, milestone_id, activity_id "
                                           "FROM followup_notification ORDER BY key, user_id"),
        "digests": copies.query(url, "SELECT user_id, day, items, sent_at IS NOT NULL FROM followup_digest "
                                     "ORDER BY user_id, day"),
        "unfinished tasks": copies.query(url, "SELECT task_path, status FROM django_tasks_database_dbtaskresult "
                                              "WHERE status <> 'SUCCESSFUL'"),
    }


def worker_command(url: str, smtp_port: int, *args: str, fault: str = "", batch: int = 2000) -> dict:
    """`gendan worker` on a copy, as production runs it (no test settings), with the test's knobs."""
    env = {**os.environ, "DATABASE_URL": url, "SECRET_KEY": "fault-injection", "GENDAN_DEBUG": "0",
           "GENDAN_DIGEST_HOUR": "0", "GENDAN_SCAN_BATCH": str(batch),
           "GENDAN_DIGEST_LEASE_SECONDS": str(LEASE_SECONDS), "GENDAN_FAULT_AT": fault,
           "EMAIL_HOST": "127.0.0.1", "EMAIL_PORT": str(smtp_port)}
    for name in ("GENDAN_TESTING", "EMAIL_USE_TLS", "EMAIL_HOST_USER", "EMAIL_HOST_PASSWORD"):
        env.pop(name, None)
    args = [sys.executable, "-m", "gendan", "worker", "--worker-id", "fault-test", "--no-startup-delay",
            "--no-reload", "--interval", "0.2", "--verbosity", "0", *args]
    return {"args": args, "cwd": PROJECT_DIR, "env": env, "stdout": subprocess.PIPE, "stderr": subprocess.STDOUT,
            "text": True}


def run_worker(url: str, smtp_port: int, fault: str = "", batch: int = 2000) -> subprocess.CompletedProcess:
    """The worker with --batch: it runs what is queued and exits (or is killed at the fault point)."""
    return subprocess.run(**worker_command(url, smtp_port, "--batch", fault=fault, batch=batch), timeout=120)


def wait_past_midnight() -> None:
    """Every run must see the same day: a test starting in the last three minutes before midnight in
    the company's time zone waits for the new day."""
    now = datetime.now(ZoneInfo("Asia/Shanghai"))
    midnight = (now + timedelta(days=1)).replace(hour=0, minute=0, second=0, microsecond=0)
    if midnight - now < timedelta(minutes=3):
        time.sleep((midnight - now).total_seconds() + 1)


def test_the_worker_killed_at_any_point_ends_as_if_never_interrupted(tmp_path, smtp_server, settings):
    wait_past_midnight()
    build_company()
    port = settings.EMAIL_PORT
    copies = Copies(tmp_path)
    try:
        mails = len(smtp_server)

        def recipients_since(start: int) -> list[str]:
            return sorted(address for mail in smtp_server[start:] for address in mail["to"])

        calm = copies.make("calm")
        process = run_worker(calm, port)
        assert process.returncode == 0, process.stdout
        expected = state(copies, calm)
        expected_mail = recipients_since(mails)
        batch = -(-len(expected["notifications"]) // BATCHES)
        assert batch >= 20 and len(expected["digests"]) >= 4 and not expected["unfinished tasks"]
        assert all(sent for *_, sent in expected["digests"]) and len(expected_mail) == len(set(expected_mail))

        for point in ("notify:1", f"notify:{BATCHES - 1}"):
            url, mails = copies.make(point.replace(":", "")), len(smtp_server)
            killed = run_worker(url, port, fault=point, batch=batch)
            assert killed.returncode == -signal.SIGKILL, killed.stdout
            left = state(copies, url)
            assert 0 < len(left["notifications"]) < len(expected["notifications"])
            assert left["unfinished tasks"] == [("gendan.followup.tasks.scan_reminders", "RUNNING")]
            assert run_worker(url, port).returncode == 0
            assert state(copies, url) == expected, point
            assert recipients_since(mails) == expected_mail, point

        # killed after claiming the third digest, before sending it: the restarted worker sends the others at
        # once and that one when its claim runs out, a few seconds here (two minutes in production)
        url, mails = copies.make("digest3"), len(smtp_server)
        killed = run_worker(url, port, fault="digest:3")
        assert killed.returncode == -signal.SIGKILL, killed.stdout
        assert len(recipients_since(mails)) == 2
        left = state(copies, url)
        assert [sent for *_, sent in left["digests"]].count(False) == len(expected["digests"]) - 2
        assert left["unfinished tasks"] == [("gendan.followup.tasks.scan_reminders", "RUNNING")]
        # not --batch: the digest's second chance is a task queued to run when the claim expires
        restarted, started = subprocess.Popen(**worker_command(url, port)), time.monotonic()
        try:
            while state(copies, url) != expected and time.monotonic() - started < 90:
                time.sleep(0.5)
            took = time.monotonic() - started
        finally:
            restarted.send_signal(signal.SIGTERM)
            restarted.communicate(timeout=30)
        assert state(copies, url) == expected
        assert recipients_since(mails) == expected_mail
        assert took < LEASE_SECONDS + 40  # start-up and the scan included, on a busy machine
    finally:
        copies.drop()
