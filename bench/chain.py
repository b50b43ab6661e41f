"""The whole order chain of `bench.order_pipeline --chain N` (Gendan issue 16): one order per shipment, from the
order's creation to its originals released, each step the service call (or calls) the UI makes for it, one
transaction each — the calls `gendan/demo/shipping.py` makes for its stories.

    create → submit → confirm → deposit received (recorded, allocated, confirmed) → production started → goods
    ready → shipment → booking → load plan (requested, then planned in-process: the worker's `plan_load`) →
    container(s) loaded as planned → CI and PL → shipped → B/L (draft in, confirmed, issued, copy sent) →
    balance received → originals released

The load plan uses the planner's normal settings, the load plan card's defaults: 20GP, 40GP and 40HQ offered,
10 seconds at most; a shipment whose cartons all fit stops searching once every carton is placed.
The CI and PL are issued by `shipment_document_generate` (number, version, the page and the XLSX stored) as the
documents card's button does; their PDFs are the worker's job (`render_document`), timed after the chain by
`bench.order_pipeline` as `chain_worker_render_ms_per_order`, and apart by `bench.documents` (`pdf_ci_ms`, …).
"""

from __future__ import annotations

import time
from collections import defaultdict
from datetime import timedelta
from decimal import Decimal

CHAIN_TYPES = ["20GP", "40GP", "40HQ"]  # the load plan card's defaults (shipping/loading_views.py)
CHAIN_TIME_LIMIT = 10
OWNERS = ["CSQU", "MSKU", "TGHU", "OOLU"]
STEPS = ("order_create", "order_submit", "order_confirm", "deposit_received", "production", "shipment_create",
         "booking_save", "load_plan", "container_load", "ci_pl_documents", "shipment_ship", "bill_of_lading",
         "balance_received", "originals_released")


def chain_company(*, manager, customer, products) -> dict:
    """The people, the bank account, the forwarder and the letterhead the chain needs, next to phase 1's company,
    and a customer of its own (phase 1's has thousands of open orders, which confirming an order reads for the
    credit check): terms and owner as phase 1's, with a merchandiser who follows its orders."""
    from django.contrib.auth.models import Group

    from gendan.accounts.models import User
    from gendan.accounts.roles import Role
    from gendan.core.models import CompanyProfile
    from gendan.finance.services import bank_account_save
    from gendan.parties.choices import SupplierKind
    from gendan.parties.services import customer_create, supplier_create
    from gendan.shipping.models import Port
    from gendan.shipping.seeds import reference_data_loaded

    def user(username: str, role: str) -> User:
        person = User.objects.create_user(username=username, password="bench", full_name=username)
        person.groups.add(Group.objects.get(name=role))
        return User.objects.get(pk=person.pk)

    reference_data_loaded()
    people = {"sales": customer.owner, "manager": manager, "merch": user("bench-merch", Role.MERCHANDISER),
              "finance": user("bench-finance", Role.FINANCE), "production": user("bench-production", Role.PRODUCTION),
              "warehouse": user("bench-warehouse", Role.WAREHOUSE)}
    customer = customer_create(
        by=manager, code="BENCH-CHAIN", name_en="Bench Kitchen Supply LLC", country="US", currency="USD",
        payment_term=customer.payment_term, incoterm="FOB", incoterm_place="Ningbo", owner=customer.owner,
        merchandiser=people["merch"],
        contacts=[{"name": "Sam Buyer", "email": "sam@bench.example", "is_primary": True}],
    )
    CompanyProfile.objects.update_or_create(pk=CompanyProfile.ROW, defaults={
        "name_zh": "宁波恒泰五金厨具进出口有限公司", "name_en": "Ningbo Hengtai Hardware & Kitchenware Co., Ltd.",
        "address_en": "88 Zhongshan Road, Ningbo, China"})
    bank = bank_account_save(by=people["finance"], name="BOC USD", beneficiary="Ningbo Hengtai",
                             bank_name="Bank of China", account_no="3583 5820 1234", swift="BKCHCNBJ92A",
                             currency="USD")
    forwarder = supplier_create(by=manager, kind=SupplierKind.FORWARDER, code="BENCH-FWD", name_zh="宁波远洋货代",
                                name_en="Ningbo Ocean Forwarding", country="CN", currency="CNY")
    return {**people, "customer": customer, "products": products, "bank": bank, "forwarder": forwarder,
            "loading": Port.objects.get(code="CNNGB"), "discharge": Port.objects.get(code="USLAX")}


