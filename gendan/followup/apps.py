from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class FollowupConfig(AppConfig):
    name = "gendan.followup"
    verbose_name = _("Follow-up")

    def ready(self) -> None:
        from django.db.models.signals import post_migrate

        from gendan.followup import receivers  # noqa: F401  (connects to the sales signals)

        post_migrate.connect(seed_default_template, sender=self)


def seed_default_template(sender, **kwargs) -> None:
    from gendan.followup.defaults import ensure_default_template

    ensure_default_template()
