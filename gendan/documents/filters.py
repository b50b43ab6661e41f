import django_filters
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from gendan.core.filters import StyledFilterSet
from gendan.documents.choices import DocumentKind
from gendan.documents.models import Document


class DocumentFilter(StyledFilterSet):
    q = django_filters.CharFilter(method="search", label=_("Search"))
    kind = django_filters.ChoiceFilter(choices=DocumentKind.choices, label=_("Document"))
    sent = django_filters.BooleanFilter(field_name="sent_at", lookup_expr="isnull", exclude=True, label=_("Sent"))
    made_from = django_filters.DateFilter(field_name="generated_at", lookup_expr="date__gte", label=_("Made from"))
    made_to = django_filters.DateFilter(field_name="generated_at", lookup_expr="date__lte", label=_("Made to"))

    class Meta:
        model = Document
        fields = ["q", "kind", "sent", "made_from", "made_to"]

    def search(self, queryset, name, value):
        value = value.strip()
        return queryset.filter(Q(number__icontains=value) | Q(order__number__icontains=value)
                               | Q(order__customer_po__icontains=value) | Q(customer__code__icontains=value)
                               | Q(customer__name_en__icontains=value) | Q(customer__name_zh__icontains=value))
