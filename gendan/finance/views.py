from decimal import Decimal, InvalidOperation

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required, permission_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.forms.models import model_to_dict
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from gendan.core.errors import ConcurrentChange, InvalidTransition, error_text
from gendan.core.forms import apply_service_errors
from gendan.core.history import history_of
from gendan.core.listing import filtered_list
from gendan.core.money import Money
from gendan.core.xlsx import xlsx_response
from gendan.finance import gates, services
from gendan.finance.choices import CreditApprovalStatus, ReceiptStatus
from gendan.finance.credit import UNCONFIRMED, credit_check
from gendan.finance.filters import ReceiptFilter
from gendan.finance.forms import AsOfForm, BankAccountForm, GateExceptionForm, ReceiptForm
from gendan.finance.models import BankAccount, CreditApproval, GateException, Receipt, ScheduleLine
from gendan.finance.selectors import (
    aging_by_customer,
    allocated_by_line,
    customer_credit,
    overdue_flagged,
    schedule_of,
    unallocated,
)
from gendan.parties.selectors import customer_list_visible_to
from gendan.sales.choices import OrderStatus
from gendan.sales.selectors import order_list_visible_to

RECEIPT_COLUMNS = [
    (gettext_lazy("Number"), lambda r: r.number),
    (gettext_lazy("Received on"), lambda r: r.received_on),
    (gettext_lazy("Customer"), lambda r: r.customer.code),
    (gettext_lazy("Currency"), lambda r: r.currency),
    (gettext_lazy("Amount paid"), lambda r: r.amount),
    (gettext_lazy("Bank charges"), lambda r: r.bank_charges),
    (gettext_lazy("Exchange rate to CNY"), lambda r: r.rate_to_cny),
    (gettext_lazy("Bank reference"), lambda r: r.reference),
    (gettext_lazy("Status"), lambda r: r.get_status_display()),
]
VIEW = "finance.view_receipt"


@login_required
@permission_required(VIEW, raise_exception=True)
def receipt_list(request):
    receipts = Receipt.objects.select_related("customer", "bank_account")
    context, export = filtered_list(request, receipts, ReceiptFilter, columns=RECEIPT_COLUMNS, filename="receipts")
    return export or render(request, "finance/receipt_list.html", context)


@login_required
@permission_required("finance.add_receipt", raise_exception=True)
def receipt_create(request):
    form = ReceiptForm(request.POST or None, initial={"received_on": timezone.localdate()})
    if request.method == "POST" and form.is_valid():
        try:
            receipt = services.receipt_record(by=request.user, **form.values())
        except ValidationError as error:
            apply_service_errors(form, error)
        else:
            messages.success(request, _("Receipt %(number)s recorded. Allocate it to the customer's orders, then "
                                        "confirm it once it is in the account.") % {"number": receipt.number})
            return redirect("finance:receipt_detail", pk=receipt.pk)
    return render(request, "finance/receipt_form.html", {"form": form})


@login_required
@permission_required(VIEW, raise_exception=True)
def receipt_detail(request, pk, errors: dict | None = None, entered: dict | None = None):
    receipt = get_object_or_404(Receipt.objects.select_related("customer", "bank_account", "recorded_by",
                                                               "confirmed_by"), pk=pk)
    return render(request, "finance/receipt_detail.html", {
        "receipt": receipt, "rest": unallocated(receipt),
        "allocations": receipt.allocations.select_related("line__order", "created_by").order_by("pk"),
        "open_lines": _open_lines(receipt, errors or {}, entered or {}),
        "may_change": request.user.has_perm("finance.change_receipt") and receipt.status != ReceiptStatus.REVERSED,
        "may_confirm": request.user.has_perm("finance.confirm_receipt") and receipt.status == ReceiptStatus.RECORDED,
        "may_reverse": request.user.has_perm("finance.reverse_receipt") and receipt.status != ReceiptStatus.REVERSED,
        "allocation_error": (errors or {}).get(0, ""), "history": history_of(receipt),
    }, status=400 if errors else 200)


def _open_lines(receipt: Receipt, errors: dict, entered: dict) -> list[ScheduleLine]:
    """The customer's schedule lines in the receipt's currency with money still to come, oldest due first."""
    lines = list(ScheduleLine.objects.filter(order__customer=receipt.customer, currency=receipt.currency)
                 .exclude(order__status=OrderStatus.CANCELLED).select_related("order")
                 .order_by("due_date", "order__number", "kind"))
    allocated = allocated_by_line(lines)
    for line in lines:
        line.open = line.amount - allocated[line.pk]
        line.error, line.entered = errors.get(line.pk, ""), entered.get(line.pk, "")
    return [line for line in lines if line.open > 0]


