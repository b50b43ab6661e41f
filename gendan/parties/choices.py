from django.db import models
from django.utils.translation import gettext_lazy as _


class CustomerGrade(models.TextChoices):
    A = "A", _("A — key account")
    B = "B", _("B — regular")
    C = "C", _("C — occasional")
    D = "D", _("D — prospect / watch")


class SupplierKind(models.TextChoices):
    SUPPLIER = "supplier", _("Supplier")
    SUBCONTRACTOR = "subcontractor", _("Factory / subcontractor")
    FORWARDER = "forwarder", _("Forwarder")


class BalanceCondition(models.TextChoices):
    IN_ADVANCE = "in_advance", _("100% T/T in advance")
    BEFORE_SHIPMENT = "before_shipment", _("T/T before shipment")
    AGAINST_COPY_BL = "against_copy_bl", _("T/T against copy B/L")
    LC_AT_SIGHT = "lc_sight", _("L/C at sight")
    LC_USANCE = "lc_usance", _("L/C usance")
    DP_AT_SIGHT = "dp_sight", _("D/P at sight")
    DA = "da", _("D/A")
    OPEN_ACCOUNT = "open_account", _("O/A after B/L date")
