"""The container types of the load planner's defaults with usual Shanghai-to-Europe rates, and the LCL price per W/M:
a start the managers edit."""

from django.db import migrations

from gendan.shipping.seeds import seed_container_types


def seed(apps, schema_editor):
    seed_container_types(apps)


class Migration(migrations.Migration):
    dependencies = [("shipping", "0007_container_types_and_load_plans")]
    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
