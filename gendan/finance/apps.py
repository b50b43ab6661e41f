from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class FinanceConfig(AppConfig):
    name = "gendan.finance"
    verbose_name = _("Finance")

    def ready(self) -> None:
        from django.urls import reverse_lazy

        from gendan.finance import receivers  # noqa: F401  (connects to the sales signals)
        from gendan.finance.selectors import overdue_money_to_chase, people_owed_overdue_money
        from gendan.finance.services import MILESTONE_OF
        from gendan.followup.selectors import CHASE_SECTIONS, DONE_BY_RECORDS, ChaseSection, RecordedBy

        receipt = RecordedBy(_("Record the receipt"), reverse_lazy("finance:receipt_create"), "finance.add_receipt")
        DONE_BY_RECORDS.update(dict.fromkeys(MILESTONE_OF.values(), receipt))  # confirmed receipts complete them
        # overdue money in the cockpit and the morning digest of the order's salesperson and merchandiser
        CHASE_SECTIONS["overdue_money"] = ChaseSection(
            key="overdue_money", title=_("Overdue receivables"), rows=overdue_money_to_chase,
            people=people_owed_overdue_money)