class Steps:
    """Wall seconds per step, summed over the orders of a run; with `count`, the SQL statements of each step instead."""

    def __init__(self, count: bool = False):
        self.seconds: dict[str, float] = defaultdict(float)
        self.statements: dict[str, int] = defaultdict(int)
        self.count = count

    def __call__(self, name: str, func, *args, **kwargs):
        if self.count:
            from django.db import connection
            from django.test.utils import CaptureQueriesContext

            with CaptureQueriesContext(connection) as queries:
                result = func(*args, **kwargs)
            self.statements[name] += len(queries)
            return result
        started = time.perf_counter()
        result = func(*args, **kwargs)
        self.seconds[name] += time.perf_counter() - started
        return result


def run_chain(n: int, *, people: dict, run: int, steps: Steps | None = None) -> tuple[float, float, Steps]:
    """n orders through the whole chain; returns (wall seconds, CPU seconds of this process, per-step times)."""
    steps = steps or Steps()
    started, cpu_started = time.perf_counter(), time.process_time()
    for i in range(n):
        one_order(i, people=people, run=run, step=steps)
        if (i + 1) % 50 == 0:
            print(f"  chain run {run}: {i + 1}/{n} orders released, {time.perf_counter() - started:.1f} s",
                  flush=True)
    return time.perf_counter() - started, time.process_time() - cpu_started, steps


def one_order(i: int, *, people: dict, run: int, step: Steps) -> None:
    from django.utils import timezone

    from bench.order_pipeline import lines_for
    from gendan.documents.choices import DocumentKind
    from gendan.documents.services import shipment_document_generate
    from gendan.finance.choices import ScheduleKind
    from gendan.sales.services import (
        order_confirm,
        order_create,
        order_mark_ready,
        order_start_production,
        order_submit,
    )
    from gendan.shipping import services
    from gendan.shipping.choices import BLType, ReleaseMethod
    from gendan.shipping.tasks import plan_load

    sales, manager, merch = people["sales"], people["manager"], people["merch"]
    today = timezone.localdate()
    now = timezone.now()
    order = step("order_create", order_create, by=sales, customer=people["customer"],
                 lines=lines_for(people["products"], 5, start=i * 5), customer_po=f"PO-C{run}-{i}", order_date=today,
                 requested_ex_factory=today + timedelta(days=45), confirmed_ex_factory=today + timedelta(days=45))
    assert order.merchandiser_id == merch.pk, "the customer's merchandiser follows the order"
    step("order_submit", order_submit, order=order, by=sales)
    step("order_confirm", order_confirm, order=order, by=manager)
    step("deposit_received", pay, order, ScheduleKind.DEPOSIT, people=people, reference=f"FT-D{run}-{i}")
    step("production", order_start_production, order=order, by=people["production"])
    step("production", order_mark_ready, order=order, by=people["production"])

    shipment = step("shipment_create", services.shipment_create, by=merch, customer=order.customer, lines=[
        (line, line.quantity) for line in order.lines.order_by("position")])
    etd = today + timedelta(days=1)
    step("booking_save", services.booking_save, shipment=shipment, by=merch, version=0,
         forwarder=people["forwarder"], carrier="COSCO", vessel="COSCO SHIPPING ARIES", voyage="045E",
         booking_number=f"COS{run:02d}{i:07d}", port_of_loading=people["loading"],
         port_of_discharge=people["discharge"], etd=etd, eta=etd + timedelta(days=28),
         cargo_cutoff=now, si_cutoff=now, vgm_cutoff=now)
    load_plan = step("load_plan", services.load_plan_request, shipment=shipment, by=merch,
                     container_types=CHAIN_TYPES, time_limit=CHAIN_TIME_LIMIT)
    step("load_plan", plan_load.call, load_plan.pk)  # the worker's job, in-process as the demo does it
    step("container_load", load_as_planned, shipment, by=people["warehouse"], day=today, serial=run * 10**5 + i)
    for kind in (DocumentKind.COMMERCIAL_INVOICE, DocumentKind.PACKING_LIST):
        step("ci_pl_documents", shipment_document_generate, kind=kind, shipment=shipment, by=merch)

    shipment.refresh_from_db()
    step("shipment_ship", services.shipment_ship, shipment=shipment, by=merch, version=shipment.version,
         shipped_on=today)
    bl = step("bill_of_lading", services.bl_draft_received, shipment=shipment, by=merch)
    step("bill_of_lading", services.bl_draft_confirm, bl=bl, by=merch, version=bl.version)
    step("bill_of_lading", services.bl_issue, bl=bl, by=merch, version=bl.version, issued_on=today,
         bl_type=BLType.ORIGINAL, number=f"NGB{run:02d}{i:08d}")
    step("bill_of_lading", services.bl_copy_sent, bl=bl, by=merch, version=bl.version)
    step("balance_received", pay, order, ScheduleKind.BALANCE, people=people, reference=f"FT-B{run}-{i}")
    step("originals_released", services.bl_release, bl=bl, by=merch, version=bl.version,
         method=ReleaseMethod.COURIER, released_to=order.customer.name_en, courier="DHL",
         tracking_number=f"{run:02d}{i:08d}")


