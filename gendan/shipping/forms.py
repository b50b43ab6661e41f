from django import forms
from django.utils.translation import gettext_lazy as _

from gendan.core.forms import StyledFormMixin
from gendan.followup.forms import VersionField
from gendan.parties.choices import SupplierKind
from gendan.parties.models import Supplier
from gendan.shipping.models import Booking, Port
from gendan.shipping.services import CONTAINER_TYPES


class BookingForm(StyledFormMixin, forms.ModelForm):
    """The forwarder's booking confirmation as it reads: vessel, ports, dates and the carrier's cut-offs."""

    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    class Meta:
        model = Booking
        fields = ["forwarder", "booking_number", "carrier", "vessel", "voyage", "port_of_loading",
                  "port_of_discharge", "etd", "eta", *Booking.CUTOFFS]
        widgets = {name: forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M")
                   for name in Booking.CUTOFFS}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["forwarder"].queryset = Supplier.objects.filter(kind=SupplierKind.FORWARDER, is_active=True)
        self.fields["forwarder"].help_text = _("Forwarders are suppliers of the kind “forwarder”.")
        for name in ("port_of_loading", "port_of_discharge"):
            self.fields[name].queryset = Port.objects.all()
            self.fields[name].widget.attrs["class"] += " searchable"
        for field in self.fields.values():
            field.widget.attrs["col"] = "col-12"  # the page lays the fields out in its own grid
        for name in Booking.CUTOFFS:
            self.fields[name].input_formats = ["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M", "%Y-%m-%d"]

    def values(self) -> dict:
        return {name: self.cleaned_data[name] for name in self.Meta.fields}


class PhotosInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class PhotosField(forms.FileField):
    """Several photos at once (the container empty, half full, closed with its seal)."""

    def clean(self, data, initial=None):
        files = data if isinstance(data, (list, tuple)) else [data] if data else []
        clean_one = super().clean  # (a comprehension has no zero-argument super)
        return [clean_one(file, initial) for file in files]


class LoadedContainerForm(StyledFormMixin, forms.Form):
    """The container's papers: number, seal, type and weights. What went in is entered per shipment line."""

    container_number = forms.CharField(label=_("Container no."), max_length=20,
                                       help_text=_("As on the door, e.g. CSQU 305438 3: the check digit is checked."))
    seal_number = forms.CharField(label=_("Seal no."), max_length=30)
    container_type = forms.ChoiceField(label=_("Type"), choices=[(code, code) for code in CONTAINER_TYPES])
    tare_kg = forms.DecimalField(label=_("Tare (kg)"), min_value=0, max_digits=8, decimal_places=1)
    loaded_on = forms.DateField(label=_("Loaded on"))
    cargo_gross_kg = forms.DecimalField(label=_("Cargo gross weight (kg)"), required=False, min_value=0,
                                        max_digits=10, decimal_places=2,
                                        help_text=_("Leave empty to take it from the products' gross weight per "
                                                    "carton."))
    vgm_kg = forms.DecimalField(label=_("VGM (kg)"), required=False, min_value=0, max_digits=10, decimal_places=2,
                                help_text=_("Weighed, or left empty for tare + cargo."))
    note = forms.CharField(label=_("Note"), max_length=500, required=False)
    photos = PhotosField(label=_("Photos"), required=False,
                         widget=PhotosInput(attrs={"accept": "image/jpeg,image/png,image/webp"}))


class CustomerNoticeForm(StyledFormMixin, forms.Form):
    recipients = forms.CharField(label=_("to"), max_length=500, required=False,
                                 help_text=_("Email addresses, comma-separated."))
    subject = forms.CharField(label=_("subject"), max_length=200)
    body = forms.CharField(label=_("text"), widget=forms.Textarea(attrs={"rows": 18, "class": "font-monospace"}))
    version = VersionField()

    wide_fields = ("recipients", "subject", "body")
