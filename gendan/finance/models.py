"""Money on orders: the payment schedule an order's terms produce, the company's bank accounts, and the
receipts finance records and allocates to schedule lines. What is received is never a stored flag: it is
summed from the allocations of confirmed receipts every time (`selectors.received_by_line`), so reversing a
receipt takes its money off at once. Beside them: what an order cost (`Expense`), the export VAT refund rates
by HS code (`RefundRate`) and each order's refund (`VatRefund`), from which `profit.py` works out its profit."""

from decimal import Decimal

from django.core.validators import MaxValueValidator, MinValueValidator, RegexValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from gendan.accounts.models import User
from gendan.core.history import business_history
from gendan.core.models import CompanyType
from gendan.core.money import round_amount
from gendan.core.validators import validate_currency
from gendan.finance.choices import (
    CREDIT_APPROVAL_MOVES,
    RECEIPT_MOVES,
    CreditApprovalStatus,
    DueAfter,
    ExpenseKind,
    Gate,
    PaperKind,
    ReceiptStatus,
    ScheduleKind,
)
from gendan.sales.models import ReadableDecimalField

AMOUNT = {"max_digits": 16, "decimal_places": 3}  # as the order's total: KWD has three minor digits
CNY = {"max_digits": 16, "decimal_places": 2}  # yuan and fen
RATE = {"max_digits": 12, "decimal_places": 6}  # CNY for one unit of a currency
PERCENT = {"max_digits": 5, "decimal_places": 2, "validators": [MinValueValidator(0), MaxValueValidator(100)]}


class BankAccount(models.Model):
    """A company account customers pay into: printed on the PI for the order's currency, named on receipts."""

    name = models.CharField(_("name"), max_length=100, help_text=_("As people here call it, e.g. 中行美元户"))
    beneficiary = models.CharField(_("beneficiary"), max_length=200)
    bank_name = models.CharField(_("bank"), max_length=200)
    bank_address = models.CharField(_("bank address"), max_length=300, blank=True)
    account_no = models.CharField(_("account number"), max_length=50)
    swift = models.CharField(_("SWIFT / BIC"), max_length=11, blank=True, validators=[RegexValidator(
        r"^[A-Z]{6}[A-Z0-9]{2}([A-Z0-9]{3})?$", _("8 or 11 letters and digits, e.g. BKCHCNBJ92A"))])
    currency = models.CharField(_("currency"), max_length=3, validators=[validate_currency])
    is_active = models.BooleanField(_("in use"), default=True)
    version = models.PositiveIntegerField(default=0)
    updated_at = models.DateTimeField(auto_now=True)
    history = business_history()

    class Meta:
        verbose_name = _("bank account")
        verbose_name_plural = _("bank accounts")
        ordering = ["currency", "name"]

    def __str__(self) -> str:
        return f"{self.name} ({self.currency})"


class ScheduleLine(models.Model):
    """What the customer owes on an order and when: the deposit and the balance its payment terms give."""

    order = models.ForeignKey("sales.SalesOrder", on_delete=models.CASCADE, related_name="schedule_lines")
    kind = models.CharField(_("kind"), max_length=10, choices=ScheduleKind.choices)
    amount = ReadableDecimalField(_("amount"), **AMOUNT, validators=[MinValueValidator(0)])
    currency = models.CharField(_("currency"), max_length=3, validators=[validate_currency])
    due_after = models.CharField(_("due after"), max_length=12, choices=DueAfter.choices)
    due_days = models.PositiveIntegerField(_("days"), default=0)
    due_from = models.DateField(_("counts from"), null=True, blank=True,
                                help_text=_("The date it counts from, once known (e.g. the B/L date)."))
    due_date = models.DateField(_("due date"), null=True, blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)  # owed from then: receivables as of a date
    version = models.PositiveIntegerField(default=0)
    updated_at = models.DateTimeField(auto_now=True)
    history = business_history(indexed=("order",))  # statements read a customer's lines as they stood

    class Meta:
        verbose_name = _("payment schedule line")
        verbose_name_plural = _("payment schedule")
        ordering = ["order", "kind"]
        constraints = [models.UniqueConstraint(fields=["order", "kind"], name="one_schedule_line_per_kind")]

    def __str__(self) -> str:
        return f"{self.order} · {self.get_kind_display()}"


