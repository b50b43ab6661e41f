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
        post_migrate.connect(create_cache_table, sender=self, dispatch_uid="gendan_cache_table")


def create_cache_table(using: str = "default", **kwargs) -> None:
    """The database cache's table (settings.CACHES["shared"]) is not a model, so no migration makes it;
    every `migrate` (and the test database's) creates it if missing."""
    from django.core.management import call_command

    call_command("createcachetable", database=using, verbosity=0)
