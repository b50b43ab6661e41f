"""Shipments, each operation one transaction. A shipment takes ready goods of one customer's orders (partial
quantities allowed); what its lines and the other open shipments take never exceeds what an order line asks for
(the order lines are locked while it is checked, so two merchandisers cannot ship the same goods twice).
Shipping moves each order to partially shipped or shipped through the sales services, where the money gate
holds (an exception lets an order through)."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Max, Sum
from django.utils import timezone
from django.utils.translation import gettext as _

from gendan.core.bulk import insert_with_history
from gendan.core.concurrency import save_first_version, take_version
from gendan.core.numbering import next_number
from gendan.core.permissions import require_perm
from gendan.core.records import field_errors
from gendan.core.states import transition
from gendan.core.uploads import check_upload
from gendan.finance.gates import may_release, may_ship
from gendan.finance.services import schedule_set_bl_date
from gendan.followup.choices import PlanEvent, PlanStatus
from gendan.followup.models import Plan
from gendan.followup.services import (
    plan_follow_booking,
    plan_order_shipped,
    plan_record_done,
    plan_record_event,
    plan_set_shipping_dates,
)
from gendan.loadplan.containers import DEFAULT_CONTAINERS
from gendan.parties.choices import BalanceCondition, SupplierKind
from gendan.sales.choices import OrderStatus
from gendan.sales.models import SalesOrder, SalesOrderLine
from gendan.sales.selectors import order_list_visible_to
from gendan.sales.services import order_ship
from gendan.shipping.choices import (
    PRESENTATION_DAYS,
    BankAnswer,
    BLStatus,
    BLType,
    ReleaseMethod,
    ShipmentMode,
    ShipmentStatus,
    TrackingStatus,
)
from gendan.shipping.containers import normalized, validate_container_number
from gendan.shipping.loading import cargo_of, check_doors, planner_container
from gendan.shipping.models import (
    BillOfLading,
    Booking,
    ContainerType,
    LclRate,
    LoadedContainer,
    LoadedLine,
    LoadingPhoto,
    LoadPlan,
    Shipment,
    ShipmentLine,
    TrackingEvent,
)

READY = (OrderStatus.READY_TO_SHIP, OrderStatus.PARTIALLY_SHIPPED)  # goods that may be put on a shipment
ZERO = Decimal(0)
CONTAINER_TYPES = tuple(DEFAULT_CONTAINERS)  # 20GP, 40GP, 40HQ, 45HQ


def quantities_on_shipments(order_lines, *, shipped_only: bool = False) -> dict[int, Decimal]:
    """{order line id: quantity on shipments not cancelled} (shipped or about to be), or on shipped ones only."""
    rows = ShipmentLine.objects.filter(order_line__in=order_lines)
    rows = (rows.filter(shipment__status=ShipmentStatus.SHIPPED) if shipped_only
            else rows.exclude(shipment__status=ShipmentStatus.CANCELLED))
    return defaultdict(lambda: ZERO, {row["order_line"]: row["total"] for row in rows.values("order_line").annotate(
        total=Sum("quantity")).order_by()})


@transaction.atomic
def shipment_create(*, by, customer, lines: list[tuple[SalesOrderLine, Decimal]], mode: str = ShipmentMode.SEA_FCL,
                    note: str = "") -> Shipment:
    """A draft shipment of these order lines' goods, so many units each."""
    require_perm(by, "shipping.add_shipment")
    if mode not in ShipmentMode.values:
        raise ValidationError({"mode": _("Choose how the goods travel.")})
    if not lines:
        raise ValidationError({"lines": _("Choose at least one order line to ship.")})
    locked = {line.pk: line for line in SalesOrderLine.objects.select_for_update().select_related(
        "order", "product").filter(pk__in=[line.pk for line, _quantity in lines])}
    visible = set(order_list_visible_to(user=by).filter(
        pk__in={line.order_id for line in locked.values()}).values_list("pk", flat=True))
    if len(visible) < len({line.order_id for line in locked.values()}):
        raise PermissionDenied(_("You cannot ship an order you do not follow."))
    _check_lines(customer, [(locked[line.pk], quantity) for line, quantity in lines])
    shipment = Shipment(number=next_number("SH", on=timezone.localdate()), customer=customer, mode=mode,
                        note=note.strip(), created_by=by)
    insert_with_history([shipment], by=by)
    insert_with_history([ShipmentLine(shipment=shipment, order_line=locked[line.pk], quantity=quantity)
                         for line, quantity in lines], by=by)
    return shipment


