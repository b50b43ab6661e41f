"""Money on orders: an order's payment schedule, and receipts recorded, allocated, confirmed and reversed.
Confirmed money completes the plan's deposit and balance milestones; reversing it reopens them. Also what an order
cost (expenses, voided never deleted), the export VAT refund rates, and each order's refund: estimated, declared,
received."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import models, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from gendan.accounts.models import User
from gendan.core.bulk import insert_with_history
from gendan.core.concurrency import take_version
from gendan.core.errors import ConcurrentChange
from gendan.core.money import Money, minor_units, round_amount
from gendan.core.numbering import next_number
from gendan.core.permissions import require_perm
from gendan.core.records import check_fields, field_errors, save_record
from gendan.core.selectors import company_profile
from gendan.core.states import transition
from gendan.core.uploads import check_upload
from gendan.finance.choices import (
    PER_FACTORY,
    CreditApprovalStatus,
    DueAfter,
    Gate,
    PaperKind,
    ReceiptStatus,
    ScheduleKind,
)
from gendan.finance.credit import UNCONFIRMED, credit_check
from gendan.finance.models import (
    Allocation,
    BankAccount,
    CreditApproval,
    Expense,
    GateException,
    Receipt,
    Refund,
    RefundPaper,
    RefundRate,
    ScheduleLine,
    VatRefund,
)
from gendan.finance.profit import refund_estimate
from gendan.finance.refund_papers import factories_of
from gendan.finance.selectors import ZERO, allocated_by_line, schedule_of, settling_lines, unallocated
from gendan.followup.choices import MilestoneStatus, PlanStatus
from gendan.followup.models import Milestone, Notification, ReminderKind
from gendan.followup.services import milestone_complete, milestone_reopen
from gendan.parties.choices import BalanceCondition
from gendan.parties.models import Supplier
from gendan.sales.choices import OrderStatus
from gendan.sales.models import SalesOrder
from gendan.sales.selectors import order_editable_by, order_list_visible_to

# what a balance's due date counts from, by the order's balance condition (DOMAIN.md, payment terms)
BALANCE_DUE_AFTER = {
    BalanceCondition.IN_ADVANCE: DueAfter.CONFIRMATION,
    BalanceCondition.BEFORE_SHIPMENT: DueAfter.EX_FACTORY,
    BalanceCondition.AGAINST_COPY_BL: DueAfter.BL_DATE,
    BalanceCondition.LC_AT_SIGHT: DueAfter.BL_DATE,
    BalanceCondition.LC_USANCE: DueAfter.BL_DATE,
    BalanceCondition.DP_AT_SIGHT: DueAfter.BL_DATE,
    BalanceCondition.DA: DueAfter.BL_DATE,
    BalanceCondition.OPEN_ACCOUNT: DueAfter.BL_DATE,
}
MILESTONE_OF = {ScheduleKind.DEPOSIT: "deposit", ScheduleKind.BALANCE: "balance"}  # the plan's, by schedule line
KIND_OF = {code: kind for kind, code in MILESTONE_OF.items()}


# ---------------------------------------------------------------- the payment schedule


@transaction.atomic
def schedule_sync(*, order: SalesOrder, by, today: date | None = None) -> list[ScheduleLine]:
    """Make the order's schedule lines what its terms and total say now: created on confirmation, updated by a
    revision (with history). Money already received stays where it is: a change that would leave a line owing
    less than was paid into it is refused, for finance to refund or move the money first."""
    today = today or timezone.localdate()
    existing = {line.kind: line for line in order.schedule_lines.select_for_update()}
    wanted = _wanted_lines(order)
    allocated = allocated_by_line(list(existing.values()))
    for kind, line in existing.items():
        amount = wanted.get(kind, {}).get("amount", ZERO)
        if allocated[line.pk] > amount:
            raise ValidationError({"lines": _(
                "%(kind)s: %(paid)s is already allocated to it, more than the %(amount)s it would now be. Refund or "
                "move that money first.") % {"kind": line.get_kind_display(),
                                              "paid": Money(allocated[line.pk], line.currency),
                                              "amount": Money(amount, line.currency)}})
    new = []
    for kind, values in wanted.items():
        line = existing.get(kind)
        if line is None:
            new.append(_dated(ScheduleLine(order=order, kind=kind, **values), order, today))
        elif _changed(line, values):
            for name, value in values.items():
                setattr(line, name, value)
            save_record(_dated(line, order, today), by=by)
    for kind, line in existing.items():
        if kind not in wanted and not allocated[line.pk]:
            line._history_user = by
            line.delete()
    if new:
        insert_with_history(new, by=by)
    return schedule_of(order)


def _wanted_lines(order: SalesOrder) -> dict[str, dict]:
    deposit = order.deposit_amount
    balance = order.total_amount - deposit  # the two add up to the total to the last minor unit
    lines = {}
    if deposit:
        lines[ScheduleKind.DEPOSIT] = {"amount": deposit, "currency": order.currency,
                                       "due_after": DueAfter.CONFIRMATION, "due_days": settings.GENDAN_DEPOSIT_DUE_DAYS}
    if balance:
        lines[ScheduleKind.BALANCE] = {"amount": balance, "currency": order.currency,
                                       "due_after": BALANCE_DUE_AFTER[order.balance_condition],
                                       "due_days": order.balance_days}
    return lines


def _changed(line: ScheduleLine, values: dict) -> bool:
    return any(getattr(line, name) != value for name, value in values.items())


def _dated(line: ScheduleLine, order: SalesOrder, today: date) -> ScheduleLine:
    """The line's due date from what it counts from: the confirmation (kept once set), the ex-factory date, or
    the B/L date (unknown until the goods are shipped)."""
    if line.due_after == DueAfter.CONFIRMATION:
        line.due_from = line.due_from if line.pk and line.due_from else today
    elif line.due_after == DueAfter.EX_FACTORY:
        line.due_from = order.confirmed_ex_factory
    elif line.pk is None:
        line.due_from = None
    line.due_date = line.due_from + timedelta(days=line.due_days) if line.due_from else None
    return line


@transaction.atomic
def schedule_set_bl_date(*, order: SalesOrder, by, bl_date: date) -> None:
    """The B/L is issued: the lines counted from the B/L date (against copy B/L, L/C, D/P, D/A, O/A) fall due
    that many days after it."""
    for line in order.schedule_lines.select_for_update().filter(due_after=DueAfter.BL_DATE):
        if line.due_from != bl_date:
            line.due_from, line.due_date = bl_date, bl_date + timedelta(days=line.due_days)
            save_record(line, by=by)


# ---------------------------------------------------------------- receipts


@transaction.atomic
def receipt_record(*, by, customer, received_on: date, bank_account: BankAccount, currency: str, amount: Decimal,
                   rate_to_cny: Decimal, bank_charges: Decimal = ZERO, reference: str = "", note: str = "",
                   today: date | None = None) -> Receipt:
    """Record money as the bank statement shows it; it counts once finance confirms it arrived."""
    require_perm(by, "finance.add_receipt")
    receipt = Receipt(customer=customer, received_on=received_on, bank_account=bank_account, currency=currency,
                      amount=amount, bank_charges=bank_charges, rate_to_cny=rate_to_cny, reference=reference.strip(),
                      note=note.strip(), recorded_by=by)
    _check_receipt(receipt, today or timezone.localdate())
    receipt.number = next_number("RC", on=received_on)
    insert_with_history([receipt], by=by)
    return receipt


def _check_receipt(receipt: Receipt, today: date) -> None:
    errors = field_errors(receipt, ["currency", "reference", "note", "received_on"])
    if receipt.received_on and receipt.received_on > today:
        errors["received_on"] = [_("Money cannot arrive in the future.")]
    if receipt.bank_account_id and receipt.currency != receipt.bank_account.currency:
        errors["currency"] = [_("The account %(account)s holds %(currency)s.") % {
            "account": receipt.bank_account.name, "currency": receipt.bank_account.currency}]
    if receipt.bank_account_id and not receipt.bank_account.is_active:
        errors["bank_account"] = [_("This account is no longer in use.")]
    if "currency" not in errors:
        errors |= _amount_errors(receipt)
    if errors:
        raise ValidationError(errors)


def _amount_errors(receipt: Receipt) -> dict:
    errors = {}
    if receipt.amount is None or receipt.amount <= 0:
        errors["amount"] = [_("Enter an amount greater than zero.")]
    elif _too_precise(receipt.amount, receipt.currency):
        errors["amount"] = [_decimals_message(receipt.currency)]
    if receipt.bank_charges is None or receipt.bank_charges < 0:
        errors["bank_charges"] = [_("Bank charges cannot be negative.")]
    elif receipt.amount and receipt.bank_charges >= receipt.amount:
        errors["bank_charges"] = [_("Bank charges must be less than the amount paid.")]
    elif _too_precise(receipt.bank_charges, receipt.currency):
        errors["bank_charges"] = [_decimals_message(receipt.currency)]
    if receipt.rate_to_cny is None or receipt.rate_to_cny <= 0:
        errors["rate_to_cny"] = [_("Enter the exchange rate, greater than zero.")]
    elif receipt.currency == "CNY" and receipt.rate_to_cny != 1:
        errors["rate_to_cny"] = [_("A receipt in CNY has the rate 1.")]
    return errors


def _too_precise(amount: Decimal, currency: str) -> bool:
    return round_amount(amount, currency) != amount


def _decimals_message(currency: str) -> str:
    return _("%(currency)s has %(n)s decimal places.") % {"currency": currency, "n": minor_units(currency)}


@transaction.atomic
def receipt_allocate(*, receipt: Receipt, by, version: int, allocations: list[tuple[ScheduleLine, Decimal]]) -> Receipt:
    """Apply a receipt to schedule lines of the customer's orders: partial payments, several orders in one
    remittance. Neither the receipt nor a line is ever over-allocated: the receipt's version and row locks on
    the lines make two people allocating at once wait for each other, and the second sees what the first did."""
    require_perm(by, "finance.change_receipt")
    _take_receipt(receipt, version)
    rest = unallocated(receipt)
    if receipt.status == ReceiptStatus.REVERSED:
        raise ValidationError({"receipt": _("This receipt is reversed.")})
    locked = {line.pk: line for line in ScheduleLine.objects.select_for_update().select_related("order").filter(
        pk__in=[line.pk for line, _amount in allocations])}
    _check_allocations(receipt, rest, [(locked[line.pk], amount) for line, amount in allocations])
    insert_with_history([Allocation(receipt=receipt, line=locked[line.pk], amount=amount, created_by=by)
                         for line, amount in allocations], by=by)
    if receipt.status == ReceiptStatus.CONFIRMED:
        _settle({locked[line.pk].order_id for line, _amount in allocations}, by=by)
    return receipt


def _check_allocations(receipt: Receipt, rest: Decimal, allocations: list[tuple[ScheduleLine, Decimal]]) -> None:
    if not allocations:
        raise ValidationError({"allocations": _("Choose at least one schedule line.")})
    already = allocated_by_line([line for line, _amount in allocations])
    errors, total = {}, ZERO
    for index, (line, amount) in enumerate(allocations):
        key = f"allocations.{index}.amount"
        if line.order.customer_id != receipt.customer_id:
            errors[key] = _("%(order)s is another customer's order.") % {"order": line.order.number}
        elif line.currency != receipt.currency:
            errors[key] = _("%(order)s is in %(currency)s.") % {"order": line.order.number, "currency": line.currency}
        elif amount is None or amount <= 0:
            errors[key] = _("Enter an amount greater than zero.")
        elif _too_precise(amount, receipt.currency):
            errors[key] = _decimals_message(receipt.currency)
        elif amount > line.amount - already[line.pk]:
            errors[key] = _("%(order)s %(kind)s has %(open)s open.") % {
                "order": line.order.number, "kind": line.get_kind_display(),
                "open": Money(line.amount - already[line.pk], line.currency)}
        else:
            already[line.pk] += amount  # the same line twice in one call
            total += amount
    if not errors and total > rest:
        errors["allocations"] = _("Only %(rest)s of this receipt is not allocated yet.") % {
            "rest": Money(rest, receipt.currency)}
    if errors:
        raise ValidationError(errors)


def _take_receipt(receipt: Receipt, version: int) -> None:
    """Take the receipt's next version, or tell the user it changed since they saw it. When the caller's copy is
    that version already, it is what is stored (every change moves the version on) and is not read again."""
    shown = receipt.version == version
    take_version(receipt, version)
    if not shown:
        receipt.refresh_from_db()


@transaction.atomic
def allocation_release(*, allocation: Allocation, by, version: int, reason: str) -> Receipt:
    """Take an allocation off its schedule line (it went to the wrong order, or is moved to another): the money
    goes back to the receipt's unallocated rest, the line is open again (its milestone reopens if the receipt was
    confirmed), and the allocation's history keeps who took it off and why."""
    require_perm(by, "finance.change_receipt")
    if not reason.strip():
        raise ValidationError({"reason": _("Say why the allocation is taken off.")})
    receipt = allocation.receipt
    _take_receipt(receipt, version)
    if receipt.status == ReceiptStatus.REVERSED:
        raise ValidationError({"receipt": _("This receipt is reversed.")})
    order = allocation.line.order
    allocation._history_user, allocation._change_reason = by, reason.strip()[:100]
    allocation.delete()
    if receipt.status == ReceiptStatus.CONFIRMED:
        _settle([order.pk], by=by)
    return receipt


