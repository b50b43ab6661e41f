from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class FinanceConfig(AppConfig):
    name = "gendan.finance"
    verbose_name = _("Finance")

    def ready(self) -> None:
        from gendan.finance import receivers  # noqa: F401  (connects to the sales signals)
