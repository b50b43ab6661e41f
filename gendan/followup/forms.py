from django import forms
from django.utils.translation import gettext_lazy as _

from gendan.core.forms import StyledFormMixin
from gendan.followup.models import Activity, DelayNotice


class DoneForm(StyledFormMixin, forms.Form):
    actual_date = forms.DateField(label=_("Actual date"), required=False,
                                  help_text=_("Empty means today."))
    note = forms.CharField(label=_("Note"), required=False, max_length=300)
    evidence = forms.FileField(label=_("Evidence"), required=False)


class ReasonForm(StyledFormMixin, forms.Form):
    reason = forms.CharField(label=_("Reason"), max_length=300)


class RescheduleForm(StyledFormMixin, forms.Form):
    new_date = forms.DateField(label=_("New date"))
    reason = forms.CharField(label=_("Reason"), max_length=300)


class ActivityForm(StyledFormMixin, forms.ModelForm):
    class Meta:
        model = Activity
        fields = ["kind", "summary", "contact", "details", "follow_up_on"]
        widgets = {"details": forms.Textarea(attrs={"rows": 2})}


class ShippingDatesForm(StyledFormMixin, forms.Form):
    etd = forms.DateField(label=_("ETD"), required=False)
    eta = forms.DateField(label=_("ETA"), required=False)


class DelayNoticeForm(StyledFormMixin, forms.ModelForm):
    class Meta:
        model = DelayNotice
        fields = ["recipients", "subject", "body", "new_date"]
        widgets = {"body": forms.Textarea(attrs={"rows": 16, "class": "font-monospace"})}

    wide_fields = ("recipients", "subject", "body")
