"""Key-step notices to the customer (seed 004): order confirmed, production started, goods ready — per order —
and the shipping advice and arrival — per shipment. Each is drafted in the customer's document language from
what the system knows, edited by the merchandiser, then emailed (the shipping advice with the shipment's latest
commercial invoice and packing list attached) or recorded as sent another way, and logged on the orders. The
shipping advice completes each order's `shipping_advice` milestone."""

from __future__ import annotations

from datetime import date

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.mail import EmailMessage
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from gendan.core.errors import ConcurrentChange
from gendan.documents.choices import DocumentKind
from gendan.documents.models import Document
from gendan.documents.services import document_render
from gendan.followup.choices import ActivityKind
from gendan.followup.selectors import may_notify_customer
from gendan.followup.services import activity_add, company_signature, plan_record_done, validate_email_address
from gendan.sales.choices import OrderStatus
from gendan.sales.models import SalesOrder
from gendan.sales.selectors import order_list_visible_to
from gendan.shipping.choices import ORDER_NODES, NoticeNode, NoticeStatus, ShipmentStatus, TrackingStatus
from gendan.shipping.models import CustomerNotice, Shipment, TrackingLink
from gendan.shipping.services import shipment_orders
from gendan.shipping.tracking import token_of

S = OrderStatus
# an order has reached a step once its status is one of these
REACHED = {
    NoticeNode.CONFIRMED: {S.CONFIRMED, S.IN_PRODUCTION, S.READY_TO_SHIP, S.PARTIALLY_SHIPPED, S.SHIPPED,
                           S.COMPLETED},
    NoticeNode.PRODUCTION_STARTED: {S.IN_PRODUCTION, S.READY_TO_SHIP, S.PARTIALLY_SHIPPED, S.SHIPPED, S.COMPLETED},
    NoticeNode.GOODS_READY: {S.READY_TO_SHIP, S.PARTIALLY_SHIPPED, S.SHIPPED, S.COMPLETED},
}
ATTACHED = (DocumentKind.COMMERCIAL_INVOICE, DocumentKind.PACKING_LIST)


def orders_of(notice_or_shipment) -> list[SalesOrder]:
    shipment = notice_or_shipment if isinstance(notice_or_shipment, Shipment) else notice_or_shipment.shipment
    return [notice_or_shipment.order] if shipment is None else shipment_orders(shipment)


def may_write(user, orders: list[SalesOrder]) -> bool:
    """The customer hears from the orders' salesperson, merchandiser or a manager (every order of a shipment)."""
    visible = set(order_list_visible_to(user=user).filter(pk__in=[o.pk for o in orders]).values_list("pk", flat=True))
    return bool(orders) and all(o.pk in visible and may_notify_customer(user, o) for o in orders)


def _require(by, orders: list[SalesOrder]) -> None:
    if not may_write(by, orders):
        raise PermissionDenied(_("Only the order's salesperson, merchandiser or a manager may write to the customer."))


def not_reached(node: str, *, order: SalesOrder | None = None, shipment: Shipment | None = None) -> str:
    """Why the step cannot be told yet ("" when it can)."""
    if node in ORDER_NODES:
        return "" if order.status in REACHED[node] else _("The order has not got this far yet.")
    if shipment.status != ShipmentStatus.SHIPPED:
        return _("The shipment has not left yet.")
    if node == NoticeNode.ARRIVED and not _arrival(shipment):
        return _("Record the arrival first (tracking).")
    return ""


def _arrival(shipment: Shipment):
    return shipment.tracking_events.filter(
        status__in=(TrackingStatus.ARRIVED, TrackingStatus.DELIVERED)).order_by("happened_on", "pk").first()


