"""Benchmark of the order pipeline, on a throw-away database it sets up itself.

    python -m bench.order_pipeline --orders 2000 [--chain 200] [--database-url URL] [--repeat 1] [--edits 5]
        [--products 200] [--long-lines 1000] [--profile] [--keep]

Phase 1 creates N orders of 5 lines each and confirms them (order_create, order_submit,
order_confirm: one transaction each, as the UI and API call them); with --repeat n the median
of n runs is reported. For the breakdown, the same number of orders is then confirmed once more without
the follow-up engine's receiver (no time-and-action plans): `spine_only_orders_per_second` — not the
headline, which is the product as it runs. Phase 2 builds one 1,000-line order, confirms it, then opens
it and changes one line the way the browser does: Django's test Client, logged in as the salesperson, GETs the
order page and POSTs the line form to `sales:line_edit`; each save must create a new revision.
The chain phase (`--chain N`, 0 to skip; issue 16) runs N orders of 5 lines through the whole chain, one order
per shipment: create → submit → confirm → deposit received → production → shipment → booking → load plan →
container loaded → CI and PL → shipped → B/L issued and copy sent → balance received → originals released (see
bench/chain.py), with `chain_orders_per_second` and the milliseconds per order of each step.

SQLite (a file in a temp directory) by default. With --database-url postgres://…/db the
benchmark creates a database `gendan_bench` on that server, migrates it and drops it afterwards.
The last output line is JSON: orders, seconds, orders_per_second, chain_orders_per_second, long_order_edit_ms, ….
"""

from __future__ import annotations

import argparse
import cProfile
import io
import json
import os
import pstats
import secrets
import shutil
import statistics
import sys
import tempfile
import time
from contextlib import contextmanager
from datetime import timedelta
from decimal import Decimal
from urllib.parse import urlsplit, urlunsplit

BENCH_DB = "gendan_bench"
WARM_UP_ORDERS = 20
WARM_UP_CHAIN = 3  # the first chain orders load the templates; their PDFs, WeasyPrint's fonts


def say(message: str) -> None:
    print(message, flush=True)


# ---------------------------------------------------------------- throw-away database


