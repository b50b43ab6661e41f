from decimal import Decimal, InvalidOperation

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required, permission_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
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
from gendan.core.listing import PER_PAGE, filtered_list
from gendan.core.money import Money
from gendan.core.xlsx import xlsx_response
from gendan.finance import gates, services
from gendan.finance.choices import CreditApprovalStatus, ReceiptStatus
from gendan.finance.credit import UNCONFIRMED, credit_check
from gendan.finance.filters import PROFIT_ORDERING, ExpenseFilter, GateExceptionFilter, ProfitFilter, ReceiptFilter
from gendan.finance.forms import (
    PROFIT_GROUPS,
    AsOfForm,
    BankAccountForm,
    ExpenseForm,
    GateExceptionForm,
    ReceiptForm,
    RefundForm,
    RefundRateForm,
    VatRefundForm,
)
from gendan.finance.models import (
    Allocation,
    BankAccount,
    CreditApproval,
    Expense,
    GateException,
    Receipt,
    RefundRate,
    ScheduleLine,
    VatRefund,
)
from gendan.finance.profit import (
    GROUPS,
    PARTS,
    PROFIT_STATES,
    current_rates,
    expenses_of,
    order_profit,
    profit_by,
    profit_rows,
    profitable_orders,
    rounded,
)
from gendan.finance.selectors import (
    BUCKET_LABELS,
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


EXCEPTION_COLUMNS = [
    (gettext_lazy("Order"), lambda e: e.order.number),
    (gettext_lazy("Customer"), lambda e: e.order.customer.code),
    (gettext_lazy("Gate"), lambda e: e.get_gate_display()),
    (gettext_lazy("Reason"), lambda e: e.reason),
    (gettext_lazy("Granted by"), lambda e: str(e.granted_by)),
    (gettext_lazy("Granted at"), lambda e: e.granted_at),
    (gettext_lazy("Expires on"), lambda e: e.expires_on),
    (gettext_lazy("Revoked at"), lambda e: e.revoked_at),
]


@login_required
@permission_required("finance.view_gateexception", raise_exception=True)
def gate_exception_list(request):
    """Every order let through a money gate, in force, expired or revoked: who decided it and why."""
    exceptions = GateException.objects.select_related("order__customer", "granted_by", "revoked_by")
    context, export = filtered_list(request, exceptions, GateExceptionFilter, columns=EXCEPTION_COLUMNS,
                                    filename="gate-exceptions")
    if export:
        return export
    return render(request, "finance/gate_exception_list.html", {**context, "today": timezone.localdate()})


@login_required
@permission_required("finance.add_receipt", raise_exception=True)
def receipt_create(request):
    # from a plan's "record the receipt" link: the order's customer chosen already
    customer = request.GET.get("customer", "")
    form = ReceiptForm(request.POST or None, initial={"received_on": timezone.localdate(),
                                                      "customer": customer if customer.isdigit() else None})
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
def receipt_detail(request, pk, errors: dict | None = None, entered: dict | None = None,
                   refund_form: RefundForm | None = None):
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
        "released": Allocation.history.filter(receipt_id=receipt.pk, history_type="-")
        .select_related("history_user", "line__order").order_by("history_date"),
        "refunds": receipt.refunds.select_related("recorded_by"),
        "refund_form": refund_form or (RefundForm(initial={"refunded_on": timezone.localdate()})
                                       if receipt.status == ReceiptStatus.CONFIRMED else None),
    }, status=400 if errors or (refund_form and refund_form.errors) else 200)


@login_required
@require_POST
def allocation_release(request, pk, allocation_pk):
    """Take one allocation off (to move it to another order, or because it was wrong), with a reason."""
    receipt = get_object_or_404(Receipt, pk=pk)
    allocation = get_object_or_404(receipt.allocations.select_related("line__order"), pk=allocation_pk)
    try:
        services.allocation_release(allocation=allocation, by=request.user, version=_version(request),
                                    reason=request.POST.get("reason", ""))
    except (ValidationError, ConcurrentChange, PermissionDenied) as error:
        messages.error(request, error_text(error))
    else:
        messages.success(request, _("%(amount)s taken off %(order)s: it is back in this receipt's rest.") % {
            "amount": Money(allocation.amount, receipt.currency), "order": allocation.line.order.number})
    return redirect("finance:receipt_detail", pk=pk)