@transaction.atomic
def notice_draft(*, by, node: str, order: SalesOrder | None = None,
                 shipment: Shipment | None = None) -> CustomerNotice:
    """The draft of the step's notice, written from the order or shipment; the open draft if there is one."""
    if node not in NoticeNode.values:
        raise ValidationError({"node": _("Choose a step.")})
    per_order = node in ORDER_NODES
    if per_order != (order is not None) or per_order == (shipment is not None):
        raise ValidationError({"node": _("This step is told per order.") if per_order
                               else _("This step is told per shipment.")})
    orders = [order] if order else orders_of(shipment)
    _require(by, orders)
    if reason := not_reached(node, order=order, shipment=shipment):
        raise ValidationError({"node": reason})
    target = {"order": order} if node in ORDER_NODES else {"shipment": shipment}
    open_draft = CustomerNotice.objects.filter(node=node, status=NoticeStatus.DRAFT, **target).first()
    if open_draft:
        return open_draft
    customer = orders[0].customer
    language = customer.document_language or "en"
    documents = _documents(shipment) if node == NoticeNode.SHIPPED else []
    contacts = list(customer.contacts.exclude(email=""))
    with translation.override(language):
        context = {"node": node, "order": order, "orders": orders, "shipment": shipment, "sender": by,
                   "contact": contacts[0].name if contacts else "", "language": language,
                   "documents": documents, **_facts(node, orders, shipment, language), **company_signature(language)}
        subject = " ".join(render_to_string("shipping/notices/subject.txt", context).split())
        body = render_to_string("shipping/notices/body.txt", context).strip() + "\n"
    notice = CustomerNotice(node=node, customer=customer, status=NoticeStatus.DRAFT, language=language,
                            recipients=", ".join(c.email for c in contacts), subject=subject[:200], body=body,
                            created_by=by, **target)
    notice.full_clean()
    notice._history_user = by
    notice.save()
    notice.documents.set(documents)
    return notice


def _documents(shipment: Shipment) -> list[Document]:
    """The latest version of the shipment's commercial invoice and packing list."""
    latest = []
    for kind in ATTACHED:
        document = Document.objects.filter(shipment=shipment, kind=kind).order_by("-generated_at", "-pk").first()
        if document:
            latest.append(document)
    return latest


def _facts(node: str, orders: list[SalesOrder], shipment: Shipment | None, language: str) -> dict:
    if node in ORDER_NODES:
        order = orders[0]
        plan = getattr(order, "plan", None)
        return {"lines": list(order.lines.select_related("product")),
                "ex_factory": (plan.ex_factory if plan else None) or order.confirmed_ex_factory}
    booking = getattr(shipment, "booking", None)
    arrival = _arrival(shipment) if node == NoticeNode.ARRIVED else None
    return {
        "booking": booking, "bl": getattr(shipment, "bill_of_lading", None),
        "loading_port": booking.port_of_loading.name_in(language) if booking else "",
        "discharge_port": booking.port_of_discharge.name_in(language) if booking else "",
        "containers": list(shipment.containers.all()),
        "arrival": arrival, "tracking_urls": _tracking_urls(orders),
    }


def _tracking_urls(orders: list[SalesOrder]) -> list[tuple[str, str]]:
    today = timezone.localdate()
    links = TrackingLink.objects.filter(order__in=orders, revoked_at__isnull=True, expires_on__gte=today)
    return [(link.order.number, settings.GENDAN_SITE_URL.rstrip("/") + reverse("tracking_page", args=[token_of(link)]))
            for link in links.select_related("order").order_by("order__number")]


@transaction.atomic
def notice_update(*, notice: CustomerNotice, by, version: int, recipients: str, subject: str,
                  body: str) -> CustomerNotice:
    _require(by, orders_of(notice))
    locked = CustomerNotice.objects.select_for_update().get(pk=notice.pk)
    _still_draft(locked)
    if version != locked.version:
        raise ConcurrentChange(notice)
    notice.version = locked.version
    body = body.replace("\r\n", "\n")  # a browser sends CRLF, and the form strips the draft's last newline
    new = (recipients.strip(), subject.strip(), locked.body if body.strip() == locked.body.strip() else body)
    if new == (locked.recipients, locked.subject, locked.body):
        return notice  # sent as drafted: no change to record
    notice.recipients, notice.subject, notice.body = new
    notice.version += 1
    notice.full_clean()
    notice._history_user = by
    notice.save()
    return notice


