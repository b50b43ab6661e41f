"""Shipping's reference data: the bundled UN/LOCODE ports and the load planner's container types with usual
rates. The migrations load them (with their historical models); the demo and tests that run after a database
flush load them again through `reference_data_loaded()`. Only what is missing is added: a company's edits stay."""

import csv
from decimal import Decimal
from pathlib import Path

PORTS_CSV = Path(__file__).resolve().parent / "data" / "ports.csv"
NAMES = {"20GP": "20' general purpose", "40GP": "40' general purpose", "40HQ": "40' high cube",
         "45HQ": "45' high cube"}
RATES = {"20GP": Decimal(1800), "40GP": Decimal(3000), "40HQ": Decimal(3200), "45HQ": Decimal(3800)}
LCL_PER_WM = Decimal(75)


def seed_ports(apps) -> None:
    Port = apps.get_model("shipping", "Port")
    with open(PORTS_CSV, encoding="utf-8") as rows:
        Port.objects.bulk_create([Port(**row) for row in csv.DictReader(rows)], ignore_conflicts=True)


def seed_container_types(apps) -> None:
    from gendan.loadplan.containers import DEFAULT_CONTAINERS

    ContainerType = apps.get_model("shipping", "ContainerType")
    LclRate = apps.get_model("shipping", "LclRate")
    for code, c in DEFAULT_CONTAINERS.items():
        ContainerType.objects.get_or_create(code=code, defaults={
            "name": NAMES.get(code, code), "inner_length_mm": c.length, "inner_width_mm": c.width,
            "inner_height_mm": c.height, "door_width_mm": c.door_width, "door_height_mm": c.door_height,
            "max_payload_kg": int(c.max_payload), "tare_kg": int(c.tare), "freight_rate": RATES.get(code, 0),
            "currency": "USD"})
    if not LclRate.objects.exists():
        LclRate.objects.create(rate_per_wm=LCL_PER_WM, currency="USD")


def reference_data_loaded() -> None:
    from django.apps import apps

    from gendan.shipping.models import ContainerType, Port

    if not Port.objects.exists():
        seed_ports(apps)
    if not ContainerType.objects.exists():
        seed_container_types(apps)
