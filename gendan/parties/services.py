from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils.translation import gettext as _

from gendan.core.concurrency import take_version
from gendan.core.permissions import require_perm
from gendan.parties.models import Contact, Customer, Supplier
from gendan.parties.selectors import customer_editable_by


@transaction.atomic
def customer_create(*, by, contacts: list[dict] = (), **fields) -> Customer:
    require_perm(by, "parties.add_customer")
    if not by.has_perm("parties.view_all_customers"):
        fields["owner"] = by  # a salesperson's new customer is their own
    customer = Customer(**fields)
    customer.full_clean()
    customer._history_user = by
    customer.save()
    for data in contacts:
        contact_save(customer=customer, by=by, **data)
    return customer


@transaction.atomic
def customer_update(*, customer: Customer, by, version: int, **changes) -> Customer:
    if not customer_editable_by(user=by, customer=customer):
        raise PermissionDenied(_("You cannot change this customer."))
    if "owner" in changes and not by.has_perm("parties.view_all_customers"):
        changes.pop("owner")  # only managers hand customers over
    take_version(customer, version)
    for name, value in changes.items():
        setattr(customer, name, value)
    customer.full_clean()
    customer._history_user = by
    customer.save()
    return customer


@transaction.atomic
def contact_save(*, by, customer: Customer | None = None, supplier: Supplier | None = None,
                 contact: Contact | None = None, **fields) -> Contact:
    contact = contact or Contact(customer=customer, supplier=supplier)
    if contact.customer_id and not customer_editable_by(user=by, customer=contact.customer):
        raise PermissionDenied(_("You cannot change this customer."))
    if contact.supplier_id:
        require_perm(by, "parties.change_supplier")
    for name, value in fields.items():
        setattr(contact, name, value)
    contact.full_clean()
    contact._history_user = by
    contact.save()
    return contact


@transaction.atomic
def supplier_create(*, by, **fields) -> Supplier:
    require_perm(by, "parties.add_supplier")
    supplier = Supplier(**fields)
    supplier.full_clean()
    supplier._history_user = by
    supplier.save()
    return supplier


@transaction.atomic
def supplier_update(*, supplier: Supplier, by, version: int, **changes) -> Supplier:
    require_perm(by, "parties.change_supplier")
    take_version(supplier, version)
    for name, value in changes.items():
        setattr(supplier, name, value)
    supplier.full_clean()
    supplier._history_user = by
    supplier.save()
    return supplier
