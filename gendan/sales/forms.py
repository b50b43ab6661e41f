from django import forms
from django.forms.models import model_to_dict
from django.utils.translation import gettext_lazy as _

from gendan.accounts.roles import Role
from gendan.catalog.models import Product
from gendan.core.forms import RemoteSelect, StyledFormMixin
from gendan.parties.forms import people_with_role
from gendan.sales.models import OrderAttachment, SalesOrder, SalesOrderLine
from gendan.sales.services import HEADER_FIELDS

HEADER_FORM_FIELDS = ["customer", *HEADER_FIELDS]  # the header as the service changes it, and its customer


class OrderForm(StyledFormMixin, forms.ModelForm):
    """The order header. Editing, pass `order`: the form starts from its values but is never bound to it
    (a bound ModelForm writes the posted values onto its instance while validating); `header_changes()`
    go to `order_update`, which compares them with the order as stored. On an existing order the customer
    is fixed."""

    reason = forms.CharField(label=_("Reason for the change"), required=False, max_length=300)

    class Meta:
        model = SalesOrder
        fields = HEADER_FORM_FIELDS

    def __init__(self, *args, customers=None, order: SalesOrder | None = None, **kwargs):
        if order is not None:
            kwargs["initial"] = model_to_dict(order, fields=HEADER_FORM_FIELDS) | kwargs.get("initial", {})
        super().__init__(*args, **kwargs)
        if order is not None:
            self.fields.pop("customer")
            if not order.is_revised_on_change:
                self.fields.pop("reason")
        else:
            self.fields["customer"].queryset = customers
            self.fields["customer"].widget.attrs["class"] += " searchable"
            self.fields.pop("reason")
        self.fields["salesperson"].queryset = people_with_role(Role.SALES, Role.SALES_MANAGER, Role.GENERAL_MANAGER)
        self.fields["merchandiser"].queryset = people_with_role(Role.MERCHANDISER)
        self.fields["currency"].widget.attrs["maxlength"] = 3

    def clean_currency(self):
        return self.cleaned_data["currency"].upper()

    def header_changes(self) -> dict:
        return {name: self.cleaned_data[name] for name in self.fields if name not in ("customer", "reason")}


class LineForm(StyledFormMixin, forms.ModelForm):
    reason = forms.CharField(label=_("Reason for the change"), required=False, max_length=300)

    class Meta:
        model = SalesOrderLine
        fields = ["product", "quantity", "unit_price", "unit", "customer_item_no", "description"]
        widgets = {"product": RemoteSelect("catalog:product_options")}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["product"].queryset = Product.objects.filter(is_active=True)
        self.fields["product"].widget.attrs["class"] += " searchable"
        self.fields["unit"].required = False
        for name in ("quantity", "unit_price"):
            self.fields[name].widget.attrs["step"] = "any"

    def values(self) -> dict:
        return {name: self.cleaned_data[name] for name in self.Meta.fields if name in self.cleaned_data}


class ReasonForm(forms.Form):
    reason = forms.CharField(label=_("Reason"), required=False, widget=forms.Textarea(attrs={"rows": 3}))


class AttachmentForm(StyledFormMixin, forms.ModelForm):
    class Meta:
        model = OrderAttachment
        fields = ["file", "description"]
