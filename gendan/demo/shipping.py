"""The demo's shipments, one in each state a merchandiser meets in a week: booked, loaded, B/L copy sent, released,
arrived — made through the shipping services on the days they happened, with their documents (a shipped one
has its certificate of origin)."""

from __future__ import annotations

import random
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from django.utils import timezone

from gendan.demo.clock import at, clock
from gendan.documents.choices import DocumentKind
from gendan.documents.services import shipment_document_generate
from gendan.finance.choices import ScheduleKind
from gendan.finance.gates import may_ship
from gendan.parties.choices import BalanceCondition, SupplierKind
from gendan.parties.models import Supplier
from gendan.sales.choices import OrderStatus
from gendan.sales.models import OrderEvent, SalesOrder
from gendan.shipping import services
from gendan.shipping.certificates import certificate_add
from gendan.shipping.choices import BLType, CertificateKind, NoticeNode, ReleaseMethod, TrackingStatus
from gendan.shipping.containers import check_digit
from gendan.shipping.loading import line_reference
from gendan.shipping.models import ContainerType, Port
from gendan.shipping.notices import notice_draft, notice_record
from gendan.shipping.seeds import reference_data_loaded
from gendan.shipping.tasks import plan_load
from gendan.shipping.tracking import tracking_link_issue

OWNERS = ["CSQU", "MSKU", "TGHU", "OOLU", "CMAU", "EGHU"]
DISCHARGE = {"US": "USLAX", "DE": "DEHAM", "NL": "NLRTM", "GB": "GBFXT", "AU": "AUSYD", "AE": "AEJEA",
             "FR": "FRLEH", "ES": "ESVLC", "IT": "ITGOA", "CA": "CAVAN", "JP": "JPTYO", "SG": "SGSIN"}
VESSELS = [("COSCO SHIPPING ARIES", "045E", "COSCO"), ("MSC ANNA", "FA612W", "MSC"),
           ("EVER ACE", "1187-012W", "Evergreen"), ("CMA CGM JACQUES SAADE", "0MEA5W", "CMA CGM"),
           ("OOCL HONG KONG", "118E", "OOCL")]


@dataclass
class Story:
    """A shipment's days, counted back from today; None: that step has not happened yet."""

    name: str
    start: int
    loaded: int | None = None
    shipped: int | None = None
    copy: int | None = None
    paid: int | None = None
    released: int | None = None
    arrived: int | None = None


STORIES = [
    Story("arrived", start=48, loaded=44, shipped=43, copy=40, paid=34, released=33, arrived=9),
    Story("released", start=32, loaded=28, shipped=27, copy=24, paid=20, released=19),
    Story("copy sent", start=17, loaded=13, shipped=12, copy=9),
    Story("loaded", start=6, loaded=1),
    Story("booked", start=2),
]


def make_shipments(users: dict, today: date, rng: random.Random, pay: Callable, log) -> dict[str, int]:
    """`pay(order, kinds, day)`: the demo's customer remitting what is open on those schedule lines."""
    made = {"shipments": 0}
    reference_data_loaded()  # a test database flushed by an earlier test has lost what the migrations loaded
    candidates = _ready_orders()
    forwarders = list(Supplier.objects.filter(kind=SupplierKind.FORWARDER).order_by("code"))
    for story in STORIES:
        start = today - timedelta(days=story.start)
        order = next((o for o in candidates if o.ready_on < start), None)
        if order is None or not forwarders:
            continue
        candidates.remove(order)
        _play(story, order, users, today, rng, forwarders[made["shipments"] % len(forwarders)], pay)
        made["shipments"] += 1
    log(f"  {made['shipments']} shipments: booked, loaded, B/L copy sent, released, arrived")
    return made


def _ready_orders() -> list[SalesOrder]:
    """Ready orders whose balance comes after the B/L (so the money gate lets them ship), oldest ready first."""
    orders = list(SalesOrder.objects.filter(status=OrderStatus.READY_TO_SHIP).exclude(
        balance_condition__in=[BalanceCondition.IN_ADVANCE, BalanceCondition.BEFORE_SHIPMENT]).select_related(
        "customer", "merchandiser").order_by("number"))
    ready = dict(OrderEvent.objects.filter(order__in=orders, new_status=OrderStatus.READY_TO_SHIP).values_list(
        "order", "at"))
    for order in orders:
        order.ready_on = timezone.localdate(ready[order.pk]) if order.pk in ready else date.max
    return sorted([o for o in orders if o.ready_on != date.max and may_ship(o)], key=lambda o: o.ready_on)


def _day(today: date, back: int | None, hour: int = 10) -> datetime | None:
    return None if back is None else at(today - timedelta(days=back), hour, 0)