def _check_lines(customer, lines: list[tuple[SalesOrderLine, Decimal]]) -> None:
    taken = quantities_on_shipments([line for line, _quantity in lines])
    errors = {}
    for index, (line, quantity) in enumerate(lines):
        key = f"lines.{index}.quantity"
        order = line.order
        if order.customer_id != customer.pk:
            errors[key] = _("%(order)s is another customer's order.") % {"order": order.number}
        elif order.status not in READY:
            errors[key] = _("%(order)s is %(status)s: only goods ready to ship go on a shipment.") % {
                "order": order.number, "status": order.get_status_display()}
        elif quantity is None or quantity <= 0:
            errors[key] = _("Enter a quantity greater than zero.")
        elif quantity > line.quantity - taken[line.pk]:
            errors[key] = _("%(order)s line %(line)s: %(open)s of %(ordered)s left to ship.") % {
                "order": order.number, "line": line.position, "open": _plain(line.quantity - taken[line.pk]),
                "ordered": _plain(line.quantity)}
        else:
            taken[line.pk] += quantity  # the same line twice in one shipment
    if errors:
        raise ValidationError(errors)


def _plain(quantity: Decimal) -> str:
    return f"{quantity.normalize():f}"


@transaction.atomic
def shipment_ship(*, shipment: Shipment, by, version: int, shipped_on: date | None = None,
                  today: date | None = None) -> Shipment:
    """The goods left: each order moves to shipped when every line has gone in full on shipped shipments,
    otherwise to partially shipped. The money gate of any order may refuse, and then nothing moves."""
    require_perm(by, "shipping.change_shipment")
    today = today or timezone.localdate()
    shipped_on = shipped_on or today
    if shipped_on > today:
        raise ValidationError({"shipped_on": _("The goods cannot leave in the future.")})
    transition(shipment, to=ShipmentStatus.SHIPPED, version=version, by=by, extra={"shipped_on": shipped_on})
    orders = {line.order_line.order for line in shipment.lines.select_related("order_line__order")}
    for order in sorted(orders, key=lambda o: o.number):
        order_lines = list(order.lines.all())
        gone = quantities_on_shipments(order_lines, shipped_only=True)
        whole = all(gone[line.pk] >= line.quantity for line in order_lines)
        if not whole and order.status == OrderStatus.PARTIALLY_SHIPPED:
            continue  # more went, not yet all of it
        order_ship(order=order, by=by, partially=not whole,
                   note=_("Shipment %(number)s") % {"number": shipment.number})
    return shipment


@transaction.atomic
def shipment_cancel(*, shipment: Shipment, by, version: int, reason: str) -> Shipment:
    """A draft that will not go: its goods are free for another shipment."""
    require_perm(by, "shipping.change_shipment")
    if not reason.strip():
        raise ValidationError({"reason": _("Say why the shipment is cancelled.")})
    transition(shipment, to=ShipmentStatus.CANCELLED, version=version, by=by, reason=reason.strip())
    return shipment


BOOKING_FIELDS = ("forwarder", "booking_number", "carrier", "vessel", "voyage", "port_of_loading",
                  "port_of_discharge", "etd", "eta", *Booking.CUTOFFS)


@transaction.atomic
def booking_save(*, shipment: Shipment, by, version: int, **fields) -> Booking:
    """Book the shipment with a forwarder, or change its booking: each order's plan follows (ETD, ETA, the
    cut-offs as dated milestones) and is re-planned. `version` is the booking's as the user saw it (0: none)."""
    require_perm(by, "shipping.change_shipment")
    if shipment.status == ShipmentStatus.CANCELLED:
        raise ValidationError({"shipment": _("The shipment is cancelled.")})
    booking = Booking.objects.select_for_update().filter(shipment=shipment).first() or Booking(shipment=shipment)
    for name in BOOKING_FIELDS:
        setattr(booking, name, fields.get(name, getattr(booking, name, None)))
    _check_booking(booking)
    booking._history_user = by
    if booking.pk:
        take_version(booking, version)
        booking.save()
    else:
        booking = save_first_version(booking, version, by=by)
    for plan in _active_plans(shipment):
        plan_follow_booking(plan=plan, by=by, etd=booking.etd, eta=booking.eta, cutoffs={
            name: timezone.localtime(getattr(booking, name)).date() if getattr(booking, name) else None
            for name in Booking.CUTOFFS})
    return booking


