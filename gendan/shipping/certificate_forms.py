from django import forms
from django.db.models import BLANK_CHOICE_DASH
from django.utils.translation import gettext_lazy as _

from gendan.core.forms import StyledFormMixin
from gendan.shipping.certificates import FILE_TYPES
from gendan.shipping.choices import CertificateKind, InspectionResult


class CertificateForm(StyledFormMixin, forms.Form):
    """An inspection or a certificate of origin as the paper reads; the rules are the service's. The scan is a
    plain file input: the stored one is linked from the shipment's card, never through its media URL."""

    kind = forms.ChoiceField(label=_("Kind"), choices=[*BLANK_CHOICE_DASH, *CertificateKind.choices])
    form_name = forms.CharField(label=_("Form"), max_length=100, required=False,
                                help_text=_("For another preferential form, its name, e.g. China–Australia FTA."))
    number = forms.CharField(label=_("Certificate no."), max_length=60)
    issuer = forms.CharField(label=_("Issued by"), max_length=200,
                             help_text=_("e.g. 中国国际贸易促进委员会宁波分会, Ningbo Customs, SGS"))
    issued_on = forms.DateField(label=_("Issued on"))
    inspected_on = forms.DateField(label=_("Inspected on"), required=False, help_text=_("Inspections only."))
    result = forms.ChoiceField(label=_("Result"), required=False, choices=[*BLANK_CHOICE_DASH,
                                                                           *InspectionResult.choices],
                               help_text=_("Inspections only."))
    file = forms.FileField(label=_("Scan (PDF, JPG or PNG, at most 10 MB)"), required=False,
                           widget=forms.FileInput(attrs={"accept": ",".join(f".{ext}" for ext in FILE_TYPES)}))
    remove_file = forms.BooleanField(label=_("Remove the stored scan"), required=False)
    note = forms.CharField(label=_("Note"), max_length=500, required=False)
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)
    wide_fields = ("note",)

    def __init__(self, *args, editing: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        if not editing:
            del self.fields["remove_file"]

    def values(self) -> dict:
        """The service's keyword arguments: a new scan, False to remove the stored one, None to keep it."""
        data = {name: self.cleaned_data[name] for name in ("kind", "form_name", "number", "issuer", "issued_on",
                                                           "inspected_on", "result", "note")}
        data["file"] = self.cleaned_data["file"] or (False if self.cleaned_data.get("remove_file") else None)
        return data
