from django import forms
from django.utils.translation import gettext_lazy as _

from gendan.core.forms import StyledFormMixin
from gendan.parties.choices import SupplierKind
from gendan.parties.models import Supplier
from gendan.shipping.models import Booking, Port


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
