"""Finance listens to orders: confirming one makes its payment schedule, and a revision keeps the schedule in
step with the new total and terms (inside the order's transaction: a change that would strand money already
received is refused together with the change). It also holds the money gates on order moves and on the plan's
production-start and ex-factory milestones. Confirming and revising an order also estimates its export VAT
refund from the lines again (what finance declared or received stays)."""

from django.core.exceptions import ValidationError
from django.dispatch import receiver
from django.utils.translation import gettext as _

from gendan.finance import gates, services
from gendan.finance.credit import credit_check
from gendan.finance.models import ScheduleLine
from gendan.finance.selectors import received_by_line
from gendan.followup.signals import milestone_completing
from gendan.parties.models import Customer
from gendan.sales.choices import OrderStatus
from gendan.sales.signals import order_moving, order_revised, order_status_changed


@receiver(order_status_changed)
def schedule_on_confirmation(sender, order, old, new, by, **kwargs):
    """The payment schedule, and the export VAT refund estimated from the lines as they are confirmed."""
    if new == OrderStatus.CONFIRMED:
        services.schedule_sync(order=order, by=by)
        services.vat_refund_refresh(order=order, by=by)


@receiver(order_revised)
def schedule_on_revision(sender, order, by, **kwargs):
    if order.schedule_lines.exists():
        services.schedule_sync(order=order, by=by)
    services.vat_refund_refresh(order=order, by=by)  # new lines, new refund; declared and received stay


@receiver(order_moving)
def hold_the_gates(sender, order, old, new, by, **kwargs):
    """No confirmation past the customer's credit limit without an approval, no production before the deposit,
    no shipment before the money the terms want first."""
    if new == OrderStatus.CONFIRMED:
        # one confirmation per customer at a time: two orders confirmed at once cannot both fit the same headroom
        Customer.objects.select_for_update().filter(pk=order.customer_id).first()
        check = credit_check(order)
        if check.needs_approval:
            raise ValidationError({"status": check.reason()})
    elif new == OrderStatus.IN_PRODUCTION:
        _hold(gates.may_start_production(order))
    elif new in (OrderStatus.SHIPPED, OrderStatus.PARTIALLY_SHIPPED):
        _hold(gates.may_ship(order))


@receiver(milestone_completing)
def hold_milestone_gates(sender, milestone, by, **kwargs):
    """Ticking "production started" or "ex-factory" by hand is the same step as moving the order."""
    if milestone.code in services.MILESTONE_OF.values():
        _require_receipts(milestone)
    elif milestone.code == "production_start":
        _hold(gates.may_start_production(milestone.plan.order))
    elif milestone.is_ex_factory:
        _hold(gates.may_ship(milestone.plan.order))


def _require_receipts(milestone) -> None:
    """Records complete milestones (DESIGN.md): "deposit received" and "balance received" are done by confirmed
    receipts, not by a click, on every order with a payment schedule."""
    line = ScheduleLine.objects.filter(order=milestone.plan.order_id, kind=services.KIND_OF[milestone.code]).first()
    if line is not None and received_by_line([line])[line.pk] < line.amount:
        raise ValidationError({"status": _("Money is received through a confirmed receipt: finance records it, "
                                           "and this milestone is done with it.")})


def _hold(answer: gates.Answer) -> None:
    if not answer:
        raise ValidationError({"status": answer.reason})