@transaction.atomic
def refund_record(*, receipt: Receipt, by, version: int, amount: Decimal, refunded_on: date, reason: str,
                  reference: str = "", today: date | None = None) -> Refund:
    """Pay money back to the customer out of a confirmed receipt's unallocated rest (never more than that)."""
    require_perm(by, "finance.change_receipt")
    _take_receipt(receipt, version)
    rest = unallocated(receipt)
    today = today or timezone.localdate()
    errors = {}
    if receipt.status != ReceiptStatus.CONFIRMED:
        errors["receipt"] = _("Only money confirmed in the account can be paid back.")
    elif amount is None or amount <= 0:
        errors["amount"] = _("Enter an amount greater than zero.")
    elif _too_precise(amount, receipt.currency):
        errors["amount"] = _decimals_message(receipt.currency)
    elif amount > rest:
        errors["amount"] = _("Only %(rest)s of this receipt is not allocated: allocations come off first.") % {
            "rest": Money(rest, receipt.currency)}
    if refunded_on is None:
        errors["refunded_on"] = _("Enter the day the money left the account.")
    elif refunded_on > today:
        errors["refunded_on"] = _("A refund cannot be dated in the future.")
    elif refunded_on < receipt.received_on:
        errors["refunded_on"] = _("The money is paid back after it arrived (%(day)s).") % {
            "day": receipt.received_on.isoformat()}
    if not reason.strip():
        errors["reason"] = _("Say why the money is paid back.")
    if errors:
        raise ValidationError(errors)
    refund = Refund(receipt=receipt, amount=amount, refunded_on=refunded_on, reason=reason.strip(),
                    reference=reference.strip(), recorded_by=by)
    refund.full_clean()
    refund._history_user = by
    refund.save()
    return refund


