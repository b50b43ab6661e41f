"""Trade vocabulary shared by every app: Incoterms 2020, currencies, units."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Incoterm(models.TextChoices):
    EXW = "EXW", "EXW"
    FCA = "FCA", "FCA"
    CPT = "CPT", "CPT"
    CIP = "CIP", "CIP"
    DAP = "DAP", "DAP"
    DPU = "DPU", "DPU"
    DDP = "DDP", "DDP"
    FAS = "FAS", "FAS"
    FOB = "FOB", "FOB"
    CFR = "CFR", "CFR"
    CIF = "CIF", "CIF"


SEA_ONLY_INCOTERMS = {Incoterm.FAS, Incoterm.FOB, Incoterm.CFR, Incoterm.CIF}

# Currencies offered first in pickers; any ISO 4217 code is accepted.
COMMON_CURRENCIES = ["USD", "EUR", "GBP", "CNY", "JPY", "HKD", "AUD", "CAD", "KRW", "AED", "CHF", "SGD"]


class Unit(models.TextChoices):
    PIECE = "pcs", _("pieces")
    SET = "sets", _("sets")
    PAIR = "pairs", _("pairs")
    DOZEN = "doz", _("dozens")
    KILOGRAM = "kg", _("kilograms")
    METRE = "m", _("metres")
    SQUARE_METRE = "m2", _("square metres")
    ROLL = "rolls", _("rolls")


class DocumentLanguage(models.TextChoices):
    ENGLISH = "en", _("English")
    CHINESE = "zh-hans", _("Chinese")