class Receipt(models.Model):
    """Money a customer sent, as the bank statement shows it. `amount` is what the customer paid (and is
    allocated to their orders); the banks' charges are deducted from it on the way, so the account is credited
    amount − bank charges. Only confirmed receipts (到账确认) count; a receipt is reversed, never deleted."""

    status_moves = RECEIPT_MOVES

    number = models.CharField(_("number"), max_length=20, unique=True, editable=False)
    customer = models.ForeignKey("parties.Customer", verbose_name=_("customer"), on_delete=models.PROTECT,
                                 related_name="receipts")
    received_on = models.DateField(_("received on"), db_index=True)
    bank_account = models.ForeignKey(BankAccount, verbose_name=_("bank account"), on_delete=models.PROTECT,
                                     related_name="receipts")
    currency = models.CharField(_("currency"), max_length=3, validators=[validate_currency])
    amount = ReadableDecimalField(_("amount paid"), **AMOUNT)
    bank_charges = ReadableDecimalField(_("bank charges"), **AMOUNT, default=0)
    rate_to_cny = ReadableDecimalField(_("exchange rate to CNY"), max_digits=12, decimal_places=6,
                                       help_text=_("CNY for one unit of the currency, e.g. 7.1234"))
    reference = models.CharField(_("bank reference"), max_length=60, blank=True)
    note = models.CharField(_("note"), max_length=300, blank=True)
    status = models.CharField(_("status"), max_length=10, choices=ReceiptStatus.choices,
                              default=ReceiptStatus.RECORDED, db_index=True)
    recorded_by = models.ForeignKey(User, verbose_name=_("recorded by"), on_delete=models.PROTECT, related_name="+")
    confirmed_by = models.ForeignKey(User, verbose_name=_("confirmed by"), on_delete=models.PROTECT, related_name="+",
                                     null=True, blank=True)
    confirmed_at = models.DateTimeField(_("confirmed at"), null=True, blank=True)
    reverse_reason = models.CharField(_("reason for reversing"), max_length=300, blank=True)
    version = models.PositiveIntegerField(default=0)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    history = business_history(indexed=("customer",))  # and their receipts

    class Meta:
        verbose_name = _("receipt")
        verbose_name_plural = _("receipts")
        ordering = ["-received_on", "-pk"]
        permissions = [("confirm_receipt", "Can confirm that a receipt arrived"),
                       ("reverse_receipt", "Can reverse a receipt")]
        constraints = [
            models.CheckConstraint(condition=models.Q(amount__gt=0), name="receipt_amount_positive"),
            models.CheckConstraint(condition=models.Q(bank_charges__gte=0), name="receipt_charges_not_negative"),
            models.CheckConstraint(condition=models.Q(rate_to_cny__gt=0), name="receipt_rate_positive"),
        ]

    def __str__(self) -> str:
        return self.number