@login_required
@require_POST
def refund_record(request, pk):
    receipt = get_object_or_404(Receipt, pk=pk)
    form = RefundForm(request.POST)
    if form.is_valid():
        try:
            services.refund_record(receipt=receipt, by=request.user, version=_version(request), **form.cleaned_data)
        except ValidationError as error:
            apply_service_errors(form, error)
        except (ConcurrentChange, PermissionDenied) as error:
            messages.error(request, error_text(error))
            return redirect("finance:receipt_detail", pk=pk)
        else:
            messages.success(request, _("Refund of %(amount)s recorded.") % {
                "amount": Money(form.cleaned_data["amount"], receipt.currency)})
            return redirect("finance:receipt_detail", pk=pk)
    return receipt_detail(request, pk, refund_form=form)


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


# the last day of lateness in each bucket: money in a bucket reaching past the limit is flagged
BUCKET_LAST_DAY = {"1_30": 30, "31_60": 60, "61_90": 90, "over_90": 10**6}
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
        "order": order, "lines": lines, **_profit_context(request.user, order),
        "gates": [(_("Production"), gates.may_start_production(order, lines=lines)),
                  (_("Shipment"), gates.may_ship(order, lines=lines))],
        "exceptions": order.gate_exceptions.select_related("granted_by", "revoked_by"),
        "may_grant": may_grant, "exception_form": form or (GateExceptionForm() if may_grant else None),
        "receipts_url": reverse("finance:receipt_list") if request.user.has_perm(VIEW) else "",
    })


def _profit_context(user, order) -> dict:
    """What the order earns, its expenses and its VAT refund: only for those who may see profit."""
    if not user.has_perm(PROFIT):
        return {}
    refund = VatRefund.objects.filter(order=order).first()
    may_refund = user.has_perm("finance.change_vatrefund")
    return {
        "profit": order_profit(order) if order.status in PROFIT_STATES else None,
        "expenses": expenses_of(order), "refund": refund,
        "may_add_expense": user.has_perm("finance.add_expense"), "may_void_expense": user.has_perm(
            "finance.void_expense"), "may_refund": may_refund,
        "refund_form": VatRefundForm(initial={**model_to_dict(refund), "version": refund.version} if refund else {
            "version": 0}) if may_refund else None,
    }


@login_required
@require_POST
def vat_refund_record(request, order_pk):
    """Finance records the declared and received refund (or estimates it again), from the order's money card."""
    order = get_object_or_404(order_list_visible_to(user=request.user), pk=order_pk)
    form = VatRefundForm(request.POST)
    try:
        if request.POST.get("action") == "estimate":
            services.vat_refund_estimate(order=order, by=request.user)
        elif not form.is_valid():
            raise ValidationError(form.errors.as_data())
        else:
            services.vat_refund_record(order=order, by=request.user, version=form.cleaned_data["version"] or 0,
                                       **form.values())
    except ValidationError as error:
        # on the order page, away from the form: each message says which field it is about
        messages.error(request, " ".join(f"{form.fields[name].label if name in form.fields else ''}: {text}"
                                         for name, texts in error.message_dict.items() for text in texts))
    except (ConcurrentChange, PermissionDenied) as error:
        messages.error(request, error_text(error))
    else:
        messages.success(request, _("Export VAT refund saved."))
    return redirect(order)


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


# ---------------------------------------------------------------- expenses

PROFIT = "finance.view_profit"
EXPENSE_COLUMNS = [
    (gettext_lazy("Incurred on"), lambda e: e.incurred_on),
    (gettext_lazy("Order"), lambda e: e.order.number),
    (gettext_lazy("Customer"), lambda e: e.order.customer.code),
    (gettext_lazy("Kind"), lambda e: e.get_kind_display()),
    (gettext_lazy("Currency"), lambda e: e.currency),
    (gettext_lazy("Amount"), lambda e: e.amount),
    (gettext_lazy("Exchange rate to CNY"), lambda e: e.rate_to_cny),
    (gettext_lazy("Amount (CNY)"), lambda e: e.amount_cny),
    (gettext_lazy("Paid to"), lambda e: str(e.supplier or e.payee)),
    (gettext_lazy("Reference"), lambda e: e.reference),
    (gettext_lazy("Recorded by"), lambda e: str(e.recorded_by)),
    (gettext_lazy("Voided"), lambda e: e.void_reason if e.is_void else ""),
]


