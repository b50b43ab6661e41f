from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from gendan.accounts.roles import Role
from gendan.core.concurrency import take_version
from gendan.core.permissions import require_perm
from gendan.core.records import save_record
from gendan.parties.forms import CUSTOMER_OWNER_ROLES, people_with_role
from gendan.parties.models import Contact, Customer, Supplier
from gendan.parties.selectors import customer_editable_by


@transaction.atomic
def customer_create(*, by, contacts: list[dict] = (), **fields) -> Customer:
    require_perm(by, "parties.add_customer")
    if not by.has_perm("parties.view_all_customers"):
        if by.has_role(Role.SALES):
            fields["owner"] = by  # a salesperson's new customer is their own
        else:
            fields["merchandiser"] = by  # a merchandiser opens the file for a salesperson and looks after it
    owner = fields.get("owner")
    if owner is not None and not people_with_role(*CUSTOMER_OWNER_ROLES).filter(pk=owner.pk).exists():
        raise ValidationError({"owner": _("Choose a salesperson.")})
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
