"""Benchmark of the follow-up engine at scale, on a throw-away database it sets up itself.

    python -m bench.cockpit [--orders 100000] [--database-url URL] [--merchandisers 40] [--samples 40] [--keep]

Builds N open orders (confirmed, in production or ready to ship) with their time-and-action plans from
the default template — about 22 of its 25 steps apply to each, scheduled by the real scheduler on the
working-day calendar, the past ones done except some of the last two weeks' (7 %), then re-projected to
today — and bulk-inserts them (building the data is not what is measured); on PostgreSQL it then runs
VACUUM ANALYZE, as autovacuum would after such a load. Then measures:

- the cockpit (`cockpit_for`, every list and count the page shows) for a merchandiser and for a manager;
- re-planning one order (`plan_replan`, what runs after every change), in its own transaction;
- the same cockpit, and an order's page with its plan, as rendered HTTP responses (test client, templates
  and middleware included), with the cockpit's HTML size;
- the daily reminder scan: the morning after (re-projection of the plans whose open work fell behind,
  notifications, the digests), after a first scan has caught up.

SQLite by default; with --database-url postgres://… a database `gendan_bench_cockpit` is created on that
server and dropped afterwards. The last output line is JSON: orders, milestones, cockpit_p50_ms,
cockpit_p95_ms, replan_one_order_ms, daily_scan_s, cockpit_http_p95_ms, order_page_http_p95_ms,
cockpit_html_kb, ….
"""

from __future__ import annotations

import argparse
import json
import random
import statistics
import time
from datetime import datetime, timedelta

from bench.order_pipeline import say, start_django, throwaway_database

SEED = 20261124
BATCH = 5000
RECENT_DAYS = 14