@login_required
@permission_required("finance.view_expense", raise_exception=True)
def expense_list(request):
    expenses = Expense.objects.select_related("order__customer", "supplier", "recorded_by")
    context, export = filtered_list(request, expenses, ExpenseFilter, columns=EXPENSE_COLUMNS, filename="expenses")
    return export or render(request, "finance/expense_list.html", context)


@login_required
@permission_required("finance.add_expense", raise_exception=True)
def expense_create(request):
    orders = order_list_visible_to(user=request.user).exclude(status=OrderStatus.DRAFT).order_by("-number")
    order = orders.filter(pk=request.GET["order"]).first() if request.GET.get("order", "").isdigit() else None
    form = ExpenseForm(request.POST or None, orders=orders, initial={
        "order": order, "incurred_on": timezone.localdate(), "currency": "CNY", "rate_to_cny": 1})
    if request.method == "POST" and form.is_valid():
        try:
            expense = services.expense_record(by=request.user, **form.values())
        except ValidationError as error:
            apply_service_errors(form, error)
        else:
            messages.success(request, _("%(kind)s of %(amount)s recorded on %(order)s.") % {
                "kind": expense.get_kind_display(), "amount": Money(expense.amount, expense.currency),
                "order": expense.order.number})
            return redirect(expense.order) if order else redirect("finance:expense_list")
    return render(request, "finance/expense_form.html", {"form": form, "order": order})


@login_required
@require_POST
def expense_void(request, pk):
    expense = get_object_or_404(Expense, pk=pk)
    if not request.user.has_perm("finance.view_expense"):
        raise PermissionDenied
    try:
        services.expense_void(expense=expense, by=request.user, version=_version(request),
                              reason=request.POST.get("reason", ""))
    except (ValidationError, ConcurrentChange, PermissionDenied) as error:
        messages.error(request, error_text(error))
    else:
        messages.success(request, _("Expense voided: it no longer counts in the order's profit."))
    return redirect(expense.order if request.POST.get("back") == "order" else "finance:expense_list")


# ---------------------------------------------------------------- export VAT refund rates


@login_required
@permission_required("finance.view_refundrate", raise_exception=True)
def refund_rate_list(request, pk=None):
    """The refund rates by HS code, and a form to add one (or change the one opened)."""
    rate = get_object_or_404(RefundRate, pk=pk) if pk else None
    may_edit = request.user.has_perm("finance.change_refundrate" if rate else "finance.add_refundrate")
    initial = {**model_to_dict(rate), "version": rate.version} if rate else {"vat_rate": 13}
    form = RefundRateForm(request.POST or None, initial=initial) if may_edit else None
    if request.method == "POST":
        if form is None:
            raise PermissionDenied
        if form.is_valid():
            try:
                services.refund_rate_save(by=request.user, rate=rate, version=form.cleaned_data["version"] or 0,
                                          **form.values())
            except (ValidationError, ConcurrentChange) as error:
                apply_service_errors(form, error if isinstance(error, ValidationError) else
                                     ValidationError(error_text(error)))
            else:
                messages.success(request, _("Refund rate saved."))
                return redirect("finance:refund_rate_list")
    rates = RefundRate.objects.all()
    today = timezone.localdate()
    for row in rates:
        row.current = row.valid_from <= today and (row.valid_to is None or row.valid_to >= today)
    return render(request, "finance/refund_rates.html", {"rates": rates, "form": form, "rate": rate},
                  status=400 if form is not None and form.errors else 200)


# ---------------------------------------------------------------- profit


def _cny(value) -> str:
    return str(Money(value, "CNY"))


