import django_filters
from django.contrib.auth import get_user_model
from django.utils.translation import gettext_lazy as _
from django_countries import countries

from gendan.core.filters import StyledFilterSet
from gendan.parties.choices import CustomerGrade, SupplierKind
from gendan.parties.models import Customer, Supplier


class CustomerFilter(StyledFilterSet):
    q = django_filters.CharFilter(method="search", label=_("Search"))
    country = django_filters.ChoiceFilter(choices=countries, label=_("Country"))
    grade = django_filters.ChoiceFilter(choices=CustomerGrade.choices, label=_("Grade"))
    owner = django_filters.ModelChoiceFilter(queryset=get_user_model().objects.all(), label=_("Salesperson"))
    ordering = django_filters.OrderingFilter(
        fields=["code", "name_en", "country", "grade", "created_at"],
        field_labels={"code": _("Code"), "name_en": _("Name"), "country": _("Country"), "grade": _("Grade"),
                      "created_at": _("Created")},
    )

    class Meta:
        model = Customer
        fields = ["q", "country", "grade", "owner"]

    def __init__(self, *args, queryset=None, **kwargs):
        super().__init__(*args, queryset=queryset, **kwargs)
        if queryset is not None:  # the countries of the customers listed, not all 250
            present = set(queryset.order_by().values_list("country", flat=True).distinct())
            self.filters["country"].extra["choices"] = [(code, name) for code, name in countries if code in present]

    def search(self, queryset, name, value):
        return queryset.search(value.strip())


class SupplierFilter(StyledFilterSet):
    q = django_filters.CharFilter(method="search", label=_("Search"))
    kind = django_filters.ChoiceFilter(choices=SupplierKind.choices, label=_("Kind"))

    class Meta:
        model = Supplier
        fields = ["q", "kind"]

    def search(self, queryset, name, value):
        from django.db.models import Q

        value = value.strip()
        return queryset.filter(Q(code__icontains=value) | Q(name_zh__icontains=value) | Q(name_en__icontains=value))
