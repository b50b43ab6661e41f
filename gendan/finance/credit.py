"""The credit check: may this order be confirmed without a manager's approval, and if not, why. A customer's
exposure is what is open on their confirmed orders (`selectors.credit_exposure`) plus this order's total, in
the currency of their credit limit; a limit of 0 means none is set, and nothing is checked. Past the limit,
confirming needs an approved `CreditApproval` that covers the order's total. The check runs on every move into
"confirmed" (`receivers.hold_the_gates`), so it holds at every entry point: the page, the API, a copied order,
an order sent back to draft and confirmed again."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from django.utils.translation import gettext as _

from gendan.core.money import Money
from gendan.finance.choices import CreditApprovalStatus
from gendan.finance.models import CreditApproval
from gendan.finance.selectors import ZERO, Exposure, credit_exposure
from gendan.sales.choices import OrderStatus

UNCONFIRMED = {OrderStatus.DRAFT, OrderStatus.UNDER_REVIEW}  # where confirming is still ahead


@dataclass(frozen=True)
class CreditCheck:
    order: object
    limit: Decimal | None  # None: the customer has no limit
    currency: str  # the limit's: the customer's default currency
    others: Exposure  # everything but this order
    approval: CreditApproval | None  # the approved one covering the order, if any
    pending: CreditApproval | None  # a request waiting for a decision

    @property
    def this_order(self) -> Decimal:
        return self.order.total_amount if self.order.currency == self.currency else ZERO

    @property
    def exposure(self) -> Decimal:
        return self.others.total + self.this_order

    @property
    def foreign(self) -> bool:
        """The order is in another currency than the limit: it cannot be weighed against it."""
        return self.order.currency != self.currency

    @property
    def over(self) -> bool:
        return self.limit is not None and (self.foreign or self.exposure > self.limit)

    @property
    def needs_approval(self) -> bool:
        return self.over and self.approval is None

    @property
    def headroom(self) -> Decimal | None:
        return None if self.limit is None else self.limit - self.exposure

    def reason(self) -> str:
        """Why confirming is refused (empty when it is not)."""
        if not self.needs_approval:
            return ""
        customer = self.order.customer.code
        if self.foreign:
            return _("%(customer)s's credit limit is in %(limit_currency)s and this order is in %(currency)s: "
                     "confirming it needs a credit approval. Request one on the order page.") % {
                "customer": customer, "limit_currency": self.currency, "currency": self.order.currency}
        return _("Confirming takes %(customer)s's exposure to %(exposure)s, past its credit limit of %(limit)s: it "
                 "needs a credit approval. Request one on the order page.") % {
            "customer": customer, "exposure": Money(self.exposure, self.currency),
            "limit": Money(self.limit, self.currency)}


def credit_check(order) -> CreditCheck:
    customer = order.customer
    limit = Decimal(customer.credit_limit) if customer.credit_limit else None  # 0: no limit set
    approvals = list(order.credit_approvals.select_related("requested_by", "decided_by"))
    return CreditCheck(
        order=order, limit=limit, currency=customer.currency,
        others=credit_exposure(customer, customer.currency, leave_out=order),
        approval=next((a for a in approvals if a.covers(order)), None),
        pending=next((a for a in approvals if a.status == CreditApprovalStatus.REQUESTED), None),
    )