@transaction.atomic
def receipt_confirm(*, receipt: Receipt, by, version: int) -> Receipt:
    """Finance confirms the money is in the account (到账确认): from now on it counts, and the orders it pays
    see their deposit and balance milestones completed."""
    require_perm(by, "finance.confirm_receipt")
    transition(receipt, to=ReceiptStatus.CONFIRMED, version=version, by=by,
               extra={"confirmed_by": by, "confirmed_at": timezone.now()})
    _settle(_orders_of(receipt), by=by)
    return receipt


@transaction.atomic
def receipt_reverse(*, receipt: Receipt, by, version: int, reason: str) -> Receipt:
    """Take a receipt back (a bounced or mistaken entry), never delete it: its money stops counting, and the
    milestones it completed reopen."""
    require_perm(by, "finance.reverse_receipt")
    if not reason.strip():
        raise ValidationError({"reason": _("Say why the receipt is reversed.")})
    transition(receipt, to=ReceiptStatus.REVERSED, version=version, by=by, reason=reason.strip(),
               extra={"reverse_reason": reason.strip()})
    _settle(_orders_of(receipt), by=by)
    return receipt


def _orders_of(receipt: Receipt) -> set[int]:
    """The ids of the orders the receipt pays."""
    return set(Allocation.objects.filter(receipt=receipt).values_list("line__order_id", flat=True))


