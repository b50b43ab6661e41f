from django import forms

from gendan.catalog.models import CustomerItem, Product
from gendan.catalog.selectors import customer_items_visible_to, item_customers_for
from gendan.core.forms import StyledFormMixin


class ProductForm(StyledFormMixin, forms.ModelForm):
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)
    wide_fields = ("specification",)

    class Meta:
        model = Product
        fields = [
            "code", "name_en", "name_zh", "specification", "material", "surface_finish", "hs_code", "unit",
            "default_supplier", "cost", "cost_currency", "units_per_inner", "units_per_carton", "carton_length_cm",
            "carton_width_cm", "carton_height_cm", "net_weight_kg", "gross_weight_kg", "this_side_up", "stackable",
            "max_load_kg", "image", "is_active",
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

    def __init__(self, *args, customers, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["customer"].queryset = customers
        self.original_customer = self.instance.customer if self.instance.pk else None


class BaseCustomerItemFormSet(forms.BaseInlineFormSet):
    """A product's customer item numbers within the customers the user may see: only those rows are shown,
    only those customers offered, and a posted row id or customer outside them is refused as an invalid choice."""

    def __init__(self, *args, user, **kwargs):
        customers = item_customers_for(user=user).order_by("code")
        kwargs["queryset"] = customer_items_visible_to(user=user).select_related("customer")
        super().__init__(*args, form_kwargs={"customers": customers}, **kwargs)

    def add_fields(self, form, index):
        super().add_fields(form, index)
        # Django accepts any row id of the model here; accept only the rows this formset shows.
        form.fields[self.model._meta.pk.name].queryset = self.get_queryset()

    def _should_delete_form(self, form):
        # Django skips validating a row marked for deletion; a forged row id must be validated, and refused.
        return form.instance.pk is not None and super()._should_delete_form(form)


CustomerItemFormSet = forms.inlineformset_factory(
    Product, CustomerItem, form=CustomerItemForm, formset=BaseCustomerItemFormSet, extra=1, can_delete=True
)
