"""The statement of account as the customer gets it: every movement in the PDF, and the same figures in the
XLSX cells."""

from datetime import date
from decimal import Decimal

import openpyxl
import pytest

from gendan.documents.choices import DocumentKind
from gendan.documents.services import statement_generate
from gendan.documents.tests.conftest import pdf_text
from gendan.finance.services import receipt_confirm
from gendan.finance.tests.factories import bank_account, record
from gendan.followup.tests.factories import at, confirmed_order

pytestmark = pytest.mark.django_db


@pytest.fixture
def customer(salesperson, sales_manager, merchandiser, finance):
    bank_account("USD")
    order = confirmed_order(salesperson=salesperson, manager=sales_manager, merchandiser=merchandiser,
                            confirm_on=date(2026, 9, 28), customer_po="PO-4411")
    with at(date(2026, 10, 6)):
        receipt = record(by=finance, customer=order.customer, amount="750", received_on=date(2026, 10, 5),
                         reference="FT-0001")
        receipt_confirm(receipt=receipt, by=finance, version=receipt.version)
    return order.customer


def test_october_statement_pdf_and_xlsx(customer, finance):
    with at(date(2026, 11, 2)):
        document, made = statement_generate(customer=customer, by=finance, period_start=date(2026, 10, 1),
                                            as_of=date(2026, 10, 31))
    assert made and document.kind == DocumentKind.STATEMENT and document.total == Decimal(1750)
    text = pdf_text(document.pdf)
    # opening 2,500 (billed 28 Sep), received 750 on 5 Oct, closing 1,750
    assert "2,500.00" in text and "FT-0001" in text and "750.00" in text and "USD 1,750.00" in text
    assert "2026-10-01 – 2026-10-31" in text

    sheet = openpyxl.load_workbook(document.xlsx.path).active
    rows = [[cell.value for cell in row] for row in sheet.iter_rows(min_row=2)]
    assert rows[0][2] == "Opening balance" and Decimal(str(rows[0][5])) == 2500
    assert rows[1][1].startswith("RC-") and Decimal(str(rows[1][4])) == 750 and Decimal(str(rows[1][5])) == 1750
    assert rows[-1][2] == "Closing balance" and Decimal(str(rows[-1][5])) == 1750


def test_re_running_an_unchanged_statement_keeps_its_version_and_a_late_receipt_makes_the_next(customer, finance):
    with at(date(2026, 11, 2)):
        first, _ = statement_generate(customer=customer, by=finance, period_start=date(2026, 10, 1),
                                      as_of=date(2026, 10, 31))
    with at(date(2026, 11, 20)):
        again, made = statement_generate(customer=customer, by=finance, period_start=date(2026, 10, 1),
                                         as_of=date(2026, 10, 31))
        assert (again.pk, made) == (first.pk, False)  # October's figures did not change in November
        receipt = record(by=finance, customer=customer, amount="100", received_on=date(2026, 10, 30))
        receipt_confirm(receipt=receipt, by=finance, version=receipt.version)
        # confirmed after the closing day: as of 31 October it was not known, so still unchanged
        still, made = statement_generate(customer=customer, by=finance, period_start=date(2026, 10, 1),
                                         as_of=date(2026, 10, 31))
    assert (still.pk, made) == (first.pk, False)