@contextmanager
def throwaway_database(url: str | None, keep: bool, name: str = BENCH_DB):
    """Yield (DATABASE_URL, label) of a fresh empty database `name`; remove it afterwards."""
    var_dir = tempfile.mkdtemp(prefix="gendan-bench-")
    os.environ["GENDAN_VAR_DIR"] = var_dir  # media, static and the SQLite file stay out of var/
    try:
        if not url or url.startswith("sqlite"):
            yield f"sqlite:///{var_dir}/bench.sqlite3", "sqlite"
            return
        import psycopg

        parts = urlsplit(url)
        bench_url = urlunsplit(parts._replace(path=f"/{name}"))
        with psycopg.connect(url, autocommit=True) as admin:
            admin.execute(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")
            admin.execute(f"CREATE DATABASE {name}")
        try:
            yield bench_url, "postgresql"
        finally:
            from django.db import connections

            connections.close_all()
            if not keep:
                with psycopg.connect(url, autocommit=True) as admin:
                    admin.execute(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")
    finally:
        if not keep:
            shutil.rmtree(var_dir, ignore_errors=True)


def start_django(database_url: str) -> None:
    os.environ["DATABASE_URL"] = database_url
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "gendan.settings")
    os.environ.setdefault("SECRET_KEY", secrets.token_urlsafe(40))
    os.environ["GENDAN_DEBUG"] = "0"  # DEBUG would log every query and slow everything down
    hosts = os.environ.get("ALLOWED_HOSTS", "127.0.0.1,localhost")
    os.environ["ALLOWED_HOSTS"] = f"{hosts},testserver"  # the test Client's host
    import django

    django.setup()
    from django.core.management import call_command

    started = time.perf_counter()
    call_command("migrate", verbosity=0)
    say(f"migrated in {time.perf_counter() - started:.1f} s")


# ---------------------------------------------------------------- fixtures through the services


def make_company(product_count: int):
    from django.contrib.auth.models import Group

    from gendan.accounts.models import User
    from gendan.accounts.roles import Role
    from gendan.catalog.services import product_create
    from gendan.parties.services import customer_create
    from gendan.sales.models import PaymentTerm

    def user(username: str, role: str) -> User:
        person = User.objects.create_user(username=username, password="bench", full_name=username)
        person.groups.add(Group.objects.get(name=role))
        return User.objects.get(pk=person.pk)

    sales, manager = user("bench-sales", Role.SALES), user("bench-manager", Role.SALES_MANAGER)
    term = PaymentTerm.objects.create(name="T/T 30% deposit, 70% against copy B/L", deposit_percent=30,
                                      balance_condition="against_copy_bl")
    customer = customer_create(
        by=manager, code="BENCH-US", name_en="Bench Housewares Inc.", country="US", currency="USD",
        payment_term=term, incoterm="FOB", incoterm_place="Ningbo", owner=sales,
        contacts=[{"name": "Pat Buyer", "email": "pat@bench.example", "is_primary": True}],
    )
    products = [
        product_create(
            by=manager, code=f"BH-{n:04d}", name_en=f"Stainless hinge {n}", name_zh=f"不锈钢合页{n}",
            hs_code="8302.10.0000", units_per_inner=10, units_per_carton=100, carton_length_cm=Decimal("40"),
            carton_width_cm=Decimal("30"), carton_height_cm=Decimal("25"), net_weight_kg=Decimal("12.5"),
            gross_weight_kg=Decimal("13.2"),
        )
        for n in range(product_count)
    ]
    return sales, manager, customer, products


def lines_for(products, count: int, start: int = 0):
    from gendan.sales.services import LineInput

    return [
        LineInput(product=products[(start + i) % len(products)], quantity=Decimal(100 * (1 + i % 7)),
                  unit_price=Decimal("0.4375") + Decimal(i % 13) / 100)
        for i in range(count)
    ]


# ---------------------------------------------------------------- phase 1: orders per second


def create_and_confirm(n: int, *, sales, manager, customer, products, run: int) -> tuple[float, float]:
    """Returns (wall seconds, CPU seconds of this process) for n orders."""
    from django.utils import timezone

    from gendan.sales.services import order_confirm, order_create, order_submit

    today = timezone.localdate()
    started, cpu_started = time.perf_counter(), time.process_time()
    for i in range(n):
        order = order_create(
            by=sales, customer=customer, lines=lines_for(products, 5, start=i * 5), customer_po=f"PO-{run}-{i}",
            order_date=today, requested_ex_factory=today + timedelta(days=45),
            confirmed_ex_factory=today + timedelta(days=45),
        )
        order_submit(order=order, by=sales)
        order_confirm(order=order, by=manager)
        if (i + 1) % 500 == 0:
            say(f"  run {run}: {i + 1}/{n} orders confirmed, {time.perf_counter() - started:.1f} s")
    return time.perf_counter() - started, time.process_time() - cpu_started


@contextmanager
def plans_switched_off():
    """For the breakdown only: confirm without the follow-up engine's receiver, i.e. the order spine alone."""
    from gendan.followup.receivers import follow_status
    from gendan.sales.signals import order_status_changed

    order_status_changed.disconnect(follow_status)
    try:
        yield
    finally:
        order_status_changed.connect(follow_status)


def queries_per_order(**company) -> int:
    """Statements (BEGIN and COMMIT included) one order of 5 lines costs: create, submit, confirm."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as queries:
        create_and_confirm(1, run=0, **company)
    if os.environ.get("BENCH_SHOW_SQL"):
        for query in queries:
            say("  SQL " + query["sql"][:150])
    return len(queries)


# ---------------------------------------------------------------- phase 2: the long order in the UI


def long_order(*, sales, manager, customer, products, lines: int):
    from django.utils import timezone

    from gendan.sales.models import SalesOrder
    from gendan.sales.services import order_confirm, order_create, order_submit

    today = timezone.localdate()
    started = time.perf_counter()
    order = order_create(
        by=sales, customer=customer, lines=lines_for(products, lines), customer_po="PO-LONG",
        order_date=today, confirmed_ex_factory=today + timedelta(days=60),
    )
    created = time.perf_counter() - started
    order_submit(order=order, by=sales)
    order_confirm(order=order, by=manager)
    say(f"long order {order.number}: {lines} lines created in {created * 1000:.0f} ms, "
        f"confirmed after {(time.perf_counter() - started) * 1000:.0f} ms")
    return SalesOrder.objects.get(pk=order.pk)


def edit_through_ui(client, order, *, round_no: int, htmx: bool = False) -> tuple[float, float]:
    """GET the order page, then POST one changed line; returns (open ms, save ms)."""
    from django.urls import reverse

    from gendan.sales.models import SalesOrder

    started = time.perf_counter()
    page = client.get(reverse("sales:order_detail", args=[order.pk]))
    opened = time.perf_counter() - started
    assert page.status_code == 200, f"order page answered {page.status_code}"

    order = SalesOrder.objects.get(pk=order.pk)
    line = order.lines.get(position=order.lines.count() // 2)
    form = {
        "version": order.version, "product": line.product_id, "quantity": str(line.quantity + 100),
        "unit_price": str(line.unit_price), "unit": line.unit, "customer_item_no": line.customer_item_no,
        "description": line.description, "reason": f"Customer PO amendment {round_no}",
    }
    headers = {"HTTP_HX_REQUEST": "true"} if htmx else {}
    started = time.perf_counter()
    response = client.post(reverse("sales:line_edit", args=[order.pk, line.pk]), form, **headers)
    saved = time.perf_counter() - started
    assert response.status_code in (200, 302), f"line edit answered {response.status_code}"
    after = SalesOrder.objects.get(pk=order.pk)
    assert after.revision == order.revision + 1, (
        f"the save did not create a revision (revision {after.revision}); response: "
        f"{response.content[:500]!r}"
    )
    return opened * 1000, saved * 1000


# ---------------------------------------------------------------- main


def profile(title: str, func, *args, **kwargs):
    profiler = cProfile.Profile()
    result = profiler.runcall(func, *args, **kwargs)
    out = io.StringIO()
    pstats.Stats(profiler, stream=out).sort_stats("cumulative").print_stats(30)
    pstats.Stats(profiler, stream=out).sort_stats("tottime").print_stats(15)
    say(f"---- profile: {title}\n{out.getvalue()}")
    return result


def main(argv: list[str] | None = None) -> dict:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--orders", type=int, default=2000, help="orders of 5 lines per run (default 2000)")
    parser.add_argument("--database-url", help="postgres://… server to create the throw-away database on")
    parser.add_argument("--repeat", type=int, default=1,
                        help="runs of the order phase (default 1: 2,000 orders are not cheap); the median is reported")
    parser.add_argument("--edits", type=int, default=5, help="opens and saves of the long order (median)")
    parser.add_argument("--long-lines", type=int, default=1000, help="lines on the long order")
    parser.add_argument("--products", type=int, default=200, help="products in the catalogue")
    parser.add_argument("--chain", type=int, default=200,
                        help="orders through the whole chain, one per shipment (default 200; 0: no chain phase)")
    parser.add_argument("--profile", action="store_true", help="print cProfile output of the phases")
    parser.add_argument("--keep", action="store_true", help="keep the throw-away database")
    args = parser.parse_args(argv)

    with throwaway_database(args.database_url, args.keep) as (database_url, label):
        say(f"database: {label}")
        start_django(database_url)
        from django.db import connection
        from django.test import Client

        from gendan.core.runtime import freeze_startup_objects

        sales, manager, customer, products = make_company(args.products)
        say(f"company: 1 customer, {len(products)} products")

        company = {"sales": sales, "manager": manager, "customer": customer, "products": products}
        # a server pays once what the first orders of a process pay (templates, compiled queries, the working
        # calendar with its estimated holidays); paid here before the clock starts
        create_and_confirm(WARM_UP_ORDERS, run=0, **company)
        runs, cpu_runs = [], []
        for run in range(1, args.repeat + 1):
            if args.profile and run == 1:
                seconds, cpu = profile("orders", create_and_confirm, args.orders, run=run, **company)
            else:
                seconds, cpu = create_and_confirm(args.orders, run=run, **company)
            runs.append(seconds)
            cpu_runs.append(cpu)
            say(f"run {run}: {args.orders} orders × 5 lines created and confirmed in {seconds:.2f} s "
                f"({args.orders / seconds:.0f} orders/s; {args.orders / cpu:.0f} orders per CPU second of "
                f"this process)")
        seconds, cpu = statistics.median(runs), statistics.median(cpu_runs)
        statements = queries_per_order(**company)
        say(f"one order costs {statements} SQL statements (create + submit + confirm, BEGIN/COMMIT included)")
        with plans_switched_off():
            spine_seconds, _cpu = create_and_confirm(args.orders, run=args.repeat + 1, **company)
            spine_statements = queries_per_order(**company)
        say(f"breakdown: the same {args.orders} orders without creating their plans (the order spine alone): "
            f"{spine_seconds:.2f} s ({args.orders / spine_seconds:.0f} orders/s, {spine_statements} statements "
            f"per order); the plans cost {(seconds - spine_seconds) / args.orders * 1000:.1f} ms per order")

        order = long_order(sales=sales, manager=manager, customer=customer, products=products,
                           lines=args.long_lines)
        client = Client()
        client.force_login(sales)
        cold_open, cold_save = edit_through_ui(client, order, round_no=0)
        say(f"first open {cold_open:.0f} ms, first save {cold_save:.0f} ms (templates and caches warming up)")
        freeze_startup_objects()  # as gendan.wsgi does after start-up: phase 1's leftovers are not a server's
        opens, saves, htmx_saves = [], [], []
        for round_no in range(1, args.edits + 1):
            if args.profile and round_no == 1:
                opened, saved = profile("open + save the long order", edit_through_ui, client, order,
                                        round_no=round_no)
            else:
                opened, saved = edit_through_ui(client, order, round_no=round_no)
            _ignored, htmx_saved = edit_through_ui(client, order, round_no=round_no + 100, htmx=True)
            opens.append(opened)
            saves.append(saved)
            htmx_saves.append(htmx_saved)
            say(f"edit {round_no}: open {opened:.0f} ms, save {saved:.0f} ms, save via htmx {htmx_saved:.0f} ms")

        # last, so that phases 1 and 2 measure what they measured before the chain existed
        chain = whole_chain(args, company) if args.chain > 0 else {}

        result = {
            "database": label,
            "database_version": _version(connection),
            "orders": args.orders,
            "lines_per_order": 5,
            "runs": args.repeat,
            "seconds": round(seconds, 3),
            "orders_per_second": round(args.orders / seconds, 1),
            "run_seconds": [round(s, 3) for s in runs],
            "orders_per_cpu_second": round(args.orders / cpu, 1),
            "statements_per_order": statements,
            "spine_only_orders_per_second": round(args.orders / spine_seconds, 1),
            "spine_only_statements_per_order": spine_statements,
            **chain,
            "long_order_lines": args.long_lines,
            "long_order_open_ms": round(statistics.median(opens), 1),
            "long_order_edit_ms": round(statistics.median(saves), 1),
            "long_order_edit_htmx_ms": round(statistics.median(htmx_saves), 1),
            "long_order_revisions": args.edits * 2 + 1,
            "load_average_1m": round(os.getloadavg()[0], 2),
            "cpus": os.cpu_count(),
        }
    print(json.dumps(result), flush=True)
    return result


def whole_chain(args, company: dict) -> dict:
    """The chain phase (bench/chain.py): warm-up orders, then `args.chain` orders timed (profiled with --profile)."""
    from bench.chain import (
        CHAIN_TIME_LIMIT,
        CHAIN_TYPES,
        STEPS,
        chain_company,
        run_chain,
        statements_per_chain_order,
    )
    from gendan.core.runtime import freeze_startup_objects
    from gendan.shipping.choices import BLStatus
    from gendan.shipping.models import BillOfLading

    people = chain_company(manager=company["manager"], customer=company["customer"], products=company["products"])
    started = time.perf_counter()
    run_chain(WARM_UP_CHAIN, people=people, run=0)
    worker_renders()  # the warm-up's PDFs: WeasyPrint's fonts loaded
    say(f"chain warm-up: {WARM_UP_CHAIN} orders in {time.perf_counter() - started:.1f} s (fonts, templates)")
    freeze_startup_objects()  # as the web and worker processes do once started
    released_before = BillOfLading.objects.filter(status=BLStatus.RELEASED).count()
    if args.profile:
        seconds, cpu, steps = profile("whole chain", run_chain, args.chain, people=people, run=1)
    else:
        seconds, cpu, steps = run_chain(args.chain, people=people, run=1)
    released = BillOfLading.objects.filter(status=BLStatus.RELEASED).count() - released_before
    assert released == args.chain, f"{released} of {args.chain} chain orders reached the originals' release"
    render_seconds, rendered = worker_renders()
    assert rendered == 2 * args.chain, f"{rendered} documents rendered for {args.chain} chain orders"
    statements, step_statements, statement_kinds = statements_per_chain_order(people=people)
    per_step = {name: round(steps.seconds[name] / args.chain * 1000, 2) for name in STEPS}
    say(f"chain: {args.chain} orders from creation to originals released in {seconds:.2f} s "
        f"({args.chain / seconds:.2f} orders/s; {args.chain / cpu:.2f} per CPU second of this process; "
        f"{statements} SQL statements per order: {statement_kinds})")
    for name, ms in per_step.items():
        say(f"  {name:<20} {ms:9.1f} ms per order, {step_statements[name]:4d} statements")
    say(f"the worker's renders of the chain's CI and PL: {rendered} PDFs in {render_seconds:.2f} s "
        f"({render_seconds / args.chain * 1000:.0f} ms per order); chain and renders on one process: "
        f"{args.chain / (seconds + render_seconds):.2f} orders/s")
    return {
        "chain_orders": args.chain,
        "chain_seconds": round(seconds, 3),
        "chain_orders_per_second": round(args.chain / seconds, 2),
        "chain_orders_per_cpu_second": round(args.chain / cpu, 2),
        "chain_statements_per_order": statements,
        "chain_statement_kinds_per_order": statement_kinds,
        "chain_step_ms_per_order": per_step,
        "chain_step_statements_per_order": step_statements,
        "chain_load_plan": {"container_types": CHAIN_TYPES, "time_limit_s": CHAIN_TIME_LIMIT},
        "chain_worker_render_ms_per_order": round(render_seconds / args.chain * 1000, 1),
        "chain_with_renders_orders_per_second": round(args.chain / (seconds + render_seconds), 2),
    }


def worker_renders() -> tuple[float, int]:
    """The worker's part: the PDFs of the documents the chain issued, rendered one task at a time as `gendan
    worker` runs them; returns (seconds, documents rendered)."""
    from gendan.documents.models import Document
    from gendan.documents.tasks import render_document

    waiting = list(Document.objects.filter(pdf="").values_list("pk", flat=True))
    started = time.perf_counter()
    for pk in waiting:
        render_document.call(pk)
    return time.perf_counter() - started, len(waiting)


def _version(connection) -> str:
    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            cursor.execute("select sqlite_version()")
        else:
            cursor.execute("show server_version")
        return cursor.fetchone()[0]


if __name__ == "__main__":
    sys.exit(main() and 0)
