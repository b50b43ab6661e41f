from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class FinanceConfig(AppConfig):
    name = "gendan.finance"
    verbose_name = _("Finance")

    def ready(self) -> None:
        from gendan.finance import receivers  # noqa: F401  (connects to the sales signals)
        from gendan.finance.services import MILESTONE_OF
        from gendan.followup.selectors import DONE_BY_RECORDS

        DONE_BY_RECORDS.update(MILESTONE_OF.values())  # receipts complete them