@login_required
@require_POST
def receipt_allocate(request, pk):
    receipt = get_object_or_404(Receipt, pk=pk)
    entered = {int(key[5:]): value.strip() for key, value in request.POST.items()
               if key.startswith("line-") and key[5:].isdigit() and value.strip()}
    lines = {line.pk: line for line in ScheduleLine.objects.filter(pk__in=entered, order__customer=receipt.customer)}
    errors, allocations = {}, []
    for line_pk, text in entered.items():
        amount = _amount(text)
        if line_pk not in lines:
            continue
        if amount is None:
            errors[line_pk] = _("Enter an amount, e.g. 1250.00.")
        else:
            allocations.append((lines[line_pk], amount))
    if not errors:
        try:
            services.receipt_allocate(receipt=receipt, by=request.user, version=_version(request),
                                      allocations=allocations)
        except ValidationError as error:
            errors = _row_errors(error, allocations)
        except (ConcurrentChange, PermissionDenied) as error:
            messages.error(request, error_text(error))
            return redirect("finance:receipt_detail", pk=pk)
        else:
            messages.success(request, _("Allocated. %(rest)s of %(number)s is not allocated yet.") % {
                "rest": Money(unallocated(receipt), receipt.currency), "number": receipt.number})
            return redirect("finance:receipt_detail", pk=pk)
    return receipt_detail(request, pk, errors=errors, entered=entered)


def _amount(text: str) -> Decimal | None:
    try:
        amount = Decimal(text.replace(",", ""))
    except InvalidOperation:
        return None
    return amount if amount.is_finite() else None


def _row_errors(error: ValidationError, allocations) -> dict:
    """The service names rows by their place in the list; the page shows each message on its line."""
    errors = {}
    for key, texts in error.message_dict.items():
        parts = key.split(".")
        if len(parts) == 3 and parts[1].isdigit() and int(parts[1]) < len(allocations):
            errors[allocations[int(parts[1])][0].pk] = " ".join(texts)
        else:
            errors[0] = " ".join(texts)  # the receipt as a whole
    return errors


def _version(request) -> int:
    text = request.POST.get("version", "")
    if not text.isdigit():
        raise ValidationError({"version": _("The form is missing the receipt's version; reload the page.")})
    return int(text)


@login_required
@require_POST
def receipt_confirm(request, pk):
    receipt = get_object_or_404(Receipt, pk=pk)
    try:
        services.receipt_confirm(receipt=receipt, by=request.user, version=_version(request))
    except (ValidationError, InvalidTransition, ConcurrentChange, PermissionDenied) as error:
        messages.error(request, error_text(error))
    else:
        messages.success(request, _("%(number)s confirmed: the money counts, and the orders it pays are updated.")
                         % {"number": receipt.number})
    return redirect("finance:receipt_detail", pk=pk)


@login_required
@require_POST
def receipt_reverse(request, pk):
    receipt = get_object_or_404(Receipt, pk=pk)
    try:
        services.receipt_reverse(receipt=receipt, by=request.user, version=_version(request),
                                 reason=request.POST.get("reason", ""))
    except (ValidationError, InvalidTransition, ConcurrentChange, PermissionDenied) as error:
        messages.error(request, error_text(error))
    else:
        messages.success(request, _("%(number)s reversed.") % {"number": receipt.number})
    return redirect("finance:receipt_detail", pk=pk)


# ---------------------------------------------------------------- bank accounts


@login_required
@permission_required("finance.view_bankaccount", raise_exception=True)
def bank_account_list(request):
    return render(request, "finance/bank_account_list.html", {"accounts": BankAccount.objects.all()})


@login_required
def bank_account_form(request, pk=None):
    """Add a company account, or change one from the version the form showed."""
    account = get_object_or_404(BankAccount, pk=pk) if pk else None
    if not request.user.has_perm("finance.change_bankaccount" if account else "finance.add_bankaccount"):
        raise PermissionDenied
    form = BankAccountForm(request.POST or None, instance=None,
                           initial={**(model_to_dict(account) if account else {}),
                                    "version": account.version if account else 0})
    if request.method == "POST" and form.is_valid():
        try:
            services.bank_account_save(by=request.user, account=account, version=form.cleaned_data["version"] or 0,
                                       **form.values())
        except (ValidationError, ConcurrentChange) as error:
            apply_service_errors(form, error if isinstance(error, ValidationError) else
                                 ValidationError(error_text(error)))
        else:
            messages.success(request, _("Bank account saved."))
            return redirect("finance:bank_account_list")
    return render(request, "finance/bank_account_form.html", {"form": form, "account": account})


