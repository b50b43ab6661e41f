import django_filters
from django.utils.translation import gettext_lazy as _

from gendan.catalog.models import CustomerItem, Product
from gendan.catalog.selectors import customer_items_visible_to
from gendan.core.filters import StyledFilterSet
from gendan.parties.models import Supplier


class ProductFilter(StyledFilterSet):
    q = django_filters.CharFilter(method="search", label=_("Search"))
    default_supplier = django_filters.ModelChoiceFilter(queryset=Supplier.objects.all(), label=_("Supplier"))
    is_active = django_filters.BooleanFilter(label=_("Active"))
    ordering = django_filters.OrderingFilter(
        fields=["code", "name_en", "hs_code", "created_at"],
        field_labels={"code": _("Code"), "name_en": _("Name"), "hs_code": _("HS code"), "created_at": _("Created")},
    )

    class Meta:
        model = Product
        fields = ["q", "default_supplier", "is_active"]

    def search(self, queryset, name, value):
        user = getattr(self.request, "user", None)
        items = customer_items_visible_to(user=user) if user else CustomerItem.objects.none()
        return queryset.search(value.strip(), customer_items=items)
