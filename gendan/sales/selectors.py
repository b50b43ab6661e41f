"""Who sees and who may change which order. Views, API, exports and search all start here."""

from django.db.models import Count, Q, QuerySet

from gendan.sales.choices import ACTIVE_STATES, OrderStatus
from gendan.sales.models import SalesOrder


def order_list_visible_to(*, user) -> QuerySet[SalesOrder]:
    orders = SalesOrder.objects.select_related("customer", "salesperson", "merchandiser")
    if user.has_perm("sales.view_all_orders"):
        return orders
    if not user.has_perm("sales.view_salesorder"):
        return orders.none()
    mine = Q(customer__owner=user) | Q(salesperson=user) | Q(merchandiser=user)
    if user.has_perm("sales.view_active_orders"):
        mine |= Q(status__in=ACTIVE_STATES)
    return orders.filter(mine)


def order_editable_by(*, user, order: SalesOrder) -> bool:
    if not user.has_perm("sales.change_salesorder"):
        return False
    if user.has_perm("sales.change_any_order"):
        return True
    return user.id in (order.salesperson_id, order.merchandiser_id, order.customer.owner_id)


def order_counts_by_status(*, user) -> dict[str, int]:
    rows = order_list_visible_to(user=user).order_by().values("status").annotate(n=Count("id"))
    counts = {status: 0 for status in OrderStatus.values}
    counts.update({row["status"]: row["n"] for row in rows})
    return counts