# ---------------------------------------------------------------- receivables


BUCKET_LABELS = [("not_due", gettext_lazy("Not due")), ("1_30", gettext_lazy("1–30 days")),
                 ("31_60", gettext_lazy("31–60 days")), ("61_90", gettext_lazy("61–90 days")),
                 ("over_90", gettext_lazy("Over 90 days"))]
AGING_COLUMNS = [
    (gettext_lazy("Customer"), lambda row: row["customer"].code),
    (gettext_lazy("Customer name"), lambda row: row["customer"].name_en),
    (gettext_lazy("Currency"), lambda row: row["currency"]),
    *[(label, lambda row, key=key: row[key]) for key, label in BUCKET_LABELS],
    (gettext_lazy("Outstanding"), lambda row: row["total"]),
]


@login_required
@permission_required(VIEW, raise_exception=True)
def receivables_page(request):
    """Receivables aging as of any day: what each customer owed then, by how late it was."""
    form = AsOfForm(request.GET or None, initial={"as_of": timezone.localdate()})
    as_of = form.cleaned_data["as_of"] if form.is_bound and form.is_valid() and form.cleaned_data["as_of"] \
        else timezone.localdate()
    rows = aging_by_customer(as_of)
    if request.GET.get("export") == "xlsx":
        return xlsx_response(rows, AGING_COLUMNS, f"receivables-{as_of:%Y-%m-%d}")
    return render(request, "finance/receivables.html", {
        "form": form, "as_of": as_of, "rows": rows, "buckets": BUCKET_LABELS, "totals": _totals(rows),
        "query": request.GET.urlencode()})


def _totals(rows: list[dict]) -> list[dict]:
    """One line per currency: amounts in different currencies are never added together."""
    totals: dict[str, dict] = {}
    for row in rows:
        total = totals.setdefault(row["currency"], {"currency": row["currency"], "total": 0,
                                                    **{key: 0 for key, _label in BUCKET_LABELS}})
        for key in [*(k for k, _label in BUCKET_LABELS), "total"]:
            total[key] += row[key]
    return list(totals.values())


# ---------------------------------------------------------------- the order page's money card


@login_required
def order_money(request, order_pk, form: GateExceptionForm | None = None):
    """The order's payment schedule, what has arrived, and whether its money lets it go into production and
    ship (loaded into the order page, like the plan)."""
    order = get_object_or_404(order_list_visible_to(user=request.user), pk=order_pk)
    may_grant = request.user.has_perm("finance.add_gateexception")
    lines = schedule_of(order)
    return render(request, "finance/includes/order_money.html", {
        "order": order, "lines": lines,
        "gates": [(_("Production"), gates.may_start_production(order, lines=lines)),
                  (_("Shipment"), gates.may_ship(order, lines=lines))],
        "exceptions": order.gate_exceptions.select_related("granted_by", "revoked_by"),
        "may_grant": may_grant, "exception_form": form or (GateExceptionForm() if may_grant else None),
        "receipts_url": reverse("finance:receipt_list") if request.user.has_perm(VIEW) else "",
    })


@login_required
def customer_money(request, customer_pk):
    """On the customer's page, for whoever sees the customer: what they owe by age, and what is on account.
    Money overdue beyond `GENDAN_OVERDUE_FLAG_DAYS` is flagged."""
    customer = get_object_or_404(customer_list_visible_to(user=request.user), pk=customer_pk)
    today = timezone.localdate()
    rows = aging_by_customer(today, ScheduleLine.objects.filter(order__customer=customer))
    return render(request, "finance/includes/customer_money.html", {
        "customer": customer, "rows": rows, "buckets": BUCKET_LABELS, "credit": customer_credit(customer),
        "flagged": overdue_flagged(customer, today), "flag_after": settings.GENDAN_OVERDUE_FLAG_DAYS})


@login_required
@require_POST
def gate_exception_grant(request, order_pk):
    order = get_object_or_404(order_list_visible_to(user=request.user), pk=order_pk)
    form = GateExceptionForm(request.POST)
    if form.is_valid():
        try:
            services.gate_exception_grant(order=order, by=request.user, **form.cleaned_data)
        except ValidationError as error:
            apply_service_errors(form, error)
        else:
            messages.success(request, _("Exception recorded."))
            return order_money(request, order_pk)
    return order_money(request, order_pk, form=form)