def _check_booking(booking: Booking) -> None:
    errors = field_errors(booking, ("booking_number", "carrier", "vessel", "voyage", "etd", "eta", *Booking.CUTOFFS))
    if booking.forwarder_id is None:
        errors["forwarder"] = _("Choose the forwarder.")
    elif booking.forwarder.kind != SupplierKind.FORWARDER or not booking.forwarder.is_active:
        errors["forwarder"] = _("%(party)s is not an active forwarder.") % {"party": booking.forwarder}
    for name in ("port_of_loading", "port_of_discharge"):
        if getattr(booking, f"{name}_id") is None:
            errors[name] = _("Choose the port.")
    if booking.port_of_loading_id and booking.port_of_loading_id == booking.port_of_discharge_id:
        errors["port_of_discharge"] = _("The goods are discharged at another port than they are loaded.")
    if booking.etd and booking.eta and booking.eta < booking.etd:
        errors["eta"] = _("ETA cannot be before ETD.")
    for name in Booking.CUTOFFS:
        moment = getattr(booking, name)
        if moment and booking.etd and timezone.localtime(moment).date() > booking.etd:
            errors[name] = _("A cut-off comes before the vessel sails (ETD %(etd)s).") % {"etd": booking.etd}
    if errors:
        raise ValidationError(errors)


def _active_plans(shipment: Shipment):
    orders = shipment.lines.values("order_line__order")
    return Plan.objects.filter(order__in=orders, status=PlanStatus.ACTIVE).order_by("pk")


# ---------------------------------------------------------------- loading


@dataclass(frozen=True)
class LoadedGoods:
    """One line of a container as loaded: so many cartons holding so many units of a shipment line."""

    shipment_line: ShipmentLine
    cartons: int | None
    quantity: Decimal | None


@transaction.atomic
def container_load(*, shipment: Shipment, by, container_number: str, seal_number: str, container_type: str,
                   tare_kg: Decimal | None, loaded_on: date | None, goods: list[LoadedGoods],
                   cargo_gross_kg: Decimal | None = None, vgm_kg: Decimal | None = None, note: str = "",
                   photos=(), today: date | None = None) -> LoadedContainer:
    """Record a container as loaded (装柜): number (ISO 6346) and seal (never on another container), what went
    in, weights. Cargo gross weight defaults to the cartons' from the products' packing data, VGM to tare plus
    cargo. An order whose goods on the shipment are then all loaded has left the factory: its ex-factory
    milestone is done, dated the loading day — so the money gate holds here as it does for shipping."""
    require_perm(by, "shipping.add_loadedcontainer")
    shipment = Shipment.objects.select_for_update().get(pk=shipment.pk)
    _require_visible(by, shipment)
    if shipment.status == ShipmentStatus.CANCELLED:
        raise ValidationError({"shipment": _("The shipment is cancelled.")})
    today = today or timezone.localdate()
    container = LoadedContainer(
        shipment=shipment, container_number=normalized(container_number), seal_number=seal_number.strip().upper(),
        container_type=container_type, tare_kg=tare_kg, loaded_on=loaded_on, note=note.strip(), recorded_by=by)
    errors = {**_container_errors(container, today), **_goods_errors(shipment, goods)}
    if errors:
        raise ValidationError(errors)
    container.cargo_gross_kg = cargo_gross_kg if cargo_gross_kg is not None else sum(
        (_gross_of(item) for item in goods), Decimal(0))
    container.vgm_kg = vgm_kg if vgm_kg is not None else container.tare_kg + container.cargo_gross_kg
    if container.vgm_kg < container.tare_kg:
        raise ValidationError({"vgm_kg": _("The VGM is the container's tare plus its cargo: it cannot be less than "
                                           "the tare.")})
    if errors := _capacity_errors(container, goods):
        raise ValidationError(errors)
    _hold_gates(shipment, goods)
    insert_with_history([container], by=by)
    insert_with_history([LoadedLine(container=container, shipment_line=item.shipment_line, cartons=item.cartons,
                                    quantity=item.quantity) for item in goods], by=by)
    for photo in photos:
        check_upload(photo, field="photos", extensions=["jpg", "jpeg", "png", "webp"])
        LoadingPhoto.objects.create(container=container, image=photo, uploaded_by=by)
    for order in _orders_all_loaded(shipment, goods):
        plan_order_shipped(order=order, by=by, on=container.loaded_on)
    return container


