"""Read queries on shipments, within what the user may see: a shipment is visible to whoever sees its orders."""

import math
from collections import defaultdict
from decimal import Decimal

from django.db.models import QuerySet, Sum

from gendan.sales.models import SalesOrderLine
from gendan.sales.selectors import order_list_visible_to
from gendan.shipping.models import LoadedLine, Shipment, ShipmentLine
from gendan.shipping.services import READY, quantities_on_shipments


def shipment_list_visible_to(*, user) -> QuerySet[Shipment]:
    if not user.has_perm("shipping.view_shipment"):
        return Shipment.objects.none()
    orders = order_list_visible_to(user=user).values("pk")
    return Shipment.objects.filter(lines__order_line__order__in=orders).distinct().select_related(
        "customer", "created_by")


def ready_lines(*, user, customer) -> list[SalesOrderLine]:
    """The customer's order lines with goods left to ship (each with `ordered`, `taken` and `left`), on orders
    ready to ship that the user sees."""
    lines = list(SalesOrderLine.objects.filter(
        order__in=order_list_visible_to(user=user).filter(customer=customer, status__in=READY)
    ).select_related("order", "product").order_by("order__number", "position"))
    taken = quantities_on_shipments(lines)
    for line in lines:
        line.taken = taken[line.pk]
        line.left = max(line.quantity - line.taken, Decimal(0))
    return [line for line in lines if line.left > 0]


def order_shipments(order) -> list[Shipment]:
    """The order's shipments (newest first), each with `this_order`: how much of the order's goods it carries."""
    shipments = list(Shipment.objects.filter(lines__order_line__order=order).distinct().select_related(
        "booking__port_of_loading", "booking__port_of_discharge").order_by("-created_at", "-pk"))
    carried = dict(ShipmentLine.objects.filter(shipment__in=shipments, order_line__order=order).values(
        "shipment").annotate(total=Sum("quantity")).values_list("shipment", "total").order_by())
    for shipment in shipments:
        shipment.this_order = carried.get(shipment.pk, Decimal(0))
    return shipments


def loading_differences(shipment) -> list[dict]:
    """Per shipment line: what the shipment carries against what the containers hold, units and cartons (the
    cartons a line needs from its product's units per carton). `differs` flags a line loaded short, or in
    another number of cartons than its packing gives."""
    loaded = defaultdict(lambda: [Decimal(0), 0])
    for row in LoadedLine.objects.filter(container__shipment=shipment).values("shipment_line").annotate(
            units=Sum("quantity"), cartons=Sum("cartons")).order_by():
        loaded[row["shipment_line"]] = [row["units"], row["cartons"]]
    rows = []
    for line in shipment.lines.select_related("order_line__order", "order_line__product").order_by("pk"):
        units, cartons = loaded[line.pk]
        expected = math.ceil(line.quantity / line.order_line.product.units_per_carton)
        rows.append({"line": line, "units": units, "cartons": cartons, "expected_cartons": expected,
                     "differs": units != line.quantity or (units == line.quantity and cartons != expected)})
    return rows
