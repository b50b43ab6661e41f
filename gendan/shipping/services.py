"""Shipments, each operation one transaction. A shipment takes ready goods of one customer's orders (partial
quantities allowed); what its lines and the other open shipments take never exceeds what an order line asks for
(the order lines are locked while it is checked, so two merchandisers cannot ship the same goods twice).
Shipping moves each order to partially shipped or shipped through the sales services, where the money gate
holds (an exception lets an order through)."""

from __future__ import annotations

from collections import defaultdict
from datetime import date
from decimal import Decimal

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Sum
from django.utils import timezone
from django.utils.translation import gettext as _

from gendan.core.bulk import insert_with_history
from gendan.core.concurrency import save_first_version, take_version
from gendan.core.numbering import next_number
from gendan.core.permissions import require_perm
from gendan.core.records import field_errors
from gendan.core.states import transition
from gendan.followup.choices import PlanStatus
from gendan.followup.models import Plan
from gendan.followup.services import plan_follow_booking
from gendan.parties.choices import SupplierKind
from gendan.sales.choices import OrderStatus
from gendan.sales.models import SalesOrderLine
from gendan.sales.selectors import order_list_visible_to
from gendan.sales.services import order_ship
from gendan.shipping.choices import ShipmentMode, ShipmentStatus
from gendan.shipping.models import Booking, Shipment, ShipmentLine

READY = (OrderStatus.READY_TO_SHIP, OrderStatus.PARTIALLY_SHIPPED)  # goods that may be put on a shipment
ZERO = Decimal(0)


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