def _settle(order_ids, *, by) -> None:
    """Records complete milestones (DESIGN.md): a line paid in full completes its milestone, dated the day its
    last confirmed money arrived; a line no longer paid reopens it. Orders without a plan (money often comes
    before confirmation) have nothing to settle."""
    milestones = {(milestone.plan.order_id, milestone.code): milestone for milestone in Milestone.objects.filter(
        plan__order__in=order_ids, plan__status=PlanStatus.ACTIVE, code__in=MILESTONE_OF.values()
    ).select_related("plan")}
    if not milestones:
        return
    for line in settling_lines({order_id for order_id, _code in milestones}):
        milestone = milestones.get((line.order_id, MILESTONE_OF[line.kind]))
        if milestone is None:
            continue
        if line.open <= 0 and milestone.status == MilestoneStatus.OPEN:
            milestone_complete(milestone=milestone, by=by, actual_date=line.paid_on,
                               note=_("Paid in full: %(amount)s") % {"amount": Money(line.amount, line.currency)})
        elif line.open > 0 and milestone.status == MilestoneStatus.DONE:
            milestone_reopen(milestone=milestone, by=by, reason=_(
                "Money was taken off: %(open)s open again.") % {"open": Money(line.open, line.currency)})


# ---------------------------------------------------------------- gate exceptions


