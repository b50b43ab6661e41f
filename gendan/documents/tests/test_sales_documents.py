"""The proforma invoice and the sales contract, read back from the PDF as a customer would read them."""

from datetime import date
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from gendan.core.models import CompanyProfile
from gendan.documents.choices import DocumentKind
from gendan.documents.models import Document
from gendan.documents.services import sales_document_generate
from gendan.documents.tests.conftest import pdf_text
from gendan.finance.tests.factories import bank_account
from gendan.parties.tests.factories import ContactFactory, CustomerFactory
from gendan.sales.tests.factories import make_order

pytestmark = pytest.mark.django_db
PI = DocumentKind.PROFORMA_INVOICE


@pytest.fixture
def company():
    return CompanyProfile.objects.update_or_create(pk=CompanyProfile.ROW, defaults={
        "name_zh": "宁波恒泰五金厨具进出口有限公司", "name_en": "Ningbo Hengtai Hardware & Kitchenware Co., Ltd.",
        "address_en": "88 Zhongshan Road, Ningbo, China", "address_zh": "宁波市中山路88号",
        "phone": "+86 574 8888 0000"})[0]


@pytest.fixture
def order(salesperson, merchandiser, company):
    customer = CustomerFactory(owner=salesperson, merchandiser=merchandiser, code="ACME-US",
                               name_en="Acme Housewares Inc.", address="1 Market St, Chicago IL")
    ContactFactory(customer=customer, name="Jane Buyer", email="jane@acme.example", is_primary=True)
    bank_account("USD", beneficiary="NINGBO HENGTAI HARDWARE", account_no="3581 0000 1234", swift="BKCHCNBJ92A")
    return make_order(by=salesperson, customer=customer, lines=20, price="1.25", quantity="1000",
                      order_date=date(2026, 11, 2), customer_po="PO-7781", deposit_percent=30,
                      shipping_marks="ACME\nCHICAGO\nC/NO. 1-UP")


def test_the_pi_prints_every_line_the_total_in_words_and_the_terms(order, salesperson):
    document, made = sales_document_generate(kind=PI, order=order, by=salesperson)
    assert made and document.version == 1 and document.number == "PI-2026-00001"
    text = pdf_text(document.pdf)
    assert "PROFORMA INVOICE" in text and "PI-2026-00001" in text and "PO-7781" in text
    for line in order.lines.all():
        assert line.product.code in text
    assert text.count("1,250.00") == 20
    assert "USD 25,000.00" in text
    assert "SAY US DOLLARS TWENTY-FIVE THOUSAND ONLY" in text
    assert "30% deposit (USD 7,500.00) by T/T within 7 days of order confirmation" in text
    assert "3581 0000 1234" in text and "BKCHCNBJ92A" in text
    assert "宁波恒泰五金厨具进出口有限公司" in text and "形式发票" in text
    assert "SELLER" in text and "Ningbo Hengtai Hardware & Kitchenware Co., Ltd." in text
    assert "Jane Buyer" in text and "ACME" in text


def test_regenerating_unchanged_keeps_the_version_and_a_change_makes_the_next(order, salesperson):
    first, _ = sales_document_generate(kind=PI, order=order, by=salesperson)
    again, made = sales_document_generate(kind=PI, order=order, by=salesperson)
    assert (again.pk, made) == (first.pk, False)
    order.customer_po = "PO-7781-B"
    order.save(update_fields=["customer_po"])
    second, made = sales_document_generate(kind=PI, order=order, by=salesperson)
    assert made and (second.number, second.version) == (first.number, 2)
    assert "PO-7781-B" in pdf_text(second.pdf) and "PO-7781-B" not in pdf_text(first.pdf)
    assert Document.objects.filter(order=order).count() == 2
    assert second.history.count() == 1


def test_a_chinese_customer_gets_chinese_and_cny_in_capitals(salesperson, merchandiser, company):
    customer = CustomerFactory(owner=salesperson, merchandiser=merchandiser, currency="CNY",
                               document_language="zh-hans", name_zh="上海家居用品有限公司")
    bank_account("CNY")
    order = make_order(by=salesperson, customer=customer, lines=1, price="1005", quantity="1", currency="CNY")
    document, _ = sales_document_generate(kind=DocumentKind.SALES_CONTRACT, order=order, by=salesperson)
    text = pdf_text(document.pdf)
    assert document.language == "zh-hans" and document.number.startswith("SC-")
    assert "人民币壹仟零伍元整" in text and "上海家居用品有限公司" in text


def test_refused_without_a_bank_account_lines_or_permission(order, salesperson, other_salesperson, warehouse):
    from gendan.finance.models import BankAccount

    with pytest.raises(PermissionDenied):
        sales_document_generate(kind=PI, order=order, by=other_salesperson)
    with pytest.raises(PermissionDenied):
        sales_document_generate(kind=PI, order=order, by=warehouse)
    BankAccount.objects.update(is_active=False)
    with pytest.raises(ValidationError) as refused:
        sales_document_generate(kind=PI, order=order, by=salesperson)
    assert "bank_account" in refused.value.message_dict
    assert not Document.objects.exists()
    assert Decimal(order.total_amount) == Decimal("25000")


def test_the_logo_is_printed_and_nothing_outside_is_fetched(order, salesperson, company):
    import subprocess

    from gendan.demo.logo import demo_logo

    company.logo = demo_logo()
    company.save()
    order.shipping_marks = '<img src="file:///etc/hostname">'  # a customer's text never fetches anything
    order.save(update_fields=["shipping_marks"])
    document, _ = sales_document_generate(kind=PI, order=order, by=salesperson)
    assert '<img src="file:///etc/hostname">' in pdf_text(document.pdf)  # printed as the text it is
    images = subprocess.run(["pdfimages", "-list", document.pdf.path], capture_output=True, text=True).stdout
    assert len(images.strip().splitlines()) == 3  # two header lines and the logo
