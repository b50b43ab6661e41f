"""Benchmark of money at scale, on a throw-away database it sets up itself.

    python -m bench.receivables [--orders 100000] [--receipts 300000] [--database-url URL] [--samples 40] [--keep]

Builds N confirmed orders of 400 customers (USD 10,000 each, 30 % deposit), their payment schedules (the deposit
due a week after confirmation; the balance due 30 days after a B/L date for the orders already shipped, not dated
for the others) and about R confirmed receipts allocated to them (deposits paid in one remittance, balances in
several, some left open) — bulk-inserted, then (PostgreSQL) VACUUM ANALYZE. Then measures:

- the receivables aging of the whole company as of today (`aging_by_customer`: every schedule line less the money
  that had arrived, in buckets per customer and currency);
- recording, allocating and confirming one receipt through the services (three transactions, as finance does it
  on the page), on an open line of a random order; beside it, how long one ORM read by primary key takes on the
  machine today (`orm_get_ms`), as a yardstick for comparing sittings.

The orders have no time-and-action plans here (confirming a receipt then completes no milestone): the money
side alone is measured. SQLite by default; with --database-url postgres://… a database
`gendan_bench_receivables` is created on that server and dropped afterwards. The last output line is JSON:
orders, receipts, aging_s, receipt_ms_p95, ….
"""

from __future__ import annotations

import argparse
import json
import random
import statistics
import time
from datetime import timedelta
from decimal import Decimal

from bench.cockpit import BATCH, build_company, build_orders, p95, timed_ms
from bench.order_pipeline import say, start_django, throwaway_database

SEED = 20261130


def _moment(day):
    from datetime import datetime, time

    from django.utils import timezone

    return timezone.make_aware(datetime.combine(day, time(15)))


def build_money(orders, today, receipt_target: int, rng) -> int:
    from gendan.accounts.models import User
    from gendan.finance.choices import DueAfter, ReceiptStatus, ScheduleKind
    from gendan.finance.models import Allocation, BankAccount, Receipt, ScheduleLine

    finance = User.objects.get(username__startswith="finan")
    account = BankAccount.objects.create(name="BOC USD", beneficiary="Bench", bank_name="BOC", account_no="1",
                                         currency="USD")
    lines = []
    for order in orders:
        confirmed = order.order_date + timedelta(days=1)
        shipped = rng.random() < 0.6
        bl_date = confirmed + timedelta(days=rng.randint(20, 60)) if shipped else None
        lines.append(ScheduleLine(order=order, kind=ScheduleKind.DEPOSIT, amount=Decimal(3000), currency="USD",
                                  due_after=DueAfter.CONFIRMATION, due_days=7, due_from=confirmed,
                                  due_date=confirmed + timedelta(days=7)))
        lines.append(ScheduleLine(order=order, kind=ScheduleKind.BALANCE, amount=Decimal(7000), currency="USD",
                                  due_after=DueAfter.BL_DATE, due_days=30, due_from=bl_date,
                                  due_date=bl_date + timedelta(days=30) if bl_date else None))
    for start in range(0, len(lines), BATCH * 2):
        ScheduleLine.objects.bulk_create(lines[start:start + BATCH * 2])
    lines = list(ScheduleLine.objects.select_related("order").order_by("pk"))
    for line in lines:  # their history, as confirming the orders wrote it: what statements read
        line._history_date = _moment(line.order.order_date + timedelta(days=1))
    ScheduleLine.history.bulk_history_create(lines, batch_size=BATCH * 2, default_user=finance)
    # deposits: one remittance each for 95 %; balances: three for most, one partial for some, none for the rest
    payments = []
    for line in lines:
        if line.kind == ScheduleKind.DEPOSIT and rng.random() < 0.95:
            payments.append((line, [Decimal(3000)]))
        elif line.kind == ScheduleKind.BALANCE:
            share = rng.random()
            parts = [Decimal(2000), Decimal(2000), Decimal(3000)] if share < 0.68 else [Decimal(2500)] \
                if share < 0.85 else []
            if parts:
                payments.append((line, parts))
    receipts, allocations, n = [], [], 0
    for line, parts in payments:
        for amount in parts:
            n += 1
            day = min(today, (line.due_date or line.order.order_date + timedelta(days=40))
                      - timedelta(days=rng.randint(-20, 5)))
            receipts.append(Receipt(number=f"RC-B-{n:07d}", customer_id=line.order.customer_id, received_on=day,
                                    bank_account=account, currency="USD", amount=amount, bank_charges=Decimal(20),
                                    rate_to_cny=Decimal("7.1"), status=ReceiptStatus.CONFIRMED, recorded_by=finance,
                                    confirmed_by=finance))
            allocations.append((line, amount))
            if n >= receipt_target:
                break
        if n >= receipt_target:
            break
    for start in range(0, len(receipts), BATCH):
        Receipt.objects.bulk_create(receipts[start:start + BATCH])
    saved = list(Receipt.objects.order_by("pk"))
    for receipt in saved:
        receipt._history_date = _moment(receipt.received_on)
    Receipt.history.bulk_history_create(saved, batch_size=BATCH, default_user=finance)
    saved = [receipt.pk for receipt in saved]
    rows = [Allocation(receipt_id=pk, line=line, amount=amount, created_by=finance)
            for pk, (line, amount) in zip(saved, allocations, strict=True)]
    for start in range(0, len(rows), BATCH * 2):
        Allocation.objects.bulk_create(rows[start:start + BATCH * 2])
    return len(receipts)