@transaction.atomic
def gate_exception_grant(*, order: SalesOrder, gate: str, by, reason: str,
                         expires_on: date | None = None, today: date | None = None) -> GateException:
    """Lift one gate for one order (finance or the general manager), with a reason and perhaps an expiry."""
    require_perm(by, "finance.add_gateexception")
    today = today or timezone.localdate()
    errors = {}
    if gate not in Gate.values:
        errors["gate"] = _("Choose a gate.")
    if not reason.strip():
        errors["reason"] = _("Say why this order may go ahead without its money.")
    if expires_on is not None and expires_on < today:
        errors["expires_on"] = _("The expiry cannot be in the past.")
    if errors:
        raise ValidationError(errors)
    exception = GateException(order=order, gate=gate, reason=reason.strip(), expires_on=expires_on, granted_by=by)
    check_fields(exception, ["reason"])
    insert_with_history([exception], by=by)
    return exception


@transaction.atomic
def gate_exception_revoke(*, exception: GateException, by) -> GateException:
    require_perm(by, "finance.add_gateexception")
    if exception.revoked_at is not None:
        raise ValidationError({"exception": _("This exception is already revoked.")})
    return save_record(exception, by=by, revoked_by=by, revoked_at=timezone.now())


# ---------------------------------------------------------------- bank accounts


@transaction.atomic
def bank_account_save(*, by, account: BankAccount | None = None, version: int = 0, **fields) -> BankAccount:
    """Add a company bank account, or change one from the version the user saw."""
    if account is None:
        require_perm(by, "finance.add_bankaccount")
        return save_record(BankAccount(), by=by, **fields)
    require_perm(by, "finance.change_bankaccount")
    take_version(account, version)
    return save_record(account, by=by, **fields)


# ---------------------------------------------------------------- expenses


@transaction.atomic
def expense_record(*, by, order: SalesOrder, kind: str, amount: Decimal, currency: str, rate_to_cny: Decimal,
                   incurred_on: date, supplier=None, payee: str = "", reference: str = "", note: str = "",
                   today: date | None = None) -> Expense:
    """Finance records what an order cost beyond the goods, in the currency paid and the rate to CNY applied."""
    require_perm(by, "finance.add_expense")
    expense = Expense(order=order, kind=kind, amount=amount, currency=(currency or "").upper(), rate_to_cny=rate_to_cny,
                      incurred_on=incurred_on, supplier=supplier, payee=payee.strip(), reference=reference.strip(),
                      note=note.strip(), recorded_by=by)
    errors = field_errors(expense, ["kind", "currency", "incurred_on", "payee", "reference", "note"])
    if expense.incurred_on and expense.incurred_on > (today or timezone.localdate()):
        errors["incurred_on"] = [_("An expense cannot be incurred in the future.")]
    if "currency" not in errors:
        if amount is None or amount <= 0:
            errors["amount"] = [_("Enter an amount greater than zero.")]
        elif _too_precise(amount, expense.currency):
            errors["amount"] = [_decimals_message(expense.currency)]
        errors |= _rate_errors(rate_to_cny, expense.currency)
    if errors:
        raise ValidationError(errors)
    insert_with_history([expense], by=by)
    return expense


