from django.db import models
from django.utils.translation import gettext_lazy as _


class DocumentKind(models.TextChoices):
    PROFORMA_INVOICE = "proforma_invoice", _("Proforma invoice")
    SALES_CONTRACT = "sales_contract", _("Sales contract")
    STATEMENT = "statement", _("Statement of account")
    COMMERCIAL_INVOICE = "commercial_invoice", _("Commercial invoice")
    PACKING_LIST = "packing_list", _("Packing list")
    SHIPPING_MARKS = "shipping_marks", _("Shipping marks")
    SHIPPING_NOTICE = "shipping_notice", _("Shipping notice to the warehouse")


class Response(models.TextChoices):
    """What the customer said back: a signed contract or a confirmed statement, or a dispute."""

    NONE = "", _("No answer yet")
    CONFIRMED = "confirmed", _("Confirmed")
    DISPUTED = "disputed", _("Disputed")
