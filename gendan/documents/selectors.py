"""Which documents a user may see: those of orders they see, and statements of customers they see."""

from django.db.models import Q, QuerySet

from gendan.documents.models import Document
from gendan.parties.selectors import customer_list_visible_to
from gendan.sales.selectors import order_list_visible_to


def document_list_visible_to(*, user) -> QuerySet[Document]:
    documents = Document.objects.select_related("customer", "order", "generated_by", "sent_by")
    if not user.has_perm("documents.view_document"):
        return documents.none()
    if user.has_perm("sales.view_all_orders") and user.has_perm("parties.view_all_customers"):
        return documents
    return documents.filter(
        Q(order__in=order_list_visible_to(user=user).values("pk"))
        | Q(order__isnull=True, customer__in=customer_list_visible_to(user=user).values("pk")))


def series_of(documents) -> list[tuple[Document, list[Document]]]:
    """Each series (a kind and number) as its latest version and the older ones, newest first."""
    series: dict[tuple[str, str], list[Document]] = {}
    for document in sorted(documents, key=lambda d: (d.kind, d.number, -d.version)):
        series.setdefault((document.kind, document.number), []).append(document)
    return [(versions[0], versions[1:]) for versions in series.values()]
