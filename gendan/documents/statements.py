"""The statement of account as the customer reads it: PDF rows and an XLSX with the same figures."""

from django.utils.translation import gettext as _

from gendan.core.money import minor_units
from gendan.core.xlsx import workbook_bytes
from gendan.finance.models import ScheduleLine
from gendan.finance.selectors import BUCKET_LABELS, BUCKETS, aging_by_customer
from gendan.finance.statements import Entry, Statement


def context(statement: Statement, language: str) -> dict:
    places = minor_units(statement.currency)
    figure = lambda value: f"{value:,.{places}f}"  # noqa: E731
    customer = statement.customer
    aging = aging_by_customer(statement.as_of, ScheduleLine.objects.filter(order__customer=customer,
                                                                            currency=statement.currency))
    buckets = aging[0] if aging else {key: 0 for key in BUCKETS}
    return {
        "title": _("STATEMENT OF ACCOUNT"), "subtitle": "对账单", "document_date": statement.as_of,
        "statement": statement, "currency": statement.currency,
        "buyer_name": customer.name_zh if language.startswith("zh") and customer.name_zh else customer.name_en,
        "rows": [{"day": e.day, "reference": e.reference, "description": e.description,
                  "debit": figure(e.debit) if e.debit else "", "credit": figure(e.credit) if e.credit else "",
                  "balance": figure(e.balance)} for e in statement.entries],
        "opening": figure(statement.opening), "invoiced": figure(statement.invoiced),
        "received": figure(statement.received), "closing": figure(statement.closing),
        "aging": [(label, figure(buckets[key])) for key, label in BUCKET_LABELS],
    }


def workbook(statement: Statement) -> bytes:
    rows = [Entry(statement.period_start, "", str(_("Opening balance")), balance=statement.opening),
            *statement.entries,
            Entry(statement.as_of, "", str(_("Closing balance")), debit=statement.invoiced,
                  credit=statement.received, balance=statement.closing)]
    columns = [(_("Date"), lambda e: e.day), (_("Reference"), lambda e: e.reference),
               (_("Description"), lambda e: e.description), (_("Debit"), lambda e: e.debit or None),
               (_("Credit"), lambda e: e.credit or None), (_("Balance"), lambda e: e.balance)]
    return workbook_bytes(rows, columns, title=f"{statement.customer.code} {statement.as_of}")
