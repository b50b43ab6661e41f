from django import forms
from django.utils.translation import gettext_lazy as _

from gendan.core.forms import StyledFormMixin
from gendan.finance.choices import Gate
from gendan.finance.models import BankAccount, Receipt
from gendan.parties.models import Customer


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
