import django_filters
from django.utils.translation import gettext_lazy as _

from gendan.core.filters import StyledFilterSet
from gendan.finance.choices import ReceiptStatus
from gendan.finance.models import Receipt
from gendan.parties.models import Customer


class ReceiptFilter(StyledFilterSet):
    q = django_filters.CharFilter(method="search", label=_("Search"))
    customer = django_filters.ModelChoiceFilter(queryset=Customer.objects.order_by("code"), label=_("Customer"))
    status = django_filters.ChoiceFilter(choices=ReceiptStatus.choices, label=_("Status"))
    received_from = django_filters.DateFilter(field_name="received_on", lookup_expr="gte", label=_("Received from"))
    received_to = django_filters.DateFilter(field_name="received_on", lookup_expr="lte", label=_("Received to"))

    class Meta:
        model = Receipt
        fields = ["q", "customer", "status", "received_from", "received_to"]

    def search(self, queryset, name, value):
        value = value.strip()
        return queryset.filter(number__icontains=value) | queryset.filter(reference__icontains=value)