def _require_visible(by, shipment: Shipment) -> None:
    orders = shipment.lines.values("order_line__order")
    if order_list_visible_to(user=by).filter(pk__in=orders).count() < orders.distinct().count():
        raise PermissionDenied(_("You do not have permission to do this."))


def _container_errors(container: LoadedContainer, today: date) -> dict:
    errors = {}
    try:
        container.container_number = validate_container_number(container.container_number)
    except ValidationError as error:
        errors["container_number"] = error.messages
    if not container.seal_number:
        errors["seal_number"] = _("Enter the seal number on the container's door.")
    elif other := LoadedContainer.objects.filter(seal_number=container.seal_number).select_related(
            "shipment").first():
        errors["seal_number"] = _("Seal %(seal)s is already on container %(container)s (%(shipment)s): a seal is "
                                  "used once.") % {"seal": container.seal_number, "container": other.container_number,
                                                   "shipment": other.shipment.number}
    if container.container_type not in CONTAINER_TYPES:
        errors["container_type"] = _("Choose the container type.")
    if container.tare_kg is None or container.tare_kg <= 0:
        errors["tare_kg"] = _("Enter the tare printed on the container's door, in kg.")
    if container.loaded_on is None:
        errors["loaded_on"] = _("Enter the day the container was loaded.")
    elif container.loaded_on > today:
        errors["loaded_on"] = _("A container cannot be loaded in the future.")
    if "container_number" not in errors and LoadedContainer.objects.filter(
            shipment=container.shipment, container_number=container.container_number).exists():
        errors["container_number"] = _("Container %(number)s is already recorded on this shipment.") % {
            "number": container.container_number}
    return errors


def _goods_errors(shipment: Shipment, goods: list[LoadedGoods]) -> dict:
    """Each row names its problem: not this shipment's line, no cartons or units, more than the shipment carries."""
    if not goods:
        return {"goods": _("Enter what was loaded: cartons and quantity of at least one line.")}
    loaded = quantities_loaded(shipment)
    errors = {}
    for index, item in enumerate(goods):
        line = item.shipment_line
        if line.shipment_id != shipment.pk:
            errors[f"goods.{index}.quantity"] = _("This line is not on shipment %(number)s.") % {
                "number": shipment.number}
        elif not item.cartons or item.cartons < 1:
            errors[f"goods.{index}.cartons"] = _("Enter how many cartons went in.")
        elif item.quantity is None or item.quantity <= 0:
            errors[f"goods.{index}.quantity"] = _("Enter a quantity greater than zero.")
        elif loaded[line.pk] + item.quantity > line.quantity:
            errors[f"goods.{index}.quantity"] = _(
                "%(order)s line %(line)s: the shipment carries %(planned)s, %(loaded)s already loaded.") % {
                "order": line.order_line.order.number, "line": line.order_line.position,
                "planned": _plain(line.quantity), "loaded": _plain(loaded[line.pk])}
        else:
            loaded[line.pk] += item.quantity
    return errors