def pay(order, kind: str, *, people: dict, reference: str) -> None:
    """The customer remits what is open on the order's `kind` line; finance records the receipt, allocates it and
    confirms it arrived — three service calls, as the receipts page makes them (the demo's `_remit`)."""
    from django.utils import timezone

    from gendan.finance.selectors import schedule_of
    from gendan.finance.services import receipt_allocate, receipt_confirm, receipt_record

    finance = people["finance"]
    lines = [line for line in schedule_of(order) if line.kind == kind and line.open > 0]
    assert lines, f"{order.number} owes nothing on its {kind} line"
    receipt = receipt_record(by=finance, customer=order.customer, received_on=timezone.localdate(),
                             bank_account=people["bank"], currency=order.currency,
                             amount=sum(line.open for line in lines), rate_to_cny=Decimal("7.1"),
                             reference=reference)
    receipt_allocate(receipt=receipt, by=finance, version=receipt.version,
                     allocations=[(line, line.open) for line in lines])
    receipt_confirm(receipt=receipt, by=finance, version=receipt.version)


def load_as_planned(shipment, *, by, day, serial: int) -> None:
    """Each container of the shipment's newest load plan loaded with the cartons the plan put in it (the demo's
    `_load`): one `container_load` per container."""
    from gendan.shipping import services
    from gendan.shipping.choices import LoadPlanStatus
    from gendan.shipping.containers import check_digit
    from gendan.shipping.loading import line_reference
    from gendan.shipping.models import ContainerType

    plan = shipment.load_plans.order_by("-pk").first()
    assert plan.status == LoadPlanStatus.DONE, f"load plan of {shipment.number}: {plan.status} {plan.error}"
    assert not plan.result["not_fitted"], f"{shipment.number}: cartons left out of the plan"
    lines = list(shipment.lines.select_related("order_line__product", "order_line__order").order_by("pk"))
    left = {line.pk: line.quantity for line in lines}
    by_reference = {line_reference(line.order_line): line for line in lines}
    tare = dict(ContainerType.objects.values_list("code", "tare_kg"))
    for k, planned in enumerate(plan.result["containers"]):
        goods = []
        for reference, cartons in planned["cartons_per_line"].items():
            line = by_reference[reference]
            quantity = min(left[line.pk], cartons * line.order_line.product.units_per_carton)
            if cartons and quantity:
                left[line.pk] -= quantity
                goods.append(services.LoadedGoods(line, cartons, quantity))
        code = planned["container"]["code"]
        owner_serial = f"{OWNERS[k % len(OWNERS)]}{serial % 10**6:06d}"
        services.container_load(shipment=shipment, by=by, container_number=f"{owner_serial}{check_digit(owner_serial)}",
                                seal_number=f"CN{serial:08d}-{k}", container_type=code, tare_kg=tare[code],
                                loaded_on=day, goods=goods)
    assert not any(left.values()), f"{shipment.number}: goods not loaded {left}"


def statements_per_chain_order(*, people: dict) -> tuple[int, dict[str, int], dict[str, int]]:
    """Statements (BEGIN and COMMIT included) one order costs through the whole chain: in all, per step, and by
    kind (reads, writes, transaction control)."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as queries:
        run_chain(1, people=people, run=99)
    kinds = defaultdict(int)
    for query in queries:
        word = query["sql"].lstrip().split(None, 1)[0].upper()
        kinds["read" if word in ("SELECT", "WITH") else "write" if word in ("INSERT", "UPDATE", "DELETE")
              else "transaction"] += 1
    steps = Steps(count=True)
    run_chain(1, people=people, run=98, steps=steps)
    return len(queries), {name: steps.statements[name] for name in STEPS}, dict(kinds)

