"""The follow-up engine listens to orders: confirming creates the plan, revisions move it, cancelling
closes it. Receivers run inside the order's transaction, so plan and order never disagree. It also listens
to the working-day calendar: a change re-plans the open plans it reaches, in the worker."""

from django.db import transaction
from django.dispatch import receiver

from gendan.core.signals import calendar_days_changed
from gendan.followup import services
from gendan.followup.tasks import replan_after_calendar_change
from gendan.sales.choices import OrderStatus
from gendan.sales.signals import order_header_changed, order_status_changed


@receiver(order_status_changed)
def follow_status(sender, order, old, new, by, **kwargs):
    if new == OrderStatus.CONFIRMED:
        services.plan_create(order=order, by=by)
    elif new == OrderStatus.CANCELLED:
        services.plan_cancel_for_order(order=order, by=by)
    elif new in (OrderStatus.SHIPPED, OrderStatus.PARTIALLY_SHIPPED):
        services.plan_order_shipped(order=order, by=by)


@receiver(order_header_changed)
def follow_header(sender, order, fields, by, **kwargs):
    services.plan_follow_order(order=order, fields=fields, by=by)



@receiver(calendar_days_changed)
def replan_for_calendar(sender, first, last, by, **kwargs):
    """Working days changed: the worker re-plans the open plans they touch, once the change is committed."""
    transaction.on_commit(lambda: replan_after_calendar_change.enqueue(first.isoformat(), last.isoformat()))