class Allocation(models.Model):
    """Part of a receipt applied to one schedule line. It counts while its receipt is confirmed."""

    receipt = models.ForeignKey(Receipt, on_delete=models.PROTECT, related_name="allocations")
    line = models.ForeignKey(ScheduleLine, verbose_name=_("schedule line"), on_delete=models.PROTECT,
                             related_name="allocations")
    amount = ReadableDecimalField(_("amount"), **AMOUNT)
    created_by = models.ForeignKey(User, verbose_name=_("allocated by"), on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(_("allocated at"), auto_now_add=True)
    history = business_history()

    class Meta:
        verbose_name = _("allocation")
        verbose_name_plural = _("allocations")
        constraints = [models.CheckConstraint(condition=models.Q(amount__gt=0), name="allocation_positive")]

    def __str__(self) -> str:
        return f"{self.receipt} → {self.line}"


class Refund(models.Model):
    """Money paid back to a customer out of a confirmed receipt's part not allocated to any order (an overpayment,
    a cancelled order's deposit released first). It leaves the customer's credit; the statement shows it."""

    receipt = models.ForeignKey(Receipt, verbose_name=_("receipt"), on_delete=models.PROTECT, related_name="refunds")
    amount = ReadableDecimalField(_("amount"), **AMOUNT)
    refunded_on = models.DateField(_("paid back on"))
    reference = models.CharField(_("bank reference"), max_length=60, blank=True)
    reason = models.CharField(_("reason"), max_length=300)
    recorded_by = models.ForeignKey(User, verbose_name=_("recorded by"), on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(_("recorded at"), auto_now_add=True)
    history = business_history(indexed=("receipt",))

    class Meta:
        verbose_name = _("refund")
        verbose_name_plural = _("refunds")
        ordering = ["refunded_on", "pk"]
        constraints = [models.CheckConstraint(condition=models.Q(amount__gt=0), name="refund_positive")]

    def __str__(self) -> str:
        return f"{self.receipt} ↩ {self.amount}"


class GateException(models.Model):
    """Finance or the general manager lifting one gate for one order, with a reason and perhaps an expiry (the
    customer is trusted, the L/C is on its way). Revoked, it stays on record."""

    order = models.ForeignKey("sales.SalesOrder", on_delete=models.CASCADE, related_name="gate_exceptions")
    gate = models.CharField(_("gate"), max_length=12, choices=Gate.choices)
    reason = models.CharField(_("reason"), max_length=300)
    expires_on = models.DateField(_("expires on"), null=True, blank=True,
                                  help_text=_("Leave empty for as long as the order needs it."))
    granted_by = models.ForeignKey(User, verbose_name=_("granted by"), on_delete=models.PROTECT, related_name="+")
    granted_at = models.DateTimeField(_("granted at"), auto_now_add=True)
    revoked_by = models.ForeignKey(User, verbose_name=_("revoked by"), on_delete=models.PROTECT, related_name="+",
                                   null=True, blank=True)
    revoked_at = models.DateTimeField(_("revoked at"), null=True, blank=True)
    history = business_history()

    class Meta:
        verbose_name = _("gate exception")
        verbose_name_plural = _("gate exceptions")
        ordering = ["-granted_at", "-pk"]

    def __str__(self) -> str:
        return f"{self.order} · {self.get_gate_display()}"

    def is_active_on(self, day) -> bool:
        return self.revoked_at is None and (self.expires_on is None or self.expires_on >= day)


# ---------------------------------------------------------------- costs and the export VAT refund


class Expense(models.Model):
    """Money an order cost beyond the goods: freight, trucking, courier, inspection, certificates, bank fees,
    packing and crates. In any currency with the rate to CNY finance applied; never deleted: voided with a reason,
    and then it stops counting in the order's profit."""

    order = models.ForeignKey("sales.SalesOrder", verbose_name=_("order"), on_delete=models.PROTECT,
                              related_name="expenses")
    kind = models.CharField(_("kind"), max_length=12, choices=ExpenseKind.choices)
    amount = ReadableDecimalField(_("amount"), **AMOUNT)
    currency = models.CharField(_("currency"), max_length=3, validators=[validate_currency])
    rate_to_cny = ReadableDecimalField(_("exchange rate to CNY"), **RATE,
                                       help_text=_("CNY for one unit of the currency; 1 for CNY"))
    incurred_on = models.DateField(_("incurred on"), db_index=True)
    supplier = models.ForeignKey("parties.Supplier", verbose_name=_("supplier"), on_delete=models.PROTECT,
                                 related_name="+", null=True, blank=True)
    payee = models.CharField(_("payee"), max_length=200, blank=True,
                             help_text=_("Who was paid, when it is not one of our suppliers"))
    reference = models.CharField(_("reference"), max_length=60, blank=True, help_text=_("Invoice or voucher no."))
    note = models.CharField(_("note"), max_length=300, blank=True)
    recorded_by = models.ForeignKey(User, verbose_name=_("recorded by"), on_delete=models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField(_("recorded at"), auto_now_add=True)
    voided_by = models.ForeignKey(User, verbose_name=_("voided by"), on_delete=models.PROTECT, related_name="+",
                                  null=True, blank=True)
    voided_at = models.DateTimeField(_("voided at"), null=True, blank=True)
    void_reason = models.CharField(_("reason for voiding"), max_length=300, blank=True)
    version = models.PositiveIntegerField(default=0)
    updated_at = models.DateTimeField(auto_now=True)
    history = business_history()

    class Meta:
        verbose_name = _("expense")
        verbose_name_plural = _("expenses")
        ordering = ["-incurred_on", "-pk"]
        permissions = [("void_expense", "Can void an expense"),
                       ("view_profit", "Can see order profit, expenses and export VAT refunds")]
        constraints = [
            models.CheckConstraint(condition=models.Q(amount__gt=0), name="expense_amount_positive"),
            models.CheckConstraint(condition=models.Q(rate_to_cny__gt=0), name="expense_rate_positive"),
        ]

    def __str__(self) -> str:
        return f"{self.order} · {self.get_kind_display()}"

    @property
    def is_void(self) -> bool:
        return self.voided_at is not None

    @property
    def amount_cny(self) -> Decimal:
        return round_amount(self.amount * self.rate_to_cny, "CNY")


class RefundRate(models.Model):
    """The export VAT refund rate (出口退税率) and the VAT rate for goods under an HS code, valid for a period: rates
    change by State Taxation Administration notice, so they are data. `hs_prefix` is a whole code or its first
    digits (e.g. 8302 for all of heading 83.02); a product takes the longest prefix of its code valid on the day."""

    hs_prefix = models.CharField(_("HS code or prefix"), max_length=10, validators=[RegexValidator(
        r"^[0-9]{2,10}$", _("2 to 10 digits of an HS code, without dots, e.g. 8302 or 8302100000"))])
    refund_rate = ReadableDecimalField(_("refund rate %"), **PERCENT)
    vat_rate = ReadableDecimalField(_("VAT rate %"), default=13, **PERCENT)
    valid_from = models.DateField(_("valid from"))
    valid_to = models.DateField(_("valid to"), null=True, blank=True, help_text=_("Empty: until further notice"))
    note = models.CharField(_("note"), max_length=200, blank=True, help_text=_("e.g. the notice that set it"))
    version = models.PositiveIntegerField(default=0)
    updated_at = models.DateTimeField(auto_now=True)
    history = business_history()

    class Meta:
        verbose_name = _("export VAT refund rate")
        verbose_name_plural = _("export VAT refund rates")
        ordering = ["hs_prefix", "-valid_from"]
        constraints = [
            models.UniqueConstraint(fields=["hs_prefix", "valid_from"], name="one_refund_rate_per_prefix_and_day"),
        ]

    def __str__(self) -> str:
        return f"{self.hs_prefix} {self.refund_rate.normalize():f}%"


class VatRefund(models.Model):
    """An order's export VAT refund as three figures, in CNY: estimated from its lines (at confirmation, or again
    on demand), declared to the tax office after shipment, and received. Which formula gave the estimate is kept
    (`method`), with a manufacturer's non-creditable part (a cost, not a refund). See docs/export-vat-refund.md."""

    order = models.OneToOneField("sales.SalesOrder", on_delete=models.CASCADE, related_name="vat_refund")
    method = models.CharField(_("formula"), max_length=12, choices=CompanyType.choices)
    base_cny = ReadableDecimalField(_("basis (CNY)"), **CNY, default=0,
                                    help_text=_("Purchase value (trading company) or FOB value (manufacturer)"))
    estimated_cny = ReadableDecimalField(_("estimated refund (CNY)"), **CNY, default=0)
    non_creditable_cny = ReadableDecimalField(_("non-creditable VAT (CNY)"), **CNY, default=0)
    unrated_lines = models.PositiveIntegerField(_("lines without a rate"), default=0)
    estimated_at = models.DateTimeField(_("estimated at"), null=True, blank=True)
    declared_cny = ReadableDecimalField(_("declared refund (CNY)"), **CNY, null=True, blank=True)
    declared_on = models.DateField(_("declared on"), null=True, blank=True)
    received_cny = ReadableDecimalField(_("received refund (CNY)"), **CNY, null=True, blank=True)
    received_on = models.DateField(_("received on"), null=True, blank=True)
    note = models.CharField(_("note"), max_length=300, blank=True)
    version = models.PositiveIntegerField(default=0)
    updated_at = models.DateTimeField(auto_now=True)
    history = business_history()

    class Meta:
        verbose_name = _("export VAT refund")
        verbose_name_plural = _("export VAT refunds")

    def __str__(self) -> str:
        return f"{self.order} · {self._meta.verbose_name}"

    @property
    def counted_cny(self) -> Decimal:
        """What the profit counts: received if recorded, else declared, else the estimate."""
        for value in (self.received_cny, self.declared_cny):
            if value is not None:
                return value
        return self.estimated_cny

class CreditApproval(models.Model):
    """A manager's yes (or no) to confirming one order that takes its customer past the credit limit. It covers
    the order up to `amount`, the order's total when it was requested: a change that raises the total above it
    needs a new approval. `exposure` and `credit_limit` are what the customer stood at when it was asked."""

    status_moves = CREDIT_APPROVAL_MOVES

    order = models.ForeignKey("sales.SalesOrder", verbose_name=_("order"), on_delete=models.CASCADE,
                              related_name="credit_approvals")
    amount = ReadableDecimalField(_("amount covered"), **AMOUNT)
    currency = models.CharField(_("currency"), max_length=3, validators=[validate_currency])
    exposure = ReadableDecimalField(_("exposure"), **AMOUNT,
                                    help_text=_("Open receivables and unpaid open orders, this order included."))
    credit_limit = ReadableDecimalField(_("credit limit"), **AMOUNT)
    limit_currency = models.CharField(_("currency of the limit"), max_length=3, validators=[validate_currency])
    reason = models.CharField(_("reason"), max_length=300)
    status = models.CharField(_("status"), max_length=10, choices=CreditApprovalStatus.choices,
                              default=CreditApprovalStatus.REQUESTED, db_index=True)
    requested_by = models.ForeignKey(User, verbose_name=_("requested by"), on_delete=models.PROTECT,
                                     related_name="+")
    requested_at = models.DateTimeField(_("requested at"), auto_now_add=True)
    decided_by = models.ForeignKey(User, verbose_name=_("decided by"), on_delete=models.PROTECT, related_name="+",
                                   null=True, blank=True)
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)
    decision_note = models.CharField(_("decision note"), max_length=300, blank=True)
    version = models.PositiveIntegerField(default=0)
    updated_at = models.DateTimeField(auto_now=True)
    history = business_history()

    class Meta:
        verbose_name = _("credit approval")
        verbose_name_plural = _("credit approvals")
        ordering = ["-requested_at", "-pk"]
        permissions = [("approve_credit", "Can approve confirming an order over the customer's credit limit")]
        constraints = [models.UniqueConstraint(fields=["order"], condition=models.Q(status="requested"),
                                               name="one_pending_credit_approval_per_order")]

    def __str__(self) -> str:
        return f"{self.order} · {self.get_status_display()}"

    def covers(self, order) -> bool:
        """Approved, and the order's total has not risen above what was approved (nor changed currency)."""
        return (self.status == CreditApprovalStatus.APPROVED and self.currency == order.currency
                and order.total_amount <= self.amount)


def paper_path(paper: "RefundPaper", filename: str) -> str:
    return f"refund-papers/{paper.order.number}/{paper.kind}/{filename}"


class RefundPaper(models.Model):
    """One paper on an order's export VAT refund checklist, as uploaded: the export declaration, each factory's
    purchase contract and VAT invoice, the commercial invoice, packing list, B/L and the foreign currency
    receipt. Removed papers stay in the history."""

    order = models.ForeignKey("sales.SalesOrder", verbose_name=_("order"), on_delete=models.CASCADE,
                              related_name="refund_papers")
    kind = models.CharField(_("paper"), max_length=12, choices=PaperKind.choices)
    supplier = models.ForeignKey("parties.Supplier", verbose_name=_("factory"), on_delete=models.PROTECT,
                                 related_name="+", null=True, blank=True)
    file = models.FileField(_("file"), upload_to=paper_path)
    note = models.CharField(_("note"), max_length=200, blank=True)
    uploaded_by = models.ForeignKey(User, verbose_name=_("uploaded by"), on_delete=models.PROTECT, related_name="+")
    uploaded_at = models.DateTimeField(_("uploaded at"), auto_now_add=True)
    history = business_history()

    class Meta:
        verbose_name = _("refund paper")
        verbose_name_plural = _("refund papers")
        ordering = ["order", "kind", "pk"]

    def __str__(self) -> str:
        return f"{self.order} · {self.get_kind_display()}"
