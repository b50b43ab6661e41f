"""Who sees which customer. Views, API, exports and search all start here."""

from django.db.models import Q, QuerySet

from gendan.parties.models import Customer, Supplier


def customer_list_visible_to(*, user) -> QuerySet[Customer]:
    customers = Customer.objects.select_related("owner", "merchandiser", "payment_term")
    if user.has_perm("parties.view_all_customers"):
        return customers
    if not user.has_perm("parties.view_customer"):
        return customers.none()
    # A salesperson sees the customers they own; a merchandiser those they look after or hold orders of.
    return customers.filter(
        Q(owner=user) | Q(merchandiser=user) | Q(orders__merchandiser=user) | Q(orders__salesperson=user)
    ).distinct()


def customer_editable_by(*, user, customer: Customer) -> bool:
    if not user.has_perm("parties.change_customer"):
        return False
    # the salesperson who owns it, and the merchandiser who keeps its file
    return user.has_perm("parties.view_all_customers") or user.id in (customer.owner_id, customer.merchandiser_id)


def supplier_list_visible_to(*, user) -> QuerySet[Supplier]:
    if not user.has_perm("parties.view_supplier"):
        return Supplier.objects.none()
    return Supplier.objects.all()
