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
from gendan.core.concurrency import take_version
from gendan.core.numbering import next_number
from gendan.core.permissions import require_perm
from gendan.core.states import transition
from gendan.sales.choices import OrderStatus
from gendan.sales.models import SalesOrderLine
from gendan.sales.selectors import order_list_visible_to
from gendan.sales.services import order_ship
from gendan.shipping.choices import ShipmentMode, ShipmentStatus
from gendan.shipping.loading import cargo_of, check_doors, planner_container
from gendan.shipping.models import ContainerType, LclRate, LoadPlan, Shipment, ShipmentLine

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
