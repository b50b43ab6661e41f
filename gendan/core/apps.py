from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CoreConfig(AppConfig):
    name = "gendan.core"
    label = "core"
    verbose_name = _("Core")

    def ready(self):
        from django.db.models.signals import post_migrate

        from gendan.core.workdays import seed_from_chinese_calendar

        post_migrate.connect(lambda **kwargs: seed_from_chinese_calendar(), sender=self, weak=False,
                             dispatch_uid="gendan_seed_calendar")