def _capacity_errors(container: LoadedContainer, goods: list[LoadedGoods]) -> dict:
    """More than the container holds is a typing mistake (cartons, or the container type): the cartons' volume
    against its inside, their gross weight against its payload."""
    kind = ContainerType.objects.filter(code=container.container_type).first()
    if kind is None:
        return {}
    volume = sum((_carton_m3(item.shipment_line.order_line.product) * item.cartons for item in goods), ZERO)
    errors = {}
    if volume > Decimal(str(kind.volume_m3)):
        errors["goods"] = _("These cartons take %(volume)s m³; a %(type)s holds %(inside)s m³ inside. Check the "
                            "cartons or the container type.") % {
            "volume": f"{volume:.1f}", "type": kind.code, "inside": f"{kind.volume_m3:.1f}"}
    if container.cargo_gross_kg > kind.max_payload_kg:
        errors["cargo_gross_kg"] = _("%(weight)s kg of cargo is more than a %(type)s may carry (%(payload)s kg).") % {
            "weight": _plain(container.cargo_gross_kg), "type": kind.code, "payload": kind.max_payload_kg}
    return errors


def _carton_m3(product) -> Decimal:
    """A product without its carton size takes no room here (the documents ask for it)."""
    if not (product.carton_length_cm and product.carton_width_cm and product.carton_height_cm):
        return ZERO
    return product.cbm_per_carton


def quantities_loaded(shipment: Shipment) -> dict[int, Decimal]:
    """{shipment line id: units loaded so far}."""
    rows = LoadedLine.objects.filter(container__shipment=shipment).values("shipment_line").annotate(
        total=Sum("quantity")).order_by()
    return defaultdict(lambda: ZERO, {row["shipment_line"]: row["total"] for row in rows})


def _gross_of(item: LoadedGoods) -> Decimal:
    return (item.shipment_line.order_line.product.gross_weight_kg or ZERO) * item.cartons


def _hold_gates(shipment: Shipment, goods: list[LoadedGoods]) -> None:
    """Goods may not leave the factory before the money the terms ask first: the gate names the order."""
    errors, answers = {}, {}
    for index, item in enumerate(goods):
        order = item.shipment_line.order_line.order
        answer = answers.setdefault(order.pk, may_ship(order))
        if not answer.allowed:
            errors[f"goods.{index}.quantity"] = answer.reason
    if errors:
        raise ValidationError(errors)


def _orders_all_loaded(shipment: Shipment, goods: list[LoadedGoods]):
    loaded = quantities_loaded(shipment)
    lines = list(shipment.lines.select_related("order_line__order"))
    touched = {item.shipment_line.order_line.order_id for item in goods}
    orders = {line.order_line.order for line in lines if line.order_line.order_id in touched}
    for order in sorted(orders, key=lambda o: o.number):
        if all(loaded[line.pk] >= line.quantity for line in lines if line.order_line.order_id == order.pk):
            yield order


# ---------------------------------------------------------------- the bill of lading

LC_OR_COLLECTION = {BalanceCondition.LC_AT_SIGHT, BalanceCondition.LC_USANCE, BalanceCondition.DP_AT_SIGHT,
                    BalanceCondition.DA}  # the documents go through the banks, not to the customer


@transaction.atomic
def bl_draft_received(*, shipment: Shipment, by, note: str = "") -> BillOfLading:
    """The carrier's (or forwarder's) draft B/L is in: to be checked against the booking and the packing list."""
    require_perm(by, "shipping.change_shipment")
    _require_visible(by, shipment)
    if shipment.status == ShipmentStatus.CANCELLED:
        raise ValidationError({"shipment": _("The shipment is cancelled.")})
    if BillOfLading.objects.filter(shipment=shipment).exists():
        raise ValidationError({"shipment": _("The shipment has its B/L already.")})
    bl = BillOfLading(shipment=shipment, draft_note=note.strip())
    insert_with_history([bl], by=by)
    return bl


@transaction.atomic
def bl_draft_confirm(*, bl: BillOfLading, by, version: int) -> BillOfLading:
    require_perm(by, "shipping.change_shipment")
    transition(bl, to=BLStatus.DRAFT_CONFIRMED, version=version, by=by)
    return bl