@login_required
@require_POST
def gate_exception_revoke(request, pk):
    exception = get_object_or_404(GateException, pk=pk)
    get_object_or_404(order_list_visible_to(user=request.user), pk=exception.order_id)
    try:
        services.gate_exception_revoke(exception=exception, by=request.user)
    except (ValidationError, PermissionDenied) as error:
        messages.error(request, error_text(error))
    else:
        messages.success(request, _("Exception revoked."))
    return order_money(request, exception.order_id)


# ---------------------------------------------------------------- credit


@login_required
def order_credit(request, order_pk, errors: dict | None = None, entered: str = ""):
    """The credit card on the page of an order not confirmed yet: the customer's exposure against the limit, and
    the credit approval confirming needs past it (requested here, approved or rejected here by a manager)."""
    order = get_object_or_404(order_list_visible_to(user=request.user), pk=order_pk)
    check = credit_check(order)
    return render(request, "finance/includes/order_credit.html", {
        "order": order, "check": check, "errors": errors or {}, "entered": entered,
        "approvals": order.credit_approvals.select_related("requested_by", "decided_by"),
        "may_request": check.needs_approval and check.pending is None and order.status in UNCONFIRMED
        and services.may_request_credit(request.user, order),
        "may_decide": request.user.has_perm("finance.approve_credit"),
    }, status=400 if errors else 200)


@login_required
@require_POST
def credit_request(request, order_pk):
    order = get_object_or_404(order_list_visible_to(user=request.user), pk=order_pk)
    reason = request.POST.get("reason", "")
    try:
        services.credit_approval_request(order=order, by=request.user, reason=reason)
    except ValidationError as error:
        return order_credit(request, order_pk, errors=error.message_dict, entered=reason)
    messages.success(request, _("Credit approval requested: a sales manager or the general manager decides it."))
    return order_credit(request, order_pk)


@login_required
@require_POST
def credit_decide(request, pk, decision):
    """Approve or reject a credit request, from the order's card (htmx) or the list of requests."""
    if decision not in ("approve", "reject"):
        raise Http404
    approval = get_object_or_404(CreditApproval.objects.select_related("order"), pk=pk)
    if not request.user.has_perm("finance.approve_credit"):
        raise PermissionDenied
    version = request.POST.get("version", "")
    try:
        if not version.isdigit():
            raise ValidationError({"version": _("The form is missing the request's version; reload the page.")})
        services.credit_approval_decide(approval=approval, by=request.user, approve=decision == "approve",
                                        version=int(version), note=request.POST.get("note", ""))
    except (ValidationError, InvalidTransition, ConcurrentChange) as error:
        messages.error(request, error_text(error))
    else:
        messages.success(request, (_("Credit for %(number)s approved.") if decision == "approve" else
                                   _("Credit for %(number)s rejected.")) % {"number": approval.order.number})
    if request.htmx and request.POST.get("from") == "order":
        return order_credit(request, approval.order_id)
    return redirect("finance:credit_approval_list")


@login_required
@permission_required("finance.view_creditapproval", raise_exception=True)
def credit_approval_list(request):
    """Credit requests waiting for a decision, and the latest decisions."""
    rows = CreditApproval.objects.select_related("order__customer", "requested_by", "decided_by")
    return render(request, "finance/credit_approval_list.html", {
        "pending": rows.filter(status=CreditApprovalStatus.REQUESTED).order_by("requested_at"),
        "decided": rows.exclude(status=CreditApprovalStatus.REQUESTED).order_by("-decided_at", "-pk")[:50],
        "may_decide": request.user.has_perm("finance.approve_credit")})


@login_required
def customer_flag(request):
    """A warning, on the new-order form and the order page, when the customer has money overdue beyond
    `GENDAN_OVERDUE_FLAG_DAYS`; empty otherwise (and for a customer the user does not see)."""
    text = request.GET.get("customer", "")
    customer = customer_list_visible_to(user=request.user).filter(pk=text).first() if text.isdigit() else None
    if customer is None or not overdue_flagged(customer, timezone.localdate()):
        return HttpResponse("")
    return render(request, "finance/includes/customer_flag.html", {
        "customer": customer, "flag_after": settings.GENDAN_OVERDUE_FLAG_DAYS})
