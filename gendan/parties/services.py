from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils.translation import gettext as _

from gendan.core.concurrency import take_version
from gendan.core.permissions import require_perm
from gendan.core.records import save_record
from gendan.parties.models import Contact, Customer, Supplier
from gendan.parties.selectors import customer_editable_by


@transaction.atomic
def customer_create(*, by, contacts: list[dict] = (), **fields) -> Customer:
    require_perm(by, "parties.add_customer")
    if not by.has_perm("parties.view_all_customers"):
        fields["owner"] = by  # a salesperson's new customer is their own
    customer = save_record(Customer(), by=by, **fields)
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
    return save_record(customer, by=by, **changes)


@transaction.atomic
def contact_save(*, by, customer: Customer | None = None, supplier: Supplier | None = None,
                 contact: Contact | None = None, **fields) -> Contact:
    contact = contact or Contact(customer=customer, supplier=supplier)
    if contact.customer_id and not customer_editable_by(user=by, customer=contact.customer):
        raise PermissionDenied(_("You cannot change this customer."))
    if contact.supplier_id:
        require_perm(by, "parties.change_supplier")
    return save_record(contact, by=by, **fields)


@transaction.atomic
def supplier_create(*, by, **fields) -> Supplier:
    require_perm(by, "parties.add_supplier")
    return save_record(Supplier(), by=by, **fields)


@transaction.atomic
def supplier_update(*, supplier: Supplier, by, version: int, **changes) -> Supplier:
    require_perm(by, "parties.change_supplier")
    take_version(supplier, version)
    return save_record(supplier, by=by, **changes)
