"""The plan and milestone filters; the timeline page and the API share them, so a filter means the same
thing (and refuses the same values) wherever it is used."""


import django_filters
from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field

from gendan.accounts.roles import Role
from gendan.core.filters import StyledFilterSet
from gendan.core.validators import INT_COLUMN_MAX
from gendan.followup.choices import MilestoneStatus
from gendan.followup.models import Milestone, Plan
from gendan.followup.selectors import due_windows
from gendan.parties.forms import people_with_role
from gendan.parties.models import Customer
from gendan.parties.selectors import customer_list_visible_to


@extend_schema_field(OpenApiTypes.BOOL)
class OnlyFilter(django_filters.Filter):
    """A tick box that narrows the list when ticked ("only …") and shows everything when not; the page sends
    `on`, API clients `true` or `1`."""

    field_class = forms.BooleanField

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("widget", forms.CheckboxInput)
        super().__init__(*args, **kwargs)

    def filter(self, queryset, value):
        return super().filter(queryset, True) if value else queryset


@extend_schema_field({"type": "integer", "minimum": 1, "maximum": INT_COLUMN_MAX})
class IdFilter(django_filters.NumberFilter):
    """A record named by id: a whole number an id column can hold, else a 400 naming the parameter."""

    field_class = forms.IntegerField

    def __init__(self, *args, **kwargs):
        super().__init__(*args, min_value=1, max_value=INT_COLUMN_MAX, **kwargs)


class PlanFilter(StyledFilterSet):
    merchandiser = django_filters.ModelChoiceFilter(field_name="order__merchandiser", label=_("Merchandiser"),
                                                    queryset=people_with_role(Role.MERCHANDISER))
    customer = django_filters.ModelChoiceFilter(field_name="order__customer", label=_("Customer"),
                                                queryset=Customer.objects.none())
    at_risk = OnlyFilter(label=_("Only orders at risk"), help_text=_("Projected ex-factory date is late."))
    order = IdFilter(field_name="order", label=_("Order"), help_text="The plan of one order, by the order's id.")

    class Meta:
        model = Plan
        fields = ["merchandiser", "customer", "at_risk", "order"]

    def __init__(self, *args, request=None, **kwargs):
        super().__init__(*args, request=request, **kwargs)
        # Offer (and accept) only the customers the user may see, as the order list's filter does.
        if request is not None:
            self.filters["customer"].queryset = customer_list_visible_to(user=request.user).order_by("code")


DUE_WINDOWS = [
    ("overdue", _("Overdue")), ("today", _("Due today")), ("week", _("Due in the next 7 days")),
    ("coming", _("Due today or in the next 7 days")), ("by_week_end", _("Overdue or due within 7 days")),
]
MILESTONE_ORDERINGS = [("due_date", _("Due date")), ("plan__order__number", _("Order no."))]


class MilestoneFilter(StyledFilterSet):
    """The milestone list page (the cockpit's lists in full), its export and /api/v1/milestones/."""

    due = django_filters.ChoiceFilter(choices=DUE_WINDOWS, method="due_window", label=_("Due"),
                                      help_text="Open milestones in a window of due dates counted from today.")
    mine = OnlyFilter(method="owed_by_me", label=_("Only mine"),
                      help_text="Yours, and your departments' that nobody in particular owns.")
    waiting = OnlyFilter(method="owed_to_me", label=_("Only what others owe me"),
                         help_text="Open milestones others owe on the orders you follow (managers: on every order).")
    department = django_filters.ChoiceFilter(choices=Role.choices, label=_("Department"))
    owner = django_filters.ModelChoiceFilter(field_name="owner", label=_("Owner"), queryset=people_with_role(*Role))
    merchandiser = django_filters.ModelChoiceFilter(field_name="plan__merchandiser", label=_("Merchandiser"),
                                                    queryset=people_with_role(Role.MERCHANDISER))
    customer = django_filters.ModelChoiceFilter(field_name="plan__order__customer", label=_("Customer"),
                                                queryset=Customer.objects.none())
    status = django_filters.ChoiceFilter(choices=MilestoneStatus.choices, label=_("Status"))
    overdue = OnlyFilter(method="overdue_today", label=_("Only overdue"), help_text="Open and past their due date.")
    order = IdFilter(field_name="plan__order", label=_("Order"), help_text="The milestones of one order, by its id.")
    ordering = django_filters.OrderingFilter(fields=[f for f, _l in MILESTONE_ORDERINGS],
                                             field_labels=dict(MILESTONE_ORDERINGS))

    class Meta:
        model = Milestone
        fields = ["due", "mine", "waiting", "department", "owner", "merchandiser", "customer", "status", "overdue",
                  "order"]

    def __init__(self, *args, request=None, **kwargs):
        super().__init__(*args, request=request, **kwargs)
        if request is not None:
            self.filters["customer"].queryset = customer_list_visible_to(user=request.user).order_by("code")

    def due_window(self, queryset, name, value):
        if not value:
            return queryset
        return queryset.filter(due_windows(timezone.localdate())[value], status=MilestoneStatus.OPEN)

    def owed_by_me(self, queryset, name, value):
        return queryset.owed_by(self.request.user) if value else queryset

    def owed_to_me(self, queryset, name, value):
        return queryset.owed_to(self.request.user) if value else queryset

    def overdue_today(self, queryset, name, value):
        if not value:
            return queryset
        return queryset.filter(status=MilestoneStatus.OPEN, due_date__lt=timezone.localdate())
