import django.utils.timezone
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [("finance", "0003_alter_allocation_created_at_and_more")]

    operations = [
        migrations.AddField(
            model_name="scheduleline", name="created_at",
            field=models.DateTimeField(auto_now_add=True, default=django.utils.timezone.now, verbose_name="created at"),
            preserve_default=False,
        ),
        migrations.AddField(
            model_name="historicalscheduleline", name="created_at",
            field=models.DateTimeField(blank=True, default=django.utils.timezone.now, editable=False,
                                       verbose_name="created at"),
            preserve_default=False,
        ),
    ]
