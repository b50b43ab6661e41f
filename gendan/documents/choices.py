from django.db import models
from django.utils.translation import gettext_lazy as _


class DocumentKind(models.TextChoices):
    PROFORMA_INVOICE = "proforma_invoice", _("Proforma invoice")
    SALES_CONTRACT = "sales_contract", _("Sales contract")
    STATEMENT = "statement", _("Statement of account")


class Response(models.TextChoices):
    """What the customer said back: a signed contract or a confirmed statement, or a dispute."""

    NONE = "", _("No answer yet")
    CONFIRMED = "confirmed", _("Confirmed")
    DISPUTED = "disputed", _("Disputed")