@transaction.atomic
def bl_issue(*, bl: BillOfLading, by, version: int, number: str, issued_on: date | None, bl_type: str,
             today: date | None = None) -> BillOfLading:
    """The carrier issued it: number, type and the B/L (on-board) date, which starts the terms counted from it."""
    require_perm(by, "shipping.change_shipment")
    today = today or timezone.localdate()
    errors = {}
    if not number.strip():
        errors["number"] = _("Enter the B/L number.")
    if bl_type not in BLType.values:
        errors["bl_type"] = _("Choose the type of B/L.")
    loaded = bl.shipment.containers.aggregate(last=Max("loaded_on"))["last"]
    if issued_on is None:
        errors["issued_on"] = _("Enter the B/L date (the on-board date).")
    elif issued_on > today:
        errors["issued_on"] = _("The B/L date cannot be in the future.")
    elif loaded and issued_on < loaded:
        errors["issued_on"] = _("The goods were loaded on %(loaded)s: the B/L date cannot be before that.") % {
            "loaded": loaded}
    if bl.shipment.status != ShipmentStatus.SHIPPED:
        errors["shipment"] = _("Mark the shipment as shipped first.")
    if errors:
        raise ValidationError(errors)
    transition(bl, to=BLStatus.ISSUED, version=version, by=by,
               extra={"number": number.strip(), "issued_on": issued_on, "bl_type": bl_type})
    for order in shipment_orders(bl.shipment):
        schedule_set_bl_date(order=order, by=by, bl_date=issued_on)
    return bl


@transaction.atomic
def bl_copy_sent(*, bl: BillOfLading, by, version: int, on: date | None = None) -> BillOfLading:
    """The copy went to the customer (who pays the balance against it): the plans' `bl_copy` is done."""
    require_perm(by, "shipping.change_shipment")
    on = on or timezone.localdate()
    if on > timezone.localdate() or (bl.issued_on and on < bl.issued_on):
        raise ValidationError({"on": _("The copy goes out between the B/L date and today.")})
    transition(bl, to=BLStatus.COPY_SENT, version=version, by=by, extra={"copy_sent_on": on})
    for order in shipment_orders(bl.shipment):
        plan_record_done(order=order, code="bl_copy", by=by, on=on)
    return bl


@transaction.atomic
def bl_release(*, bl: BillOfLading, by, version: int, method: str, released_to: str, verification: str = "",
               courier: str = "", tracking_number: str = "", lc_number: str = "",
               on: date | None = None) -> BillOfLading:
    """Release the goods: originals couriered, a telex release or a waybill release instructed, or (L/C, D/P,
    D/A) the documents presented to the bank. Refused while an order's money is open, unless finance granted
    an exception; every release records who instructed it, to whom, and how the request was verified."""
    require_perm(by, "shipping.release_documents")
    on = on or timezone.localdate()
    orders = shipment_orders(bl.shipment)
    errors = _release_errors(bl, orders, method, released_to, verification, courier, tracking_number, on)
    if method == ReleaseMethod.BANK and not lc_number.strip() and any(
            o.balance_condition in (BalanceCondition.LC_AT_SIGHT, BalanceCondition.LC_USANCE) for o in orders):
        errors["lc_number"] = _("Enter the L/C number the documents are presented under.")
    if errors:
        raise ValidationError(errors)
    transition(bl, to=BLStatus.RELEASED, version=version, by=by, extra={
        "release_method": method, "released_to": released_to.strip(), "verification": verification.strip(),
        "courier": courier.strip(), "tracking_number": tracking_number.strip(), "released_on": on,
        "released_by": by, "lc_number": lc_number.strip()[:40] if method == ReleaseMethod.BANK else ""})
    for order in orders:
        plan_record_done(order=order, code="originals_released", by=by, on=on)
    return bl


@transaction.atomic
def bl_bank_answer(*, bl: BillOfLading, by, version: int, answer: str, on: date | None = None,
                   discrepancies: str = "", maturity_on: date | None = None) -> BillOfLading:
    """The bank's answer on documents presented to it: accepted (complying, or the buyer waived the
    discrepancies), discrepancies notified (which, required), or refused. A usance L/C or D/A names the day the
    accepted draft matures. Recorded again as the answer changes; every answer is in the B/L's history."""
    require_perm(by, "shipping.release_documents")
    bl = BillOfLading.objects.select_for_update().get(pk=bl.pk)
    on = on or timezone.localdate()
    errors = {}
    if bl.status != BLStatus.RELEASED or bl.release_method != ReleaseMethod.BANK:
        errors["answer"] = _("Only documents presented to the bank get the bank's answer.")
    elif answer not in BankAnswer.values:
        errors["answer"] = _("Choose the bank's answer.")
    if answer in (BankAnswer.DISCREPANT, BankAnswer.REFUSED) and not discrepancies.strip():
        errors["discrepancies"] = _("Write down the discrepancies the bank named.")
    if on > timezone.localdate() or (bl.released_on and on < bl.released_on):
        errors["on"] = _("The answer comes between the presentation and today.")
    if maturity_on and maturity_on < on:
        errors["maturity_on"] = _("The draft matures on or after the day it was accepted.")
    if errors:
        raise ValidationError(errors)
    take_version(bl, version)
    bl.bank_answer, bl.answered_on, bl.discrepancies = answer, on, discrepancies.strip()
    bl.maturity_on = maturity_on if answer == BankAnswer.ACCEPTED else None
    bl._history_user = by
    bl.save(update_fields=["bank_answer", "answered_on", "discrepancies", "maturity_on"])
    return bl


