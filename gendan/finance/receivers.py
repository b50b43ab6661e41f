"""Finance listens to orders: confirming one makes its payment schedule, and a revision keeps the schedule in
step with the new total and terms (inside the order's transaction: a change that would strand money already
received is refused together with the change)."""

from django.dispatch import receiver

from gendan.finance import services
from gendan.sales.choices import OrderStatus
from gendan.sales.signals import order_revised, order_status_changed


@receiver(order_status_changed)
def schedule_on_confirmation(sender, order, old, new, by, **kwargs):
    if new == OrderStatus.CONFIRMED:
        services.schedule_sync(order=order, by=by)


@receiver(order_revised)
def schedule_on_revision(sender, order, by, **kwargs):
    if order.schedule_lines.exists():
        services.schedule_sync(order=order, by=by)
