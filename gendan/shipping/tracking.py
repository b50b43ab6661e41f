"""The customer's tracking link: issue (a new one replaces any link still open), revoke, and read what it shows —
the order's key steps and its shipments as the customer may see them, with no prices, costs, notes or other
orders. A token that is wrong, tampered with, revoked or expired finds nothing (404), telling nothing."""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from datetime import date, timedelta

from django.core import signing
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from gendan.core.bulk import insert_with_history, update_with_history
from gendan.followup.selectors import may_notify_customer
from gendan.sales.choices import OrderStatus
from gendan.sales.models import OrderEvent, SalesOrder
from gendan.sales.selectors import order_list_visible_to
from gendan.shipping.choices import ShipmentStatus, TrackingStatus
from gendan.shipping.models import Shipment, TrackingEvent, TrackingLink

SALT = "gendan.shipping.tracking"
LONGEST_DAYS = 365


def token_of(link: TrackingLink) -> str:
    return signing.dumps([link.pk, link.nonce], salt=SALT, compress=True)


def link_for_token(token: str, today: date | None = None) -> TrackingLink | None:
    """The live link a token stands for, or None (bad signature, revoked, expired, another nonce)."""
    try:
        pk, nonce = signing.loads(token, salt=SALT)
    except (signing.BadSignature, ValueError, TypeError):
        return None
    today = today or timezone.localdate()
    return TrackingLink.objects.filter(pk=pk, nonce=nonce, revoked_at__isnull=True,
                                       expires_on__gte=today).select_related("order__customer").first()


def _require(by, order: SalesOrder) -> None:
    if not order_list_visible_to(user=by).filter(pk=order.pk).exists() or not may_notify_customer(by, order):
        raise PermissionDenied(_("Only the order's salesperson, merchandiser or a manager may do this."))


@transaction.atomic
def tracking_link_issue(*, order: SalesOrder, by, days: int = 90) -> TrackingLink:
    """A link for the customer, good for `days`; a link still open for the order is revoked (one live link)."""
    _require(by, order)
    if order.status in (OrderStatus.DRAFT, OrderStatus.UNDER_REVIEW, OrderStatus.CANCELLED):
        raise ValidationError({"order": _("Only a confirmed order can be followed by the customer.")})
    if not 1 <= days <= LONGEST_DAYS:
        raise ValidationError({"days": _("A link lasts from 1 to %(days)s days.") % {"days": LONGEST_DAYS}})
    _revoke_open(order, by)
    link = TrackingLink(order=order, nonce=secrets.token_hex(16), created_by=by,
                        expires_on=timezone.localdate() + timedelta(days=days))
    insert_with_history([link], by=by)
    return link


@transaction.atomic
def tracking_link_revoke(*, order: SalesOrder, by) -> int:
    _require(by, order)
    return _revoke_open(order, by)


def _revoke_open(order: SalesOrder, by) -> int:
    open_links = TrackingLink.objects.filter(order=order, revoked_at__isnull=True)
    return update_with_history(open_links, by=by, revoked_at=timezone.now(), revoked_by=by)


@dataclass(frozen=True)
class Node:
    """A key step as the customer reads it."""

    code: str
    label: str
    on: date | None
    done: bool
    detail: str = ""


def customer_view(order: SalesOrder, *, language: str = "en", prices: bool = False) -> dict:
    """What the tracking page shows: the order's key steps (confirmed, production started, ready, shipped with
    ETD/ETA, arrived), its goods (with prices only when the company chooses so) and its shipments' sailing
    details — read here field by field, so nothing else leaks."""
    events = dict(OrderEvent.objects.filter(order=order, kind="status").values_list("new_status", "at"))
    shipments = list(Shipment.objects.filter(lines__order_line__order=order, status=ShipmentStatus.SHIPPED)
                     .distinct().select_related("booking__port_of_loading", "booking__port_of_discharge",
                                                "bill_of_lading")
                     .prefetch_related("containers", "tracking_events").order_by("shipped_on", "pk"))
    arrived = TrackingEvent.objects.filter(shipment__in=shipments, status=TrackingStatus.ARRIVED).order_by(
        "happened_on").values_list("happened_on", flat=True).first()

    def when(status):
        moment = events.get(status)
        return timezone.localtime(moment).date() if moment else None

    shipped_on = shipments[0].shipped_on if shipments else None
    nodes = [
        Node("confirmed", _("Order confirmed"), when(OrderStatus.CONFIRMED), order.status != OrderStatus.DRAFT),
        Node("production", _("Production started"), when(OrderStatus.IN_PRODUCTION),
             when(OrderStatus.IN_PRODUCTION) is not None),
        Node("ready", _("Goods ready"), when(OrderStatus.READY_TO_SHIP), when(OrderStatus.READY_TO_SHIP) is not None),
        Node("shipped", _("Shipped"), shipped_on, shipped_on is not None),
        Node("arrived", _("Arrived"), arrived, arrived is not None),
    ]
    return {
        "current": next((node.code for node in reversed(nodes) if node.done), ""),  # steps before it read as done
        "order": {"number": order.number, "customer_po": order.customer_po, "incoterm": order.incoterm,
                  "incoterm_place": order.incoterm_place, "customer": order.customer.name_en,
                  "ex_factory": order.confirmed_ex_factory},
        "nodes": nodes,
        "goods": _goods(order, language, prices), "prices": prices, "currency": order.currency,
        "total": order.total_amount if prices else None,
        "shipments": [_shipment_row(shipment, language) for shipment in shipments],
    }


def _goods(order: SalesOrder, language: str, prices: bool) -> list[dict]:
    return [{"code": line.customer_item_no or line.product.code,
             "description": line.description or (line.product.name_zh if language.startswith("zh")
                                                 and line.product.name_zh else line.product.name_en),
             "quantity": line.quantity, "unit": line.get_unit_display(),
             "price": line.unit_price if prices else None, "amount": line.amount if prices else None}
            for line in order.lines.select_related("product").order_by("position")]


def _shipment_row(shipment: Shipment, language: str) -> dict:
    booking = getattr(shipment, "booking", None)
    bl = getattr(shipment, "bill_of_lading", None)
    return {"number": shipment.number, "mode": shipment.get_mode_display(), "shipped_on": shipment.shipped_on,
            "vessel": booking and " / ".join(filter(None, [booking.vessel, booking.voyage])),
            "route": booking and (f"{booking.port_of_loading.name_in(language)} → "
                                  f"{booking.port_of_discharge.name_in(language)}"),
            "etd": booking and booking.etd, "eta": booking and booking.eta,
            "bl_number": bl.number if bl else "",
            "containers": [c.container_number for c in shipment.containers.all()],
            "events": [(event.get_status_display(), event.happened_on, event.place)  # never the internal note
                       for event in shipment.tracking_events.all()]}