def late_presentation(bl: BillOfLading) -> bool:
    """Presented to the bank more than 21 days after shipment: a discrepancy under UCP 600 unless the L/C allows
    longer (the card says so; the bank decides)."""
    return bool(bl.release_method == ReleaseMethod.BANK and bl.issued_on and bl.released_on
                and (bl.released_on - bl.issued_on).days > PRESENTATION_DAYS)


def _release_errors(bl, orders, method, released_to, verification, courier, tracking_number, on) -> dict:
    errors = {}
    if method not in ReleaseMethod.values:
        errors["method"] = _("Choose how the goods are released.")
    elif method == ReleaseMethod.COURIER and not (courier.strip() and tracking_number.strip()):
        errors["tracking_number"] = _("Enter the courier and its tracking number.")
    elif method == ReleaseMethod.BANK and not all(o.balance_condition in LC_OR_COLLECTION for o in orders):
        errors["method"] = _("Documents go to the bank under an L/C or a collection (D/P, D/A) only.")
    elif method in (ReleaseMethod.TELEX, ReleaseMethod.WAYBILL) and not verification.strip():
        errors["verification"] = _("Say how the release request was verified (e.g. a call back on the number "
                                   "you already had for the customer): forged release requests are a known fraud.")
    if not released_to.strip():
        errors["released_to"] = _("Say to whom: the customer, the carrier or forwarder, or the bank.")
    if on > timezone.localdate() or (bl.copy_sent_on and on < bl.copy_sent_on):
        errors["on"] = _("The release is dated between the copy and today.")
    if method != ReleaseMethod.BANK:
        for order in orders:
            answer = may_release(order)
            if not answer.allowed:
                errors.setdefault("method", []).append(f"{order.number}: {answer.reason}")
    return errors


def shipment_orders(shipment: Shipment) -> list[SalesOrder]:
    """The orders whose goods are on the shipment, by number (with their customer and plan)."""
    return list(SalesOrder.objects.filter(lines__shipment_lines__shipment=shipment).distinct()
                .select_related("customer", "plan").order_by("number"))


# ---------------------------------------------------------------- tracking


@transaction.atomic
def tracking_record(*, shipment: Shipment, by, status: str, happened_on: date | None, place: str = "",
                    note: str = "", today: date | None = None) -> TrackingEvent:
    """Where the goods are. Arrival is each order's actual ETA (its plan re-planned); delivery is the customer
    receiving the goods, which starts the follow-ups after it (quality, reorder)."""
    require_perm(by, "shipping.change_shipment")
    _require_visible(by, shipment)
    today = today or timezone.localdate()
    if errors := tracking_errors(shipment, status, happened_on, today):
        raise ValidationError(errors)
    event = TrackingEvent(shipment=shipment, status=status, happened_on=happened_on, place=place.strip()[:100],
                          note=note.strip()[:300], recorded_by=by)
    insert_with_history([event], by=by)
    for plan in _active_plans(shipment):
        if status == TrackingStatus.ARRIVED:
            plan_set_shipping_dates(plan=plan, by=by, etd=plan.etd, eta=happened_on, version=plan.version)
        elif status == TrackingStatus.DELIVERED:
            plan_record_event(plan=plan, by=by, event=PlanEvent.GOODS_RECEIVED, on=happened_on, today=today)
    return event


