import django_filters
from django.contrib.auth import get_user_model
from django.utils.translation import gettext_lazy as _

from gendan.accounts.roles import Role
from gendan.core.filters import StyledFilterSet
from gendan.parties.forms import people_with_role
from gendan.parties.models import Customer
from gendan.parties.selectors import customer_list_visible_to
from gendan.sales.choices import OrderStatus
from gendan.sales.models import SalesOrder

ORDERINGS = (
    ("number", _("Order no.")),
    ("order_date", _("Order date")),
    ("confirmed_ex_factory", _("Ex-factory")),
    ("customer__code", _("Customer")),
    ("total_amount", _("Total")),
    ("status", _("Status")),
)


class OrderFilter(StyledFilterSet):
    """The order list's filters; the HTML list, its XLSX export and the API share them."""

    q = django_filters.CharFilter(method="search", label=_("Search"))
    status = django_filters.MultipleChoiceFilter(choices=OrderStatus.choices, label=_("Status"))
    customer = django_filters.ModelChoiceFilter(queryset=Customer.objects.all(), label=_("Customer"))
    salesperson = django_filters.ModelChoiceFilter(queryset=get_user_model().objects.all(), label=_("Salesperson"))
    merchandiser = django_filters.ModelChoiceFilter(
        queryset=get_user_model().objects.all(), label=_("Merchandiser")
    )
    order_date_from = django_filters.DateFilter(field_name="order_date", lookup_expr="gte", label=_("Ordered from"))
    order_date_to = django_filters.DateFilter(field_name="order_date", lookup_expr="lte", label=_("Ordered to"))
    ordering = django_filters.OrderingFilter(fields=[f for f, _l in ORDERINGS], field_labels=dict(ORDERINGS))

    class Meta:
        model = SalesOrder
        fields = ["q", "status", "customer", "salesperson", "merchandiser"]

    def __init__(self, *args, request=None, **kwargs):
        super().__init__(*args, request=request, **kwargs)
        # Offer (and accept) only what the user may see; people by their role.
        if request is not None:
            self.filters["customer"].queryset = customer_list_visible_to(user=request.user)
        self.filters["salesperson"].queryset = people_with_role(Role.SALES, Role.SALES_MANAGER, Role.GENERAL_MANAGER)
        self.filters["merchandiser"].queryset = people_with_role(Role.MERCHANDISER)

    def search(self, queryset, name, value):
        return queryset.search(value.strip())
