import django_filters
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from gendan.core.filters import StyledFilterSet
from gendan.documents.choices import DocumentKind
from gendan.documents.models import Document


class DocumentFilter(StyledFilterSet):
    q = django_filters.CharFilter(method="search", label=_("Search"))
    kind = django_filters.ChoiceFilter(choices=DocumentKind.choices, label=_("Document"))
    sent = django_filters.ChoiceFilter(choices=[("yes", _("Sent")), ("no", _("Not sent"))], method="by_sent",
                                       label=_("Sent"))
    made_from = django_filters.DateFilter(field_name="generated_at", lookup_expr="date__gte", label=_("Made from"))
    made_to = django_filters.DateFilter(field_name="generated_at", lookup_expr="date__lte", label=_("Made to"))
    ordering = django_filters.OrderingFilter(
        fields=[("generated_at", "generated_at"), ("number", "number"), ("customer__code", "customer")],
        field_labels={"generated_at": _("Made"), "number": _("Number"), "customer__code": _("Customer")},
    )

    class Meta:
        model = Document
        fields = ["q", "kind", "sent", "made_from", "made_to"]

    def by_sent(self, queryset, name, value):
        return queryset.filter(sent_at__isnull=value == "no")

    def search(self, queryset, name, value):
        value = value.strip()
        return queryset.filter(Q(number__icontains=value) | Q(order__number__icontains=value)
                               | Q(shipment__number__icontains=value)
                               | Q(order__customer_po__icontains=value) | Q(customer__code__icontains=value)
                               | Q(customer__name_en__icontains=value) | Q(customer__name_zh__icontains=value))