def _rate_errors(rate: Decimal | None, currency: str) -> dict:
    if rate is None or rate <= 0:
        return {"rate_to_cny": [_("Enter the exchange rate, greater than zero.")]}
    if currency == "CNY" and rate != 1:
        return {"rate_to_cny": [_("An amount in CNY has the rate 1.")]}
    return {}


@transaction.atomic
def expense_void(*, expense: Expense, by, version: int, reason: str) -> Expense:
    """Take an expense back (entered twice, on the wrong order), never delete it: it stops counting, and the
    record stays with who voided it and why."""
    require_perm(by, "finance.void_expense")
    if not reason.strip():
        raise ValidationError({"reason": _("Say why the expense is voided.")})
    take_version(expense, version)
    expense.refresh_from_db()
    if expense.is_void:
        raise ValidationError({"expense": _("This expense is already voided.")})
    return save_record(expense, by=by, voided_by=by, voided_at=timezone.now(), void_reason=reason.strip())


# ---------------------------------------------------------------- export VAT refund rates and refunds


@transaction.atomic
def refund_rate_save(*, by, rate: RefundRate | None = None, version: int = 0, hs_prefix: str, refund_rate: Decimal,
                     vat_rate: Decimal, valid_from: date, valid_to: date | None = None, note: str = "") -> RefundRate:
    """Add an HS code's refund and VAT rates for a period, or change one from the version the user saw. Two rates
    of one code may not be valid on the same day."""
    if rate is None:
        require_perm(by, "finance.add_refundrate")
        rate = RefundRate()
    else:
        require_perm(by, "finance.change_refundrate")
        take_version(rate, version)
    rate.hs_prefix = "".join((hs_prefix or "").replace(".", "").split())
    rate.refund_rate, rate.vat_rate, rate.valid_from, rate.valid_to = refund_rate, vat_rate, valid_from, valid_to
    rate.note = note.strip()
    errors = field_errors(rate, ["hs_prefix", "refund_rate", "vat_rate", "valid_from", "valid_to", "note"])
    if "refund_rate" not in errors and "vat_rate" not in errors and refund_rate > vat_rate:
        errors["refund_rate"] = [_("The refund rate cannot be higher than the VAT rate.")]
    if valid_from and valid_to and valid_to < valid_from:
        errors["valid_to"] = [_("The end cannot be before the start.")]
    if not errors:
        overlap = RefundRate.objects.filter(hs_prefix=rate.hs_prefix).exclude(pk=rate.pk).filter(
            models.Q(valid_to__isnull=True) | models.Q(valid_to__gte=valid_from))
        if valid_to:
            overlap = overlap.filter(valid_from__lte=valid_to)
        clash = overlap.first()
        if clash:
            errors["valid_from"] = [_("%(code)s already has a rate from %(start)s: end that one first.") % {
                "code": clash.hs_prefix, "start": clash.valid_from.isoformat()}]
    if errors:
        raise ValidationError(errors)
    rate._history_user = by
    rate.save()
    return rate


def _estimate_into(refund: VatRefund, order: SalesOrder) -> VatRefund:
    estimate = refund_estimate(order, method=company_profile().company_type)
    refund.method = estimate.method
    refund.base_cny, refund.estimated_cny = estimate.base_cny, estimate.refund_cny
    refund.non_creditable_cny, refund.unrated_lines = estimate.non_creditable_cny, estimate.unrated_lines
    refund.estimated_at = timezone.now()
    return refund


