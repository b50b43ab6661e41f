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
