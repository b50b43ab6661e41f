from django import forms
from django.contrib.auth import get_user_model
from django.utils.translation import gettext_lazy as _

from gendan.core.forms import StyledFormMixin
from gendan.followup.choices import RECORDED_EVENTS
from gendan.followup.models import Activity, DelayNotice, PlanTemplate, TemplateMilestone
from gendan.followup.services import OWNED_DEPARTMENTS
from gendan.sales.choices import TransportMode


class VersionField(forms.IntegerField):
    """The version of the record as the page showed it: the service refuses the action if it changed since."""

    widget = forms.HiddenInput

    def __init__(self, **kwargs):
        super().__init__(min_value=0, error_messages={
            "required": _("The form is missing the version it was shown; reload the page."),
            "invalid": _("The form is missing the version it was shown; reload the page."),
        }, **kwargs)


class MilestoneActionForm(StyledFormMixin, forms.Form):
    version = VersionField()


class DoneForm(MilestoneActionForm):
    actual_date = forms.DateField(label=_("Actual date"), required=False,
                                  help_text=_("Empty means today."))
    note = forms.CharField(label=_("Note"), required=False, max_length=300)
    evidence = forms.FileField(label=_("Evidence"), required=False)


class ReasonForm(MilestoneActionForm):
    reason = forms.CharField(label=_("Reason"), max_length=300)


class RescheduleForm(MilestoneActionForm):
    new_date = forms.DateField(label=_("New date"))
    reason = forms.CharField(label=_("Reason"), max_length=300)


class ActivityForm(StyledFormMixin, forms.ModelForm):
    class Meta:
        model = Activity
        fields = ["kind", "summary", "contact", "details", "follow_up_on"]
        widgets = {"details": forms.Textarea(attrs={"rows": 2})}


class ShippingDatesForm(StyledFormMixin, forms.Form):
    version = VersionField()
    etd = forms.DateField(label=_("ETD"), required=False)
    eta = forms.DateField(label=_("ETA"), required=False)


class PlanEventForm(StyledFormMixin, forms.Form):
    version = VersionField()
    event = forms.ChoiceField(label=_("Event"), choices=[(event.value, event.label) for event in RECORDED_EVENTS])
    on = forms.DateField(label=_("On"))


class DelayNoticeForm(StyledFormMixin, forms.ModelForm):
    class Meta:
        model = DelayNotice
        fields = ["recipients", "subject", "body", "new_date"]
        widgets = {"body": forms.Textarea(attrs={"rows": 16, "class": "font-monospace"})}

    wide_fields = ("recipients", "subject", "body")


class TemplateForm(StyledFormMixin, forms.ModelForm):
    version = VersionField()  # the template's, as the page showed it

    def __init__(self, *args, instance: PlanTemplate, **kwargs):
        super().__init__(*args, instance=instance, initial={"version": instance.version}, **kwargs)

    class Meta:
        model = PlanTemplate
        fields = ["name", "description", "port_days", "sea_transit_days", "air_transit_days", "courier_transit_days"]
        widgets = {"description": forms.Textarea(attrs={"rows": 2})}


class StepForm(StyledFormMixin, forms.ModelForm):
    transport_modes = forms.MultipleChoiceField(label=_("transport modes"), required=False,
                                                choices=TransportMode.choices, widget=forms.CheckboxSelectMultiple,
                                                help_text=_("Empty means every mode."))
    version = VersionField()  # the template's: a step changes its template

    def __init__(self, *args, instance: TemplateMilestone, **kwargs):
        super().__init__(*args, instance=instance, initial={"version": instance.template.version}, **kwargs)

    class Meta:
        model = TemplateMilestone
        fields = ["position", "code", "name_zh", "name_en", "department", "anchor", "anchor_milestone",
                  "anchor_event", "offset", "offset_unit", "predecessors", "is_ex_factory", "min_depth",
                  "only_with_deposit", "only_with_samples", "only_with_commodity_inspection",
                  "only_with_certificate_of_origin", "transport_modes"]


class DepartmentOwnerForm(forms.Form):
    department = forms.ChoiceField(choices=[(d.value, d.label) for d in OWNED_DEPARTMENTS])
    user = forms.ModelChoiceField(queryset=get_user_model().objects.filter(is_active=True), required=False,
                                  label=_("Owner"))
    version = VersionField()
    hand_over = forms.BooleanField(required=False, label=_("Hand over open milestones"))