def _play(story: Story, order: SalesOrder, users: dict, today: date, rng: random.Random, forwarder, pay) -> None:
    merchandiser = order.merchandiser or users["merch"]
    start = today - timedelta(days=story.start)
    with clock(at(start, 9, 30)):
        shipment = services.shipment_create(by=merchandiser, customer=order.customer, lines=[
            (line, line.quantity) for line in order.lines.order_by("position")])
        etd = today - timedelta(days=story.shipped) if story.shipped else today + timedelta(days=story.start + 1)
        vessel, voyage, carrier = rng.choice(VESSELS)
        discharge = DISCHARGE.get(order.customer.country.code, "NLRTM")
        services.booking_save(
            shipment=shipment, by=merchandiser, version=0, forwarder=forwarder, carrier=carrier, vessel=vessel,
            voyage=voyage, booking_number=f"{carrier[:3].upper()}{rng.randint(10**8, 10**9 - 1)}",
            port_of_loading=Port.objects.get(code="CNNGB"), port_of_discharge=Port.objects.get(code=discharge),
            etd=etd, eta=etd + timedelta(days=rng.randint(24, 34)),
            cargo_cutoff=at(etd - timedelta(days=2), 12, 0), si_cutoff=at(etd - timedelta(days=3), 17, 0),
            vgm_cutoff=at(etd - timedelta(days=2), 12, 0))
        tracking_link_issue(order=order, by=merchandiser, days=story.start + 60)
        load_plan = services.load_plan_request(shipment=shipment, by=merchandiser, time_limit=5,
                                               container_types=["20GP", "40GP", "40HQ"])
        plan_load.call(load_plan.pk)  # the worker's job, done here: the demo is built in one transaction
    if story.loaded is None:
        return
    with clock(_day(today, story.loaded, 16)):
        _load(shipment, users["warehouse"], today - timedelta(days=story.loaded), rng)
        for kind in (DocumentKind.COMMERCIAL_INVOICE, DocumentKind.PACKING_LIST, DocumentKind.SHIPPING_NOTICE):
            shipment_document_generate(kind=kind, shipment=shipment, by=merchandiser)
    if story.shipped is None:
        return
    shipped_on = today - timedelta(days=story.shipped)
    with clock(_day(today, story.shipped)):
        _certify(shipment, merchandiser, order.customer.country.code, shipped_on - timedelta(days=2))
        shipment.refresh_from_db()
        services.shipment_ship(shipment=shipment, by=merchandiser, version=shipment.version, shipped_on=shipped_on)
        services.tracking_record(shipment=shipment, by=merchandiser, status=TrackingStatus.DEPARTED,
                                 happened_on=shipped_on, place="Ningbo")
        bl = services.bl_draft_received(shipment=shipment, by=merchandiser)
        services.bl_draft_confirm(bl=bl, by=merchandiser, version=bl.version)
        services.bl_issue(bl=bl, by=merchandiser, version=bl.version, issued_on=shipped_on, bl_type=BLType.ORIGINAL,
                          number=f"NGB{rng.randint(10**9, 10**10 - 1)}")
        advice = notice_draft(by=merchandiser, node=NoticeNode.SHIPPED, shipment=shipment)
        notice_record(notice=advice, by=merchandiser)  # the demo's customers read their mail elsewhere
    with clock(_day(today, story.copy)):
        services.bl_copy_sent(bl=bl, by=merchandiser, version=bl.version)
    if story.paid is not None:
        pay(order, [ScheduleKind.BALANCE], today - timedelta(days=story.paid))
    if story.released is not None:
        with clock(_day(today, story.released)):
            services.bl_release(bl=bl, by=merchandiser, version=bl.version, method=ReleaseMethod.COURIER,
                                released_to=order.customer.name_en, courier="DHL",
                                tracking_number=str(rng.randint(10**9, 10**10 - 1)))
    if story.arrived is not None:
        with clock(_day(today, story.arrived)):
            services.tracking_record(shipment=shipment, by=merchandiser, status=TrackingStatus.ARRIVED,
                                     happened_on=today - timedelta(days=story.arrived))
            notice_draft(by=merchandiser, node=NoticeNode.ARRIVED, shipment=shipment)  # waiting to be sent


ASEAN = {"BN", "KH", "ID", "LA", "MY", "MM", "PH", "SG", "TH", "VN"}


def _certify(shipment, by, country: str, day: date) -> None:
    """The certificate of origin: Form E from the customs for an ASEAN customer, else a general C/O from CCPIT."""
    kind, issuer = ((CertificateKind.FORM_E, "宁波海关 Ningbo Customs") if country in ASEAN else
                    (CertificateKind.GENERAL_CO, "中国国际贸易促进委员会宁波分会"))
    certificate_add(shipment=shipment, by=by, kind=kind, issuer=issuer, issued_on=day,
                    number=f"{'E' if kind == CertificateKind.FORM_E else 'C'}{day:%y}3302{shipment.pk:09d}")


def _load(shipment, by, day: date, rng: random.Random) -> None:
    """Each container of the shipment's load plan as the warehouse loaded it: the cartons the plan put in it."""
    lines = list(shipment.lines.select_related("order_line__product", "order_line__order").order_by("pk"))
    plan = shipment.load_plans.order_by("-pk").first()
    left = {line.pk: line.quantity for line in lines}
    by_reference = {line_reference(line.order_line): line for line in lines}
    for planned in plan.result["containers"]:
        goods = []
        for reference, cartons in planned["cartons_per_line"].items():
            line = by_reference[reference]
            quantity = min(left[line.pk], cartons * line.order_line.product.units_per_carton)
            if cartons and quantity:
                left[line.pk] -= quantity
                goods.append(services.LoadedGoods(line, cartons, quantity))
        code = planned["container"]["code"]
        serial = f"{rng.choice(OWNERS)}{rng.randint(100000, 999999)}"
        services.container_load(shipment=shipment, by=by, container_number=f"{serial}{check_digit(serial)}",
                                seal_number=f"CN{rng.randint(10**6, 10**7 - 1)}", container_type=code,
                                tare_kg=ContainerType.objects.get(code=code).tare_kg, loaded_on=day, goods=goods)