def vat_refund_refresh(*, order: SalesOrder, by) -> VatRefund:
    """Estimate the order's refund from its lines now (on confirmation and on each revision, from the receivers):
    what was declared or received stays as it is."""
    refund = VatRefund.objects.select_for_update().filter(order=order).first() or VatRefund(order=order)
    _estimate_into(refund, order)
    refund._history_user = by
    refund.save()
    return refund


@transaction.atomic
def vat_refund_estimate(*, order: SalesOrder, by) -> VatRefund:
    """Finance estimates the refund again on demand (new rates, a changed company type, a cost price filled in)."""
    require_perm(by, "finance.change_vatrefund")
    return vat_refund_refresh(order=order, by=by)


@transaction.atomic
def vat_refund_record(*, order: SalesOrder, by, version: int, declared_cny: Decimal | None = None,
                      declared_on: date | None = None, received_cny: Decimal | None = None,
                      received_on: date | None = None, note: str = "", today: date | None = None) -> VatRefund:
    """Finance records what was declared to the tax office and what the refund brought, each with its day; from
    then on the profit counts the received figure, else the declared one, else the estimate."""
    require_perm(by, "finance.change_vatrefund")
    today = today or timezone.localdate()
    refund = VatRefund.objects.select_for_update().filter(order=order).first()
    if refund is None:
        if version != 0:
            raise ConcurrentChange(VatRefund(order=order))
        refund = _estimate_into(VatRefund(order=order), order)
    else:
        take_version(refund, version)
        refund.refresh_from_db()
    errors = {}
    for amount_name, day_name, amount, day in (("declared_cny", "declared_on", declared_cny, declared_on),
                                               ("received_cny", "received_on", received_cny, received_on)):
        if amount is not None and amount < 0:
            errors[amount_name] = [_("An amount cannot be negative.")]
        elif amount is not None and _too_precise(amount, "CNY"):
            errors[amount_name] = [_decimals_message("CNY")]
        if (amount is None) != (day is None):
            errors[day_name if day is None else amount_name] = [_("Enter the amount and its day together.")]
        elif day is not None and day > today:
            errors[day_name] = [_("This day is in the future.")]
    if received_on and declared_on and received_on < declared_on:
        errors["received_on"] = [_("A refund is received after it is declared.")]
    if received_cny is not None and declared_cny is None:
        errors.setdefault("declared_cny", [_("Record what was declared first.")])
    if errors:
        raise ValidationError(errors)
    return save_record(refund, by=by, declared_cny=declared_cny, declared_on=declared_on, received_cny=received_cny,
                       received_on=received_on, note=note.strip())

# ---------------------------------------------------------------- credit approvals


def may_request_credit(user, order: SalesOrder) -> bool:
    """Who asks for credit: whoever may change the order (its salesperson, merchandiser, the customer's owner) or
    confirm it."""
    return order_list_visible_to(user=user).filter(pk=order.pk).exists() and (
        order_editable_by(user=user, order=order) or user.has_perm("sales.review_order"))

@transaction.atomic
def credit_approval_request(*, order: SalesOrder, by, reason: str) -> CreditApproval:
    """Ask a manager to let this order be confirmed past its customer's credit limit, with the reason. Asked only
    when confirming needs it, and once at a time per order."""
    if not may_request_credit(by, order):
        raise PermissionDenied(_("You cannot request credit for this order."))
    order = SalesOrder.objects.select_for_update().select_related("customer").get(pk=order.pk)
    if not reason.strip():
        raise ValidationError({"reason": _("Say why this customer should have the credit.")})
    if order.status not in UNCONFIRMED:
        raise ValidationError({"order": _("Credit is approved before the order is confirmed.")})
    check = credit_check(order)
    if check.pending is not None:
        raise ValidationError({"order": _("Credit for this order is already requested; a manager decides it.")})
    if not check.needs_approval:
        raise ValidationError({"order": _("This order needs no credit approval.")})
    approval = CreditApproval(order=order, amount=order.total_amount, currency=order.currency,
                              exposure=check.exposure, credit_limit=check.limit, limit_currency=check.currency,
                              reason=reason.strip(), requested_by=by)
    check_fields(approval, ["reason"])
    insert_with_history([approval], by=by)
    deciders = User.objects.with_perm("finance.approve_credit", include_superusers=False,
                                        backend="django.contrib.auth.backends.ModelBackend").exclude(pk=by.pk)
    _notify(deciders, ReminderKind.CREDIT_REQUESTED, approval)
    return approval