def measure(today, samples: int, rng) -> dict:
    from django.db import connection
    from django.utils import timezone

    from gendan.accounts.models import User
    from gendan.finance.models import BankAccount, ScheduleLine
    from gendan.finance.selectors import aging_by_customer
    from gendan.finance.services import receipt_allocate, receipt_confirm, receipt_record

    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("VACUUM ANALYZE")
    rows = []
    aging = timed_ms(lambda: rows.append(aging_by_customer(timezone.localdate())), 5)
    outstanding = sum((row["total"] for row in rows[-1]), Decimal(0))
    say(f"aging of the whole company: median {statistics.median(aging):.0f} ms, worst {max(aging):.0f} ms "
        f"({len(rows[-1])} customer rows, USD {outstanding:,.2f} outstanding)")
    finance = User.objects.get(username__startswith="finan")
    account = BankAccount.objects.get()
    open_lines = list(ScheduleLine.objects.filter(allocations__isnull=True).select_related("order")[:samples + 5])
    picks = iter(rng.sample(open_lines, len(open_lines)))

    def one_receipt():
        line = next(picks)
        receipt = receipt_record(by=finance, customer=line.order.customer, received_on=today, bank_account=account,
                                 currency="USD", amount=Decimal(1000), rate_to_cny=Decimal("7.1"))
        receipt_allocate(receipt=receipt, by=finance, version=receipt.version, allocations=[(line, Decimal(1000))])
        receipt_confirm(receipt=receipt, by=finance, version=receipt.version)

    receipt_ms = timed_ms(one_receipt, samples)
    reference = timed_ms(lambda: BankAccount.objects.get(pk=account.pk), 200)
    say(f"record + allocate + confirm one receipt: median {statistics.median(receipt_ms):.1f} ms, "
        f"p95 {p95(receipt_ms):.1f} ms (the machine today: one ORM read by key takes "
        f"{statistics.median(reference):.2f} ms)")
    statement_ms, entries = measure_statement(today, rng)
    return {"aging_s": round(max(aging) / 1000, 3), "aging_median_s": round(statistics.median(aging) / 1000, 3),
            "receipt_ms_p95": round(p95(receipt_ms), 1), "receipt_ms_median": round(statistics.median(receipt_ms), 1),
            "orm_get_ms": round(statistics.median(reference), 3),
            "statement_ms": round(statistics.median(statement_ms), 1),
            "statement_ms_worst": round(max(statement_ms), 1), "statement_entries": entries}


def measure_statement(today, rng) -> tuple[list[float], int]:
    """One customer's statement for last month, as of its last day: the figures (history read, ledger built),
    not the PDF, which `bench.documents` times."""
    from gendan.finance.statements import statement_of
    from gendan.parties.models import Customer

    customers = list(Customer.objects.order_by("pk"))
    last_month_end = today.replace(day=1) - timedelta(days=1)
    sizes = []

    def one():
        statement = statement_of(rng.choice(customers), "USD", last_month_end.replace(day=1), last_month_end)
        sizes.append(len(statement.entries))

    times = timed_ms(one, 20)
    say(f"one customer's statement for last month: median {statistics.median(times):.1f} ms, "
        f"worst {max(times):.1f} ms ({statistics.median(sizes):.0f} entries in the month)")
    return times, int(statistics.median(sizes))


def main(argv: list[str] | None = None) -> dict:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--orders", type=int, default=100_000)
    parser.add_argument("--receipts", type=int, default=300_000)
    parser.add_argument("--database-url", help="postgres://… server to create the throw-away database on")
    parser.add_argument("--samples", type=int, default=40, choices=range(1, 1001), metavar="1..1000")
    parser.add_argument("--keep", action="store_true", help="keep the throw-away database")
    args = parser.parse_args(argv)
    with throwaway_database(args.database_url, args.keep, name="gendan_bench_receivables") as (url, label):
        start_django(url)
        from django.utils import timezone

        rng, today, started = random.Random(SEED), timezone.localdate(), time.perf_counter()
        _merchandisers, _sales, _manager, customers = build_company(40)
        orders = build_orders(args.orders, customers, today, rng)
        receipts = build_money(orders, today, args.receipts, rng)
        say(f"built {len(orders)} orders, {2 * len(orders)} schedule lines and {receipts} receipts in "
            f"{time.perf_counter() - started:.0f} s")
        del orders
        result = {"database": label, "orders": args.orders, "receipts": receipts, **measure(today, args.samples, rng)}
    print(json.dumps(result), flush=True)
    return result


if __name__ == "__main__":
    main()
