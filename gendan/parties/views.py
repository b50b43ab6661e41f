from django.contrib import messages
from django.contrib.auth.decorators import login_required, permission_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Count
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from gendan.accounts.roles import Role
from gendan.core.errors import ConcurrentChange
from gendan.core.forms import apply_service_errors
from gendan.core.history import history_of
from gendan.core.listing import filtered_list
from gendan.core.views import import_page, import_template
from gendan.parties.filters import CustomerFilter, SupplierFilter
from gendan.parties.forms import CONTACT_FIELDS, ContactFormSet, CustomerForm, SupplierContactFormSet, SupplierForm
from gendan.parties.imports import CustomerImporter
from gendan.parties.selectors import customer_editable_by, customer_list_visible_to, supplier_list_visible_to
from gendan.parties.services import (
    contact_save,
    customer_create,
    customer_update,
    supplier_create,
    supplier_update,
)

CUSTOMER_COLUMNS = [
    (gettext_lazy("Code"), lambda c: c.code),
    (gettext_lazy("Name (English)"), lambda c: c.name_en),
    (gettext_lazy("Name (Chinese)"), lambda c: c.name_zh),
    (gettext_lazy("Country"), lambda c: c.country.code),
    (gettext_lazy("Currency"), lambda c: c.currency),
    (gettext_lazy("Incoterm"), lambda c: f"{c.incoterm} {c.incoterm_place}".strip()),
    (gettext_lazy("Payment terms"), lambda c: c.payment_term),
    (gettext_lazy("Salesperson"), lambda c: c.owner),
    (gettext_lazy("Merchandiser"), lambda c: c.merchandiser or ""),
    (gettext_lazy("Grade"), lambda c: c.grade),
    (gettext_lazy("Credit limit"), lambda c: c.credit_limit),
]


@login_required
def customer_list(request):
    customers = customer_list_visible_to(user=request.user)
    context, export = filtered_list(request, customers, CustomerFilter, columns=CUSTOMER_COLUMNS, filename="customers")
    return export or render(request, "parties/customer_list.html", context)


@login_required
def customer_detail(request, pk):
    customer = get_object_or_404(customer_list_visible_to(user=request.user), pk=pk)
    return render(request, "parties/customer_detail.html", {
        "customer": customer, "history": history_of(customer),
        "can_edit": customer_editable_by(user=request.user, customer=customer),
    })


@login_required
@permission_required("parties.add_customer", raise_exception=True)
def customer_create_view(request):
    initial = {"owner": request.user} if request.user.has_role(Role.SALES) else {}
    form = CustomerForm(request.POST or None, user=request.user, initial=initial)
    contacts = ContactFormSet(request.POST or None, prefix="contacts")
    if request.method == "POST" and form.is_valid() and contacts.is_valid():
        try:
            with transaction.atomic():
                data = {k: v for k, v in form.cleaned_data.items() if k != "version"}
                data.setdefault("owner", request.user)
                customer = customer_create(by=request.user, **data)
                _save_contacts(contacts, request.user, customer=customer)
        except ValidationError as error:
            apply_service_errors(form, error)
        else:
            messages.success(request, _("Customer %(code)s created.") % {"code": customer.code})
            return redirect(customer)
    return render(request, "parties/customer_form.html", {"form": form, "contacts": contacts})


@login_required
def customer_edit(request, pk):
    customer = get_object_or_404(customer_list_visible_to(user=request.user), pk=pk)
    if not customer_editable_by(user=request.user, customer=customer):
        raise PermissionDenied
    form = CustomerForm(request.POST or None, instance=customer, user=request.user)
    contacts = ContactFormSet(request.POST or None, instance=customer, prefix="contacts")
    if request.method == "POST" and form.is_valid() and contacts.is_valid():
        try:
            with transaction.atomic():
                data = {k: v for k, v in form.cleaned_data.items() if k != "version"}
                customer_update(customer=customer, by=request.user, version=form.cleaned_data["version"] or 0, **data)
                _save_contacts(contacts, request.user, customer=customer)
        except ConcurrentChange as error:
            form.add_error(None, str(error))
        except ValidationError as error:
            apply_service_errors(form, error)
        else:
            messages.success(request, _("Customer %(code)s saved.") % {"code": customer.code})
            return redirect(customer)
    return render(request, "parties/customer_form.html", {"form": form, "contacts": contacts, "customer": customer})


def _save_contacts(formset, by, **party) -> None:
    for form in formset.forms:
        if not form.has_changed() and not form.instance.pk:
            continue
        if formset.can_delete and formset._should_delete_form(form):
            if form.instance.pk:
                form.instance.delete()
            continue
        fields = {k: v for k, v in form.cleaned_data.items() if k in CONTACT_FIELDS}
        contact_save(by=by, contact=form.instance if form.instance.pk else None, **party, **fields)


@login_required
@permission_required("parties.import_customers", raise_exception=True)
def customer_import(request):
    return import_page(request, CustomerImporter(user=request.user), title=_("Import customers"),
                       template_url="parties:customer_import_template", success_url="parties:customer_list")


@login_required
@permission_required("parties.import_customers", raise_exception=True)
def customer_import_template(request):
    return import_template(CustomerImporter(user=request.user), "customers")


# ---------------------------------------------------------------- suppliers

SUPPLIER_COLUMNS = [
    (gettext_lazy("Code"), lambda s: s.code),
    (gettext_lazy("Kind"), lambda s: s.get_kind_display()),
    (gettext_lazy("Name (Chinese)"), lambda s: s.name_zh),
    (gettext_lazy("Name (English)"), lambda s: s.name_en),
    (gettext_lazy("Country"), lambda s: s.country.code),
]


@login_required
def supplier_list(request):
    suppliers = supplier_list_visible_to(user=request.user).annotate(contact_count=Count("contacts")).order_by("code")
    if not request.user.has_perm("parties.view_supplier"):
        raise PermissionDenied
    context, export = filtered_list(request, suppliers, SupplierFilter, columns=SUPPLIER_COLUMNS, filename="suppliers")
    return export or render(request, "parties/supplier_list.html", context)


@login_required
def supplier_detail(request, pk):
    supplier = get_object_or_404(supplier_list_visible_to(user=request.user), pk=pk)
    return render(request, "parties/supplier_detail.html", {"supplier": supplier, "history": history_of(supplier)})


@login_required
def supplier_form(request, pk=None):
    supplier = get_object_or_404(supplier_list_visible_to(user=request.user), pk=pk) if pk else None
    if not request.user.has_perm("parties.change_supplier" if pk else "parties.add_supplier"):
        raise PermissionDenied
    form = SupplierForm(request.POST or None, instance=supplier)
    contacts = SupplierContactFormSet(request.POST or None, instance=supplier, prefix="contacts")
    if request.method == "POST" and form.is_valid() and contacts.is_valid():
        data = {k: v for k, v in form.cleaned_data.items() if k != "version"}
        try:
            with transaction.atomic():
                if supplier:
                    supplier_update(supplier=supplier, by=request.user, version=form.cleaned_data["version"] or 0,
                                    **data)
                else:
                    supplier = supplier_create(by=request.user, **data)
                _save_contacts(contacts, request.user, supplier=supplier)
        except ConcurrentChange as error:
            form.add_error(None, str(error))
        except ValidationError as error:
            apply_service_errors(form, error)
        else:
            messages.success(request, _("Supplier %(code)s saved.") % {"code": supplier.code})
            return redirect(supplier)
    return render(request, "parties/supplier_form.html", {"form": form, "contacts": contacts, "supplier": supplier})


