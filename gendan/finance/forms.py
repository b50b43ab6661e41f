from decimal import Decimal

from django import forms
from django.utils.translation import gettext_lazy as _

from gendan.core.forms import StyledFormMixin
from gendan.finance.choices import Gate, PaperKind
from gendan.finance.models import BankAccount, Expense, Receipt
from gendan.parties.models import Customer, Supplier
from gendan.sales.models import SalesOrder


class ReceiptForm(StyledFormMixin, forms.ModelForm):
    """A receipt as the bank statement shows it; its currency is the account's."""

    class Meta:
        model = Receipt
        fields = ["customer", "received_on", "bank_account", "amount", "bank_charges", "rate_to_cny", "reference",
                  "note"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["customer"].queryset = Customer.objects.filter(is_active=True).order_by("code")
        self.fields["customer"].widget.attrs["class"] += " searchable"
        self.fields["bank_account"].queryset = BankAccount.objects.filter(is_active=True)
        for name in ("amount", "bank_charges", "rate_to_cny"):
            self.fields[name].widget.attrs["step"] = "any"

    def values(self) -> dict:
        data = dict(self.cleaned_data)
        data["currency"] = data["bank_account"].currency
        return data


class BankAccountForm(StyledFormMixin, forms.ModelForm):
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    class Meta:
        model = BankAccount
        fields = ["name", "currency", "beneficiary", "bank_name", "bank_address", "account_no", "swift", "is_active"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["currency"].widget.attrs["maxlength"] = 3

    def clean_currency(self):
        return self.cleaned_data["currency"].upper()

    def values(self) -> dict:
        return {name: self.cleaned_data[name] for name in self.Meta.fields}


class GateExceptionForm(StyledFormMixin, forms.Form):
    gate = forms.ChoiceField(label=_("Gate"), choices=Gate.choices)
    reason = forms.CharField(label=_("Reason"), max_length=300)
    expires_on = forms.DateField(label=_("Expires on"), required=False,
                                 help_text=_("Leave empty for as long as the order needs it."))


class AsOfForm(StyledFormMixin, forms.Form):
    as_of = forms.DateField(label=_("As of"), required=False)


class ExpenseForm(StyledFormMixin, forms.ModelForm):
    """An expense as the invoice or voucher shows it; the rate is what finance booked it at (1 for CNY)."""

    class Meta:
        model = Expense
        fields = ["order", "kind", "incurred_on", "amount", "currency", "rate_to_cny", "supplier", "payee",
                  "reference", "note"]

    def __init__(self, *args, orders=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["order"].queryset = orders if orders is not None else SalesOrder.objects.none()
        self.fields["order"].widget.attrs["class"] += " searchable"
        self.fields["supplier"].queryset = Supplier.objects.order_by("code")
        self.fields["supplier"].widget.attrs["class"] += " searchable"
        self.fields["currency"].widget.attrs["maxlength"] = 3
        for name in ("amount", "rate_to_cny"):
            self.fields[name].widget.attrs["step"] = "any"

    def clean_currency(self):
        return self.cleaned_data["currency"].upper()

    def _post_clean(self):
        """The form parses; the service checks the record (amount, rate, day) and names the field itself."""

    def values(self) -> dict:
        return {name: self.cleaned_data[name] for name in self.Meta.fields}


class RefundRateForm(StyledFormMixin, forms.Form):
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)
    hs_prefix = forms.CharField(label=_("HS code or prefix"), max_length=13,
                                help_text=_("Digits of the code it applies to, e.g. 8302 or 8302.10.0000"))
    refund_rate = forms.DecimalField(label=_("Refund rate %"), max_digits=5, decimal_places=2)
    vat_rate = forms.DecimalField(label=_("VAT rate %"), max_digits=5, decimal_places=2, initial=13)
    valid_from = forms.DateField(label=_("Valid from"))
    valid_to = forms.DateField(label=_("Valid to"), required=False, help_text=_("Empty: until further notice"))
    note = forms.CharField(label=_("Note"), max_length=200, required=False)

    def values(self) -> dict:
        return {name: value for name, value in self.cleaned_data.items() if name != "version"}


class VatRefundForm(StyledFormMixin, forms.Form):
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)
    declared_cny = forms.DecimalField(label=_("Declared (CNY)"), max_digits=16, decimal_places=2, required=False)
    declared_on = forms.DateField(label=_("Declared on"), required=False)
    received_cny = forms.DecimalField(label=_("Received (CNY)"), max_digits=16, decimal_places=2, required=False)
    received_on = forms.DateField(label=_("Received on"), required=False)
    note = forms.CharField(label=_("Note"), max_length=300, required=False)

    def values(self) -> dict:
        return {name: value for name, value in self.cleaned_data.items() if name != "version"}


PROFIT_GROUPS = [("", _("Each order")), ("customer", _("Customer")), ("salesperson", _("Salesperson")),
                 ("month", _("Month"))]


class RefundForm(StyledFormMixin, forms.Form):
    amount = forms.DecimalField(label=_("Amount paid back"), max_digits=16, decimal_places=3,
                                min_value=Decimal("0.001"))
    refunded_on = forms.DateField(label=_("Paid back on"))
    reference = forms.CharField(label=_("Bank reference"), max_length=60, required=False)
    reason = forms.CharField(label=_("Reason"), max_length=300)


class RefundPaperForm(StyledFormMixin, forms.Form):
    kind = forms.ChoiceField(label=_("Paper"), choices=PaperKind.choices)
    supplier = forms.ModelChoiceField(label=_("Factory"), queryset=Supplier.objects.none(), required=False,
                                      help_text=_("For a purchase contract or VAT invoice"))
    file = forms.FileField(label=_("File"), help_text=_("PDF, OFD, JPG or PNG"))
    note = forms.CharField(label=_("Note"), max_length=200, required=False)

    def __init__(self, *args, factories: list, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["supplier"].queryset = Supplier.objects.filter(pk__in=[f.pk for f in factories])
