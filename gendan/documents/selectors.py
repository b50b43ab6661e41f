"""Which documents a user may see: those of orders they see and of shipments of those orders, and statements of
customers they see."""

from django.db.models import Q, QuerySet

from gendan.documents.models import Document
from gendan.parties.selectors import customer_list_visible_to
from gendan.sales.selectors import order_list_visible_to
from gendan.shipping.models import ShipmentLine


def document_list_visible_to(*, user) -> QuerySet[Document]:
    documents = Document.objects.select_related("customer", "order", "shipment", "generated_by", "sent_by")
    if not user.has_perm("documents.view_document"):
        return documents.none()
    if user.has_perm("sales.view_all_orders") and user.has_perm("parties.view_all_customers"):
        return documents
    orders = order_list_visible_to(user=user).values("pk")
    return documents.filter(
        Q(order__in=orders)
        | Q(shipment__in=ShipmentLine.objects.filter(order_line__order__in=orders).values("shipment"))
        | Q(order__isnull=True, shipment__isnull=True,
            customer__in=customer_list_visible_to(user=user).values("pk")))


def documents_of_order(order) -> QuerySet[Document]:
    """The order's own documents and those of the shipments its goods go on."""
    shipments = ShipmentLine.objects.filter(order_line__order=order).values("shipment")
    return Document.objects.filter(Q(order=order) | Q(shipment__in=shipments))


def series_of(documents) -> list[tuple[Document, list[Document]]]:
    """Each series (a kind and number) as its latest version and the older ones, newest first."""
    series: dict[tuple[str, str], list[Document]] = {}
    for document in sorted(documents, key=lambda d: (d.kind, d.number, -d.version)):
        series.setdefault((document.kind, document.number), []).append(document)
    return [(versions[0], versions[1:]) for versions in series.values()]


def shipment_documents_of(*, shipment, user) -> dict:
    """What the shipment page's documents card shows: per kind its series (latest and older versions), and
    whether the user may make them (shipping's people; finance sees them only)."""
    from gendan.documents.choices import DocumentKind
    from gendan.shipping.choices import ShipmentStatus

    kinds = (DocumentKind.COMMERCIAL_INVOICE, DocumentKind.PACKING_LIST, DocumentKind.SHIPPING_MARKS,
             DocumentKind.SHIPPING_NOTICE)
    documents = list(shipment.documents.select_related("generated_by"))
    return {
        "kinds": [{"kind": kind.value, "label": kind.label,
                   "series": series_of([d for d in documents if d.kind == kind])} for kind in kinds],
        "may_make": shipment.status != ShipmentStatus.CANCELLED and user.has_perm("documents.add_document")
        and user.has_perm("shipping.change_shipment"),
    }
