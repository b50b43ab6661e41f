import django_filters
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from gendan.core.filters import StyledFilterSet
from gendan.shipping.choices import ShipmentMode, ShipmentStatus
from gendan.shipping.models import Shipment


class ShipmentFilter(StyledFilterSet):
    q = django_filters.CharFilter(method="search", label=_("Search"))
    status = django_filters.ChoiceFilter(choices=ShipmentStatus.choices, label=_("Status"))
    mode = django_filters.ChoiceFilter(choices=ShipmentMode.choices, label=_("Mode"))

    class Meta:
        model = Shipment
        fields = ["q", "status", "mode"]

    def search(self, queryset, name, value):
        value = value.strip()
        return queryset.filter(Q(number__icontains=value) | Q(customer__code__icontains=value)
                               | Q(lines__order_line__order__number__icontains=value)).distinct()
