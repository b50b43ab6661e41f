"""The container types of the load planner's defaults with usual Shanghai-to-Europe rates, and the LCL price per W/M:
a start the managers edit."""

from decimal import Decimal

from django.db import migrations

NAMES = {"20GP": "20' general purpose", "40GP": "40' general purpose", "40HQ": "40' high cube",
         "45HQ": "45' high cube"}
RATES = {"20GP": Decimal(1800), "40GP": Decimal(3000), "40HQ": Decimal(3200), "45HQ": Decimal(3800)}
LCL_PER_WM = Decimal(75)


def seed(apps, schema_editor):
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


class Migration(migrations.Migration):
    dependencies = [("shipping", "0007_container_types_and_load_plans")]
    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
