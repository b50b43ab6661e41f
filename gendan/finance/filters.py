import django_filters
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from gendan.accounts.models import User
from gendan.core.filters import StyledFilterSet
from gendan.finance.choices import ExpenseKind, Gate, ReceiptStatus
from gendan.finance.models import Expense, GateException, Receipt
from gendan.parties.models import Customer
from gendan.sales.models import SalesOrder


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


class ExpenseFilter(StyledFilterSet):
    q = django_filters.CharFilter(method="search", label=_("Search"))
    kind = django_filters.ChoiceFilter(choices=ExpenseKind.choices, label=_("Kind"))
    customer = django_filters.ModelChoiceFilter(field_name="order__customer", label=_("Customer"),
                                                queryset=Customer.objects.order_by("code"))
    state = django_filters.ChoiceFilter(method="by_state", label=_("State"), choices=[
        ("counted", _("Counted")), ("void", _("Voided"))])
    incurred_from = django_filters.DateFilter(field_name="incurred_on", lookup_expr="gte", label=_("From"))
    incurred_to = django_filters.DateFilter(field_name="incurred_on", lookup_expr="lte", label=_("To"))
    ordering = django_filters.OrderingFilter(fields=[("incurred_on", "incurred_on"), ("amount", "amount")],
                                             field_labels={"incurred_on": _("Date"), "amount": _("Amount")})

    class Meta:
        model = Expense
        fields = ["q", "kind", "customer", "state", "incurred_from", "incurred_to"]

    def search(self, queryset, name, value):
        value = value.strip()
        return queryset.filter(Q(order__number__icontains=value) | Q(reference__icontains=value)
                               | Q(payee__icontains=value) | Q(supplier__name_zh__icontains=value))

    def by_state(self, queryset, name, value):
        return queryset.filter(voided_at__isnull=value == "counted")


class ProfitFilter(StyledFilterSet):
    """The profit page's orders: confirmed and on, by customer, salesperson and order date."""

    q = django_filters.CharFilter(field_name="number", lookup_expr="icontains", label=_("Order no."))
    customer = django_filters.ModelChoiceFilter(queryset=Customer.objects.order_by("code"), label=_("Customer"))
    salesperson = django_filters.ModelChoiceFilter(queryset=User.objects.filter(sales_orders__isnull=False)
                                                   .distinct().order_by("username"), label=_("Salesperson"))
    ordered_from = django_filters.DateFilter(field_name="order_date", lookup_expr="gte", label=_("Ordered from"))
    ordered_to = django_filters.DateFilter(field_name="order_date", lookup_expr="lte", label=_("Ordered to"))
    # applied by the view once the profit is worked out (`PROFIT_ORDERING`): it sorts by figures the query computes
    ordering = django_filters.ChoiceFilter(method="later", label=_("Sort by"), empty_label=_("Newest orders"), choices=[
        ("profit", _("Profit, lowest first")), ("-profit", _("Profit, highest first")),
        ("-revenue", _("Revenue, highest first"))])

    class Meta:
        model = SalesOrder
        fields = ["q", "customer", "salesperson", "ordered_from", "ordered_to"]

    def later(self, queryset, name, value):
        return queryset


PROFIT_ORDERING = {"": ["-order_date", "-number"], "profit": ["profit_cny", "-number"],
                   "-profit": ["-profit_cny", "-number"], "-revenue": ["-revenue_cny", "-number"]}


class GateExceptionFilter(StyledFilterSet):
    """Exceptions by gate and by whether they let an order through today."""

    q = django_filters.CharFilter(method="search", label=_("Search"))
    gate = django_filters.ChoiceFilter(choices=Gate.choices, label=_("Gate"))
    state = django_filters.ChoiceFilter(choices=[("active", _("In force")), ("expired", _("Expired")),
                                                 ("revoked", _("Revoked"))], method="by_state", label=_("State"))
    ordering = django_filters.OrderingFilter(fields=[("granted_at", "granted_at"), ("expires_on", "expires_on")],
                                             field_labels={"granted_at": _("Granted"), "expires_on": _("Expires")})

    class Meta:
        model = GateException
        fields = ["q", "gate", "state"]

    def search(self, queryset, name, value):
        value = value.strip()
        return queryset.filter(Q(order__number__icontains=value) | Q(order__customer__code__icontains=value)
                               | Q(reason__icontains=value))

    def by_state(self, queryset, name, value):
        today = timezone.localdate()
        if value == "revoked":
            return queryset.filter(revoked_at__isnull=False)
        live = queryset.filter(revoked_at__isnull=True)
        if value == "expired":
            return live.filter(expires_on__lt=today)
        return live.filter(Q(expires_on__isnull=True) | Q(expires_on__gte=today))