def _notice_key(kind: str, approval: CreditApproval) -> str:
    return f"{kind}:{approval.pk}"


def _notify(users, kind: str, approval: CreditApproval) -> None:
    """An in-app notification about a credit request, linking to its order."""
    Notification.objects.bulk_create(
        [Notification(user=user, kind=kind, key=_notice_key(kind, approval), order_id=approval.order_id,
                      day=timezone.localdate()) for user in users if user.is_active], ignore_conflicts=True)

@transaction.atomic
def credit_approval_decide(*, approval: CreditApproval, by, approve: bool, version: int,
                           note: str = "") -> CreditApproval:
    """The sales manager or the general manager approves (the order may then be confirmed) or rejects (saying
    why) a credit request, from the version they saw."""
    require_perm(by, "finance.approve_credit")
    if approval.requested_by_id == by.pk:
        raise PermissionDenied(_("You asked for this credit: another manager decides it."))
    note = note.strip()
    if not approve and not note:
        raise ValidationError({"note": _("Say why the credit is refused.")})
    if len(note) > CreditApproval._meta.get_field("decision_note").max_length:
        raise ValidationError({"note": _("At most 300 characters.")})
    to = CreditApprovalStatus.APPROVED if approve else CreditApprovalStatus.REJECTED
    transition(approval, to=to, version=version, by=by, reason=note,
               extra={"decided_by": by, "decided_at": timezone.now(), "decision_note": note})
    _notify([approval.requested_by], ReminderKind.CREDIT_APPROVED if approve else ReminderKind.CREDIT_REJECTED,
            approval)
    Notification.objects.filter(key=_notice_key(ReminderKind.CREDIT_REQUESTED, approval),  # decided: no longer news
                                read_at__isnull=True).update(read_at=timezone.now())
    return approval


# ---------------------------------------------------------------- export VAT refund papers

PAPER_TYPES = ["pdf", "png", "jpg", "jpeg", "ofd", "xlsx"]  # OFD: the format of China's electronic VAT invoices


@transaction.atomic
def refund_paper_add(*, order, by, kind: str, file, supplier: Supplier | None = None, note: str = "") -> RefundPaper:
    require_perm(by, "finance.change_vatrefund")
    errors = {}
    if order.status in (OrderStatus.DRAFT, OrderStatus.UNDER_REVIEW, OrderStatus.CANCELLED):
        errors["kind"] = _("Refund papers belong to confirmed orders.")
    elif kind not in PaperKind.values:
        errors["kind"] = _("Choose which paper this is.")
    elif kind in PER_FACTORY and supplier is None and factories_of(order):
        errors["supplier"] = _("Say which factory's %(paper)s this is.") % {"paper": PaperKind(kind).label}
    elif kind not in PER_FACTORY and supplier is not None:
        errors["supplier"] = _("Only purchase contracts and VAT invoices belong to a factory.")
    if file is None:
        errors["file"] = _("Choose the file.")
    if errors:
        raise ValidationError(errors)
    check_upload(file, field="file", extensions=PAPER_TYPES, sniff=not file.name.lower().endswith(".ofd"))
    paper = RefundPaper(order=order, kind=kind, supplier=supplier, file=file, note=note.strip(), uploaded_by=by)
    paper.full_clean(exclude=["file"])
    paper._history_user = by
    paper.save()
    return paper


@transaction.atomic
def refund_paper_remove(*, paper: RefundPaper, by, reason: str) -> None:
    """A wrong file comes off the checklist; its history row keeps who removed it and why."""
    require_perm(by, "finance.change_vatrefund")
    if not reason.strip():
        raise ValidationError({"reason": _("Say why the paper is removed.")})
    paper._history_user, paper._change_reason = by, reason.strip()[:100]
    paper.delete()