def tracking_errors(shipment: Shipment, status: str, happened_on: date | None, today: date) -> dict:
    errors = {}
    if status not in TrackingStatus.values:
        errors["status"] = _("Choose what happened.")
    if shipment.status != ShipmentStatus.SHIPPED:
        errors["shipment"] = _("Only goods that have left are tracked.")
    if happened_on is None:
        errors["happened_on"] = _("Enter the date.")
    elif happened_on > today:
        errors["happened_on"] = _("It cannot have happened in the future.")
    elif shipment.shipped_on and happened_on < shipment.shipped_on:
        errors["happened_on"] = _("The goods left on %(day)s: it cannot have happened before.") % {
            "day": shipment.shipped_on}
    return errors


# ---------------------------------------------------------------------------------------------- load plans

@transaction.atomic
def load_plan_request(*, shipment: Shipment, by, container_types: list[str], time_limit, stops=None) -> LoadPlan:
    """Ask the worker to plan how the shipment's cartons go into containers of these types (codes of active
    container types), searching at most `time_limit` seconds (1–60) in all; `stops` {order id: stop number} puts
    each order's cartons in the unloading group of its stop. Nothing is saved when anything is wrong."""
    require_perm(by, "shipping.change_shipment")
    errors = {}
    limit = _whole(time_limit)
    if limit is None or not 1 <= limit <= 60:
        errors["time_limit"] = _("Give the planner 1 to 60 seconds.")
    offered = list(ContainerType.objects.filter(is_active=True, code__in=container_types or []))
    if not offered:
        errors["container_types"] = _("Choose at least one container type.")
    elif len({c.currency for c in offered}) > 1:
        errors["container_types"] = _("The container types chosen have rates in different currencies.")
    lines = list(shipment.lines.select_related("order_line__order", "order_line__product"))
    stops_by_order = _stops(lines, stops or {}, errors)
    if errors:
        raise ValidationError(errors)
    cargo = cargo_of(lines, stops_by_order)
    check_doors(lines, cargo, [planner_container(c) for c in offered])
    load_plan = LoadPlan(shipment=shipment, requested_by=by, time_limit=limit,
                         container_types=[c.code for c in offered],
                         stops={str(order): stop for order, stop in stops_by_order.items()},
                         currency=offered[0].currency)
    insert_with_history([load_plan], by=by)
    from gendan.shipping.tasks import plan_load

    transaction.on_commit(lambda: plan_load.enqueue(load_plan.pk))
    return load_plan


def _whole(value) -> int | None:
    try:
        number = Decimal(str(value).strip())
    except (ArithmeticError, ValueError):
        return None
    return int(number) if number == number.to_integral_value() else None


def _stops(lines, stops: dict, errors: dict) -> dict[int, int]:
    """{order id: stop} for the shipment's orders, 1 where none is given; errors under `stops.<order number>`."""
    out = {}
    for order in sorted({line.order_line.order for line in lines}, key=lambda o: o.number):
        given = stops.get(order.pk, stops.get(str(order.pk), 1))
        stop = _whole(given if given not in (None, "") else 1)
        if stop is None or not 1 <= stop <= 99:
            errors[f"stops.{order.number}"] = _("%(order)s: the stop is a whole number from 1 (unloaded first) "
                                                "to 99.") % {"order": order.number}
        else:
            out[order.pk] = stop
    return out


@transaction.atomic
def container_type_save(*, container_type: ContainerType, by, version: int | None = None) -> ContainerType:
    """A new or changed container type (validated by the caller's form); managers only."""
    require_perm(by, "shipping.change_containertype" if container_type.pk else "shipping.add_containertype")
    container_type.code = container_type.code.strip().upper()
    container_type.currency = container_type.currency.strip().upper()
    container_type._history_user = by
    if container_type.pk:
        take_version(container_type, version)
    container_type.save()
    return container_type


@transaction.atomic
def lcl_rate_save(*, lcl_rate: LclRate, by, version: int | None = None) -> LclRate:
    require_perm(by, "shipping.change_lclrate")
    lcl_rate.currency = lcl_rate.currency.strip().upper()
    lcl_rate._history_user = by
    if lcl_rate.pk:
        take_version(lcl_rate, version)
    lcl_rate.save()
    return lcl_rate