PROFIT_COLUMNS = [
    (gettext_lazy("Order"), lambda o: o.number),
    (gettext_lazy("Order date"), lambda o: o.order_date),
    (gettext_lazy("Customer"), lambda o: o.customer.code),
    (gettext_lazy("Salesperson"), lambda o: str(o.salesperson)),
    (gettext_lazy("Currency"), lambda o: o.currency),
    (gettext_lazy("Total"), lambda o: o.total_amount),
    (gettext_lazy("Revenue (CNY)"), lambda o: o.revenue_cny),
    (gettext_lazy("Purchase cost (CNY)"), lambda o: o.purchase_cny),
    (gettext_lazy("Expenses (CNY)"), lambda o: o.expenses_cny),
    (gettext_lazy("Bank charges (CNY)"), lambda o: o.charges_cny),
    (gettext_lazy("VAT refund (CNY)"), lambda o: o.refund_cny),
    (gettext_lazy("Non-creditable VAT (CNY)"), lambda o: o.non_creditable_cny),
    (gettext_lazy("Profit (CNY)"), lambda o: o.profit_cny),
]
GROUP_COLUMNS = [
    (gettext_lazy("Group"), lambda row: row["label"]),
    (gettext_lazy("Orders"), lambda row: row["orders"]),
    *[(label, lambda row, name=name: row[name]) for name, label in [
        ("revenue_cny", gettext_lazy("Revenue (CNY)")), ("purchase_cny", gettext_lazy("Purchase cost (CNY)")),
        ("expenses_cny", gettext_lazy("Expenses (CNY)")), ("charges_cny", gettext_lazy("Bank charges (CNY)")),
        ("refund_cny", gettext_lazy("VAT refund (CNY)")),
        ("non_creditable_cny", gettext_lazy("Non-creditable VAT (CNY)")),
        ("profit_cny", gettext_lazy("Profit (CNY)"))]],
]


def _rounded_rows(rows):
    for row in rows:
        rounded(row)
        yield row


@login_required
@permission_required(PROFIT, raise_exception=True)
def profit_page(request):
    """Each order's profit in CNY, or the totals per customer, salesperson or month (summed in the database)."""
    group = request.GET.get("group", "")
    group = group if group in GROUPS else ""
    base = profitable_orders(order_list_visible_to(user=request.user))
    filterset = ProfitFilter(request.GET or None, queryset=base, request=request)
    orders = filterset.qs if filterset.is_bound and filterset.is_valid() else base
    rates = current_rates()
    export = request.GET.get("export") == "xlsx"
    query = request.GET.copy()
    query.pop("page", None)
    context = {"filter": filterset, "group": group, "groups": PROFIT_GROUPS, "rates": sorted(rates.items())}
    if group:
        rows = profit_by(orders, group, rates)
        if export:
            return xlsx_response(rows, GROUP_COLUMNS, f"profit-by-{group}")
        context["rows"], context["totals"] = rows, _profit_totals(rows)
    else:
        ordering = PROFIT_ORDERING.get(request.GET.get("ordering", ""), PROFIT_ORDERING[""])
        rows = profit_rows(orders, rates).order_by(*ordering)
        if export:
            return xlsx_response(_rounded_rows(rows.iterator(chunk_size=2000)), PROFIT_COLUMNS, "profit")
        page = Paginator(rows, PER_PAGE).get_page(request.GET.get("page"))
        for row in page:
            rounded(row)
        context["page"] = page
        context["totals"] = _profit_totals(profit_by(orders, "month", rates))  # every listed order, summed in SQL
    context["query"] = query.urlencode()
    return render(request, "finance/profit.html", context)


def _profit_totals(rows: list[dict]) -> dict:
    totals = {name: sum((row[name] for row in rows), Decimal(0)) for name in PARTS}
    totals["orders"] = sum(row["orders"] for row in rows)
    totals["unrated"] = sum(row["unrated"] for row in rows)
    return totals

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
        "may_decide": request.user.has_perm("finance.approve_credit") and (
            check.pending is None or check.pending.requested_by_id != request.user.pk),
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
    except (ValidationError, InvalidTransition, ConcurrentChange, PermissionDenied) as error:
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
