from django import forms
from django_countries import countries

from gendan.accounts.roles import Role
from gendan.core.imports import Importer
from gendan.parties.forms import CustomerForm, people_with_role
from gendan.parties.models import PaymentTerm
from gendan.parties.selectors import customer_editable_by
from gendan.parties.services import customer_create, customer_update


class CustomerImportForm(CustomerForm):
    """The customer form, with people named by username and payment terms by name, as in a spreadsheet."""

    owner = forms.ModelChoiceField(queryset=people_with_role(Role.SALES, Role.SALES_MANAGER, Role.GENERAL_MANAGER),
                                   to_field_name="username", required=False)
    merchandiser = forms.ModelChoiceField(queryset=people_with_role(Role.MERCHANDISER), to_field_name="username",
                                          required=False)
    payment_term = forms.ModelChoiceField(queryset=PaymentTerm.objects.all(), to_field_name="name", required=False)

    class Meta(CustomerForm.Meta):
        fields = [f for f in CustomerForm.Meta.fields if f != "is_active"]


class CustomerImporter(Importer):
    form_class = CustomerImportForm
    code_fields = ("code", "country", "currency", "owner", "merchandiser")

    def form_kwargs(self) -> dict:
        return {"user": self.user}

    def initial_values(self, instance) -> dict:
        values = super().initial_values(instance)
        values["owner"] = instance.owner.username
        values["merchandiser"] = instance.merchandiser.username if instance.merchandiser else ""
        values["payment_term"] = instance.payment_term.name if instance.payment_term else ""
        return values

    def prepare(self, values: dict) -> dict:
        values = dict(values)
        country = values.get("country", "")
        if len(country) > 2:  # a country's name instead of its ISO code
            values["country"] = countries.by_name(country) or country
        else:
            values["country"] = country.upper()
        values["currency"] = values.get("currency", "").upper()
        if not values.get("owner") and "owner" not in values:
            values["owner"] = self.user.username
        return values

    def may_update(self, instance) -> bool:
        return customer_editable_by(user=self.user, customer=instance)

    def save_row(self, result) -> None:
        data = {k: v for k, v in result.form.cleaned_data.items() if k != "version"}
        if result.is_update:
            customer_update(customer=result.instance, by=self.user, version=result.instance.version, **data)
        else:
            data.setdefault("owner", self.user)
            if data.get("owner") is None:
                data["owner"] = self.user
            customer_create(by=self.user, **data)