def _still_draft(notice: CustomerNotice) -> None:
    if notice.status != NoticeStatus.DRAFT:
        raise ValidationError({"status": _("This notice has gone out already.")})


def notice_send(*, notice: CustomerNotice, by) -> CustomerNotice:
    """Email the notice with its documents (outside the transaction: a failed send leaves the draft as it was),
    then log it."""
    orders = orders_of(notice)
    _require(by, orders)
    _still_draft(notice)
    recipients = [address.strip() for address in notice.recipients.split(",") if address.strip()]
    if not recipients:
        raise ValidationError({"recipients": _("Give at least one email address.")})
    for address in recipients:
        validate_email_address(address)
    mail = EmailMessage(notice.subject, notice.body, settings.DEFAULT_FROM_EMAIL, recipients,
                        reply_to=[by.email] if by.email else None)
    for document in notice.documents.all():
        with document_render(document).pdf.open("rb") as pdf:
            mail.attach(document.filename("pdf"), pdf.read(), "application/pdf")
    mail.send()
    return _gone_out(notice, by, NoticeStatus.SENT, orders)


def notice_record(*, notice: CustomerNotice, by) -> CustomerNotice:
    """The notice went out another way (WeChat, phone, the customer's portal): record that it did."""
    orders = orders_of(notice)
    _require(by, orders)
    _still_draft(notice)
    return _gone_out(notice, by, NoticeStatus.RECORDED, orders)


@transaction.atomic
def _gone_out(notice: CustomerNotice, by, status: str, orders: list[SalesOrder]) -> CustomerNotice:
    locked = CustomerNotice.objects.select_for_update().get(pk=notice.pk)
    _still_draft(locked)  # two clicks at once: one notice goes out once
    notice.status, notice.sent_at, notice.sent_by, notice._history_user = status, timezone.now(), by, by
    notice.version += 1
    notice.save(update_fields=["status", "sent_at", "sent_by", "version"])
    on: date = timezone.localdate(notice.sent_at)
    for order in orders:
        activity_add(order=order, by=by, kind=ActivityKind.EMAIL, happened_at=notice.sent_at,
                     summary=_("Customer notice: %(step)s") % {"step": notice.get_node_display()},
                     details=f"{notice.get_status_display()} → {notice.recipients}\n\n{notice.subject}",
                     contact=notice.recipients[:100])
        if notice.node == NoticeNode.SHIPPED:
            plan_record_done(order=order, code="shipping_advice", by=by, on=on)
    return notice


def notices_of_order(order: SalesOrder):
    """The order's own notices and those of its shipments, newest first."""
    shipments = Shipment.objects.filter(lines__order_line__order=order).values("pk")
    return (CustomerNotice.objects.filter(order=order) | CustomerNotice.objects.filter(shipment__in=shipments)) \
        .select_related("sent_by", "created_by", "shipment").distinct()


def notice_rows(user, *, order: SalesOrder | None = None, shipment: Shipment | None = None) -> list[dict]:
    """The steps for a card: each with its notices, why it cannot be told yet, and whether the user may draft it."""
    nodes = ORDER_NODES if order else (NoticeNode.SHIPPED, NoticeNode.ARRIVED)
    notices = list(CustomerNotice.objects.filter(**({"order": order} if order else {"shipment": shipment}))
                   .select_related("sent_by").order_by("created_at", "pk"))
    allowed = may_write(user, [order] if order else orders_of(shipment))
    rows = []
    for node in nodes:
        mine = [n for n in notices if n.node == node]
        rows.append({"node": node, "label": NoticeNode(node).label, "notices": mine, "may_draft": allowed,
                     "has_draft": any(n.status == NoticeStatus.DRAFT for n in mine),
                     "waiting": not_reached(node, order=order, shipment=shipment)})
    return rows
