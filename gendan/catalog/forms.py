from django import forms

from gendan.catalog.models import CustomerItem, Product
from gendan.core.forms import StyledFormMixin


class ProductForm(StyledFormMixin, forms.ModelForm):
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)
    wide_fields = ("specification",)

    class Meta:
        model = Product
        fields = [
            "code", "name_en", "name_zh", "specification", "material", "surface_finish", "hs_code", "unit",
            "default_supplier", "cost", "cost_currency", "units_per_inner", "units_per_carton", "carton_length_cm",
            "carton_width_cm", "carton_height_cm", "net_weight_kg", "gross_weight_kg", "image", "is_active",
        ]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["default_supplier"].widget.attrs["class"] += " searchable"
        if self.instance.pk:
            self.fields["version"].initial = self.instance.version

    def clean_cost_currency(self):
        return self.cleaned_data["cost_currency"].upper()


class CustomerItemForm(StyledFormMixin, forms.ModelForm):
    class Meta:
        model = CustomerItem
        fields = ["customer", "item_no"]


CustomerItemFormSet = forms.inlineformset_factory(
    Product, CustomerItem, form=CustomerItemForm, extra=1, can_delete=True
)
