from django.db import models
from django.utils.translation import gettext_lazy as _


class ScheduleKind(models.TextChoices):
    DEPOSIT = "deposit", _("Deposit")
    BALANCE = "balance", _("Balance")


class DueAfter(models.TextChoices):
    """What a schedule line's due date counts from."""

    CONFIRMATION = "confirmation", _("order confirmation")
    EX_FACTORY = "ex_factory", _("ex-factory date")
    BL_DATE = "bl_date", _("B/L date")


class ReceiptStatus(models.TextChoices):
    RECORDED = "recorded", _("Recorded")
    CONFIRMED = "confirmed", _("Confirmed")  # 到账确认: only confirmed money counts
    REVERSED = "reversed", _("Reversed")


RECEIPT_MOVES = {
    ReceiptStatus.RECORDED: {ReceiptStatus.CONFIRMED, ReceiptStatus.REVERSED},
    ReceiptStatus.CONFIRMED: {ReceiptStatus.REVERSED},
    ReceiptStatus.REVERSED: set(),
}


class Gate(models.TextChoices):
    """Steps an order may not take before its money: each answered by `finance.gates`."""

    PRODUCTION = "production", _("Production before the deposit")
    SHIPMENT = "shipment", _("Shipment before payment")
    RELEASE = "release", _("Documents released before the balance")


class ExpenseKind(models.TextChoices):
    """What an order cost beyond the goods (issue 15: freight, trucking, courier, inspection, certificate, bank,
    packing and crates, other)."""

    FREIGHT = "freight", _("Freight")
    TRUCKING = "trucking", _("Trucking")
    COURIER = "courier", _("Courier")
    INSPECTION = "inspection", _("Inspection")
    CERTIFICATE = "certificate", _("Certificate")
    BANK = "bank", _("Bank fees")
    PACKING = "packing", _("Packing and crates")
    OTHER = "other", _("Other")

class CreditApprovalStatus(models.TextChoices):
    REQUESTED = "requested", _("Requested")
    APPROVED = "approved", _("Approved")
    REJECTED = "rejected", _("Rejected")

CREDIT_APPROVAL_MOVES = {
    CreditApprovalStatus.REQUESTED: {CreditApprovalStatus.APPROVED, CreditApprovalStatus.REJECTED},
}


class PaperKind(models.TextChoices):
    """The papers the tax office asks for before it refunds export VAT (出口退税单证)."""

    EXPORT_DECLARATION = "declaration", _("Export declaration (报关单)")
    PURCHASE_CONTRACT = "purchase", _("Purchase contract")
    VAT_INVOICE = "vat_invoice", _("VAT invoice (增值税专用发票)")
    COMMERCIAL_INVOICE = "invoice", _("Commercial invoice")
    PACKING_LIST = "packing", _("Packing list")
    BILL_OF_LADING = "bl", _("Bill of lading")
    FX_RECEIPT = "fx_receipt", _("Foreign currency receipt (收汇凭证)")


PER_FACTORY = {PaperKind.PURCHASE_CONTRACT, PaperKind.VAT_INVOICE}  # one per factory that made the goods