def build_company(merchandiser_count: int):
    from django.contrib.auth.models import Group

    from gendan.accounts.models import User
    from gendan.accounts.roles import Role
    from gendan.followup.models import DepartmentAssignee
    from gendan.parties.models import Customer

    groups = {g.name: g for g in Group.objects.all()}

    def people(prefix: str, role: str, count: int) -> list:
        made = User.objects.bulk_create(
            [User(username=f"{prefix}{n:03d}", full_name=f"{prefix} {n}", email=f"{prefix}{n}@bench.example")
             for n in range(count)])
        made = list(User.objects.filter(username__startswith=prefix).order_by("username"))
        groups[role].user_set.add(*made)
        return made

    merchandisers = people("merch", Role.MERCHANDISER, merchandiser_count)
    sales = people("sales", Role.SALES, max(2, merchandiser_count // 2))
    manager = people("manager", Role.SALES_MANAGER, 1)[0]
    for role in (Role.ENGINEERING, Role.PURCHASING, Role.PRODUCTION, Role.QC, Role.WAREHOUSE, Role.FINANCE):
        DepartmentAssignee.objects.create(department=role, user=people(role[:5], role, 1)[0])
    customers = Customer.objects.bulk_create([
        Customer(code=f"BC{n:04d}", name_en=f"Bench Customer {n}", name_zh=f"客户{n}", country="US", currency="USD",
                 incoterm="FOB", incoterm_place="Ningbo", owner=sales[n % len(sales)],
                 merchandiser=merchandisers[n % len(merchandisers)])
        for n in range(400)
    ])
    return merchandisers, sales, manager, customers


def build_orders(count: int, customers, today, rng):
    from gendan.sales.choices import OrderStatus
    from gendan.sales.models import SalesOrder

    states = [OrderStatus.CONFIRMED, OrderStatus.IN_PRODUCTION, OrderStatus.IN_PRODUCTION, OrderStatus.READY_TO_SHIP]
    orders = []
    for n in range(count):
        customer = customers[n % len(customers)]
        ordered = today - timedelta(days=rng.randint(1, 75))
        orders.append(SalesOrder(
            number=f"SO-B-{n:07d}", status=rng.choice(states), customer=customer, order_date=ordered,
            confirmed_ex_factory=ordered + timedelta(days=rng.randint(35, 70)), incoterm="FOB",
            incoterm_place="Ningbo", deposit_percent=30, currency="USD", salesperson=customer.owner,
            merchandiser=customer.merchandiser, needs_samples=rng.random() < 0.3,
            needs_commodity_inspection=rng.random() < 0.2, needs_certificate_of_origin=rng.random() < 0.3,
            total_amount=10000, created_by=customer.owner,
        ))
    for start in range(0, count, BATCH):
        SalesOrder.objects.bulk_create(orders[start:start + BATCH])
    return list(SalesOrder.objects.select_related("salesperson", "merchandiser").order_by("pk"))


def build_plans(orders, today, rng) -> int:
    """Plans scheduled by the real scheduler: confirmed the day after the order, past work mostly done."""
    from gendan.core.workdays import WorkCalendar
    from gendan.followup.choices import MilestoneStatus
    from gendan.followup.models import DepartmentAssignee, Milestone, Plan
    from gendan.followup.scheduling import PlanContext, Scheduler
    from gendan.followup.services import _milestone_from, default_template, step_applies

    calendar, template = WorkCalendar.load(), default_template()
    steps = list(template.steps.all())
    departments = dict(DepartmentAssignee.objects.values_list("department", "user_id"))
    plans, milestone_sets = [], []
    for order in orders:
        plan = Plan(order=order, merchandiser_id=order.merchandiser_id, salesperson_id=order.salesperson_id,
                    template=template, confirmed_on=order.order_date + timedelta(days=1),
                    ex_factory=order.confirmed_ex_factory, port_days=3, transit_days=30)
        owners = {**departments, "merchandiser": order.merchandiser_id, "sales": order.salesperson_id,
                  "chaser": order.merchandiser_id}
        milestones = [_milestone_from(s, plan, owners) for s in steps if step_applies(s, order)]
        context = PlanContext(confirmed_on=plan.confirmed_on, ex_factory=plan.ex_factory)
        scheduler = Scheduler(context, milestones, calendar, plan.confirmed_on)
        scheduler.run()
        for m in milestones:
            m.baseline_date = m.due_date
            recent = m.due_date and (today - m.due_date).days <= RECENT_DAYS  # what slips is recent work
            if m.due_date and m.due_date < today and not m.is_ex_factory and (not recent or rng.random() < 0.93):
                m.status = MilestoneStatus.DONE
                m.actual_date = min(m.due_date + timedelta(days=rng.choice([-1, 0, 0, 0, 1, 2])), today)
        outcome = Scheduler(context, milestones, calendar, today).run()
        plan.projected_ex_factory, plan.slip_days, plan.at_risk = (
            outcome.projected_ex_factory, outcome.slip_days, outcome.at_risk)
        plans.append(plan)
        milestone_sets.append(milestones)
    for start in range(0, len(plans), BATCH):
        Plan.objects.bulk_create(plans[start:start + BATCH])
    rows = [m for plan, ms in zip(plans, milestone_sets, strict=True) for m in ms if setattr(m, "plan", plan) or True]
    for start in range(0, len(rows), BATCH * 2):
        Milestone.objects.bulk_create(rows[start:start + BATCH * 2])
    return len(rows)


def timed_ms(action, samples: int) -> list[float]:
    for _ in range(3):
        action()  # warm-up: connections, caches, compiled queries
    times = []
    for _ in range(samples):
        started = time.perf_counter()
        action()
        times.append((time.perf_counter() - started) * 1000)
    return times


def p95(values: list[float]) -> float:
    return statistics.quantiles(values, n=20)[-1] if len(values) >= 2 else values[0]


def measure(merchandisers, manager, today, samples: int, rng) -> dict:
    from django.db import connection, transaction
    from django.db.models import Count

    from gendan.followup import reminders
    from gendan.followup.models import Plan
    from gendan.followup.replanning import plan_replan
    from gendan.followup.selectors import cockpit_for

    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            # what autovacuum does after a load like this: statistics, and the visibility map that lets
            # the capped counts read the index alone
            cursor.execute("VACUUM ANALYZE")
    loads = dict(Plan.objects.values_list("order__merchandiser").annotate(n=Count("pk")))
    merchandiser = max(merchandisers, key=lambda u: loads.get(u.pk, 0))

    def full(user):
        cockpit = cockpit_for(user, today)
        return cockpit.counts, [len(rows) for _label, rows in cockpit.waiting]

    merch_ms = timed_ms(lambda: full(merchandiser), samples)
    manager_ms = timed_ms(lambda: full(manager), samples)
    say(f"cockpit, merchandiser with {loads.get(merchandiser.pk, 0)} active orders: "
        f"p50 {statistics.median(merch_ms):.1f} ms, p95 {p95(merch_ms):.1f} ms")
    say(f"cockpit, manager (every order): p50 {statistics.median(manager_ms):.1f} ms, p95 {p95(manager_ms):.1f} ms")

    http = measure_http(merchandiser, manager, samples, rng)

    plan_ids = list(Plan.objects.values_list("pk", flat=True))
    picks = [rng.choice(plan_ids) for _ in range(samples)]

    def replan_one():
        with transaction.atomic():
            plan_replan(Plan.objects.select_related("order").get(pk=picks.pop() if picks else plan_ids[0]),
                        today=today)

    replan_ms = timed_ms(replan_one, max(1, samples - 3))  # its warm-up takes three of the picks
    say(f"re-plan one order: median {statistics.median(replan_ms):.1f} ms, p95 {p95(replan_ms):.1f} ms")

    morning = datetime.combine(today, datetime.min.time()).replace(hour=7, minute=30)
    from django.utils import timezone

    morning = timezone.make_aware(morning)
    started = time.perf_counter()
    first = reminders.scan(now=morning)
    first_s = time.perf_counter() - started
    say(f"first scan (catching up): {first_s:.1f} s, {first.replanned} plans re-projected, "
        f"{first.notifications} notifications, {first.digests_sent} digests")
    started = time.perf_counter()
    daily = reminders.scan(now=morning + timedelta(days=1))
    daily_s = time.perf_counter() - started
    say(f"daily scan, the morning after: {daily_s:.1f} s, {daily.replanned} plans re-projected, "
        f"{daily.notifications} notifications, {daily.digests_sent} digests; seconds by phase {daily.seconds}")
    combined = merch_ms + manager_ms
    return {
        "cockpit_p50_ms": round(statistics.median(combined), 1), "cockpit_p95_ms": round(p95(combined), 1),
        "cockpit_merchandiser_p95_ms": round(p95(merch_ms), 1), "cockpit_manager_p95_ms": round(p95(manager_ms), 1),
        "replan_one_order_ms": round(statistics.median(replan_ms), 1),
        "daily_scan_s": round(daily_s, 1), "first_scan_s": round(first_s, 1),
        "daily_scan_replanned": daily.replanned, **http,
    }


def measure_http(merchandiser, manager, samples: int, rng) -> dict:
    """The cockpit and the order page as the browser gets them: the view, its templates and middleware, through
    Django's test client (no network). The order page counts twice: the page, then the plan panel it loads."""
    from django.test import Client

    from gendan.followup.models import Plan

    def client_for(user) -> Client:
        client = Client()
        client.force_login(user)
        return client

    sizes = {}

    def cockpit(client, who):
        response = client.get("/")
        assert response.status_code == 200, f"cockpit answered {response.status_code}"
        sizes[who] = len(response.content)

    cockpit_ms = []
    for who, user in (("merchandiser", merchandiser), ("manager", manager)):
        client = client_for(user)
        cockpit_ms += timed_ms(lambda client=client, who=who: cockpit(client, who), samples)
    orders = list(Plan.objects.filter(merchandiser=merchandiser, status="active").values_list("order_id", flat=True))
    picks = [rng.choice(orders) for _ in range(samples + 3)]
    client = client_for(merchandiser)

    def order_page():
        pk = picks.pop()
        for url in (f"/orders/{pk}/", f"/followup/orders/{pk}/plan/"):
            response = client.get(url)
            assert response.status_code == 200, f"{url} answered {response.status_code}"

    order_ms = timed_ms(order_page, samples)
    result = {"cockpit_http_p95_ms": round(p95(cockpit_ms), 1), "order_page_http_p95_ms": round(p95(order_ms), 1),
              "cockpit_html_kb": round(max(sizes.values()) / 1024, 1)}
    say(f"over HTTP: cockpit p50 {statistics.median(cockpit_ms):.1f} / p95 {result['cockpit_http_p95_ms']} ms "
        f"(HTML: merchandiser {sizes['merchandiser'] / 1024:.0f} KB, manager {sizes['manager'] / 1024:.0f} KB); "
        f"order page + plan p50 {statistics.median(order_ms):.1f} / p95 {result['order_page_http_p95_ms']} ms")
    return result


def run(args) -> dict:
    from django.conf import settings
    from django.utils import timezone

    from gendan.core.runtime import freeze_startup_objects
    from gendan.followup.models import Milestone

    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"  # digests are built, not mailed
    rng = random.Random(SEED)
    today = timezone.localdate()
    started = time.perf_counter()
    merchandisers, _sales, manager, customers = build_company(args.merchandisers)
    orders = build_orders(args.orders, customers, today, rng)
    order_count, milestone_count = len(orders), build_plans(orders, today, rng)
    say(f"built {order_count} orders with {milestone_count} milestones in {time.perf_counter() - started:.0f} s "
        f"({Milestone.objects.filter(status='open').count()} open)")
    del orders, customers  # a server process holds none of what built the data
    freeze_startup_objects()  # as gendan.wsgi and `gendan worker` do after start-up
    return {"orders": order_count, "milestones": milestone_count,
            **measure(merchandisers, manager, today, args.samples, rng)}


def remeasure(args) -> dict:
    from django.utils import timezone

    from gendan.accounts.models import User
    from gendan.core.runtime import freeze_startup_objects
    from gendan.followup.models import Milestone, Notification

    Notification.objects.all().delete()  # the scans start from scratch, as on the first run
    freeze_startup_objects()
    merchandisers = list(User.objects.filter(username__startswith="merch"))
    manager = User.objects.get(username="manager000")
    return {"orders": Milestone.objects.values("plan").distinct().count(), "milestones": Milestone.objects.count(),
            # a kept database was scanned up to tomorrow, a reused one further: measure from after that
            **measure(merchandisers, manager, timezone.localdate() + timedelta(days=args.reuse_day), args.samples,
                      random.Random(SEED))}


def main(argv: list[str] | None = None) -> dict:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--orders", type=int, default=100_000, help="open orders with plans (default 100000)")
    parser.add_argument("--database-url", help="postgres://… server to create the throw-away database on")
    parser.add_argument("--merchandisers", type=int, default=40, help="merchandisers sharing the orders")
    parser.add_argument("--samples", type=int, default=40, choices=range(1, 10_001), metavar="1..10000",
                        help="timed runs per measurement")
    parser.add_argument("--keep", action="store_true", help="keep the throw-away database")
    parser.add_argument("--reuse", metavar="URL",
                        help="measure on a database a --keep run left (migrated first; nothing built)")
    parser.add_argument("--reuse-day", type=int, default=1,
                        help="with --reuse: days after today to measure at (after the scans already run)")
    args = parser.parse_args(argv)
    if args.reuse:
        start_django(args.reuse)
        result = {"database": "reused", **remeasure(args)}
        print(json.dumps(result), flush=True)
        return result
    with throwaway_database(args.database_url, args.keep, name="gendan_bench_cockpit") as (url, label):
        start_django(url)
        say(f"database: {label}")
        result = {"database": label, **run(args)}
    print(json.dumps(result), flush=True)
    return result


if __name__ == "__main__":
    main()
