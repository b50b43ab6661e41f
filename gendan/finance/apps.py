from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class FinanceConfig(AppConfig):
    name = "gendan.finance"
    verbose_name = _("Finance")

    def ready(self) -> None:
        from django.urls import reverse_lazy

        from gendan.finance import receivers  # noqa: F401  (connects to the sales signals)
        from gendan.finance.services import MILESTONE_OF
        from gendan.followup.selectors import DONE_BY_RECORDS, RecordedBy

        receipt = RecordedBy(_("Record the receipt"), reverse_lazy("finance:receipt_create"), "finance.add_receipt")
        DONE_BY_RECORDS.update(dict.fromkeys(MILESTONE_OF.values(), receipt))  # confirmed receipts complete them
