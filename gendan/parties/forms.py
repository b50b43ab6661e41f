from django import forms
from django.contrib.auth import get_user_model

from gendan.accounts.roles import Role
from gendan.core.forms import StyledFormMixin
from gendan.parties.models import Contact, Customer, Supplier


def people_with_role(*roles: str):
    return get_user_model().objects.filter(groups__name__in=roles, is_active=True).distinct()


CUSTOMER_OWNER_ROLES = (Role.SALES, Role.SALES_MANAGER, Role.GENERAL_MANAGER)


class CustomerForm(StyledFormMixin, forms.ModelForm):
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)
    wide_fields = ("address",)

    class Meta:
        model = Customer
        fields = [
            "code", "name_en", "name_zh", "country", "grade", "currency", "payment_term", "incoterm",
            "incoterm_place", "document_language", "owner", "merchandiser", "credit_limit", "address", "notes",
            "is_active",
        ]

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["owner"].queryset = people_with_role(*CUSTOMER_OWNER_ROLES)
        self.fields["merchandiser"].queryset = people_with_role(Role.MERCHANDISER)
        self.fields["country"].widget.attrs["class"] += " searchable"
        self.fields["currency"].widget.attrs["maxlength"] = 3
        if user is not None and not user.has_perm("parties.view_all_customers"):
            if user.has_role(Role.SALES) or self.instance.pk:
                self.fields.pop("owner")  # a salesperson's customers are their own; only managers hand them over
            else:
                self.fields.pop("merchandiser")  # a merchandiser's new customer: she keeps it, for a salesperson
                self.fields["owner"].required = True
        if self.instance.pk:
            self.fields["version"].initial = self.instance.version

    def clean_currency(self):
        return self.cleaned_data["currency"].upper()


CONTACT_FIELDS = ("name", "role", "email", "phone", "messaging_id", "is_primary")


class ContactForm(StyledFormMixin, forms.ModelForm):
    class Meta:
        model = Contact
        fields = list(CONTACT_FIELDS)  # the inline formset appends its foreign key to this list


ContactFormSet = forms.inlineformset_factory(
    Customer, Contact, form=ContactForm, extra=1, can_delete=True, fk_name="customer"
)
SupplierContactFormSet = forms.inlineformset_factory(
    Supplier, Contact, form=ContactForm, extra=1, can_delete=True, fk_name="supplier"
)


class SupplierForm(StyledFormMixin, forms.ModelForm):
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)
    wide_fields = ("address",)

    class Meta:
        model = Supplier
        fields = ["kind", "code", "name_zh", "name_en", "country", "currency", "address", "notes", "is_active"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            self.fields["version"].initial = self.instance.version
