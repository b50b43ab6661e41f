"""A shipment's export documents read back as the customer, the forwarder and the warehouse read them: the
packing list's carton ranges worked out by hand, every total recomputed here from the products' own data."""

import math
from datetime import date
from decimal import ROUND_HALF_UP, Decimal
from io import BytesIO

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from openpyxl import load_workbook

from gendan.catalog.models import Product
from gendan.core.models import CompanyProfile
from gendan.documents import shipping_documents
from gendan.documents.choices import DocumentKind
from gendan.documents.models import Document
from gendan.documents.selectors import document_list_visible_to, documents_of_order
from gendan.documents.services import shipment_document_generate
from gendan.documents.tests.conftest import pdf_text
from gendan.finance.choices import Gate
from gendan.finance.services import gate_exception_grant
from gendan.finance.tests.factories import pay
from gendan.followup.tests.factories import at, confirmed_order
from gendan.parties.tests.factories import CustomerFactory
from gendan.sales.models import SalesOrderLine
from gendan.sales.services import order_mark_ready, order_start_production
from gendan.shipping.models import ShipmentLine
from gendan.shipping.services import shipment_cancel, shipment_create

pytestmark = pytest.mark.django_db
DAY = date(2026, 11, 20)
CI, PL = DocumentKind.COMMERCIAL_INVOICE, DocumentKind.PACKING_LIST
SM, SN = DocumentKind.SHIPPING_MARKS, DocumentKind.SHIPPING_NOTICE


@pytest.fixture
def company():
    return CompanyProfile.objects.update_or_create(pk=CompanyProfile.ROW, defaults={
        "name_zh": "宁波恒泰五金厨具进出口有限公司", "name_en": "Ningbo Hengtai Hardware & Kitchenware Co., Ltd.",
        "address_en": "88 Zhongshan Road, Ningbo, China", "address_zh": "宁波市中山路88号"})[0]


def ready_order(customer, people, *, paid=True, **header):
    salesperson, manager, merchandiser, finance = people
    order = confirmed_order(salesperson=salesperson, manager=manager, merchandiser=merchandiser,
                            customer=customer, **header)
    if paid:
        pay(order, by=finance, kinds=("deposit",))
    else:
        gate_exception_grant(order=order, gate=Gate.PRODUCTION, by=finance, reason="Old customer")
    with at(DAY):
        order_start_production(order=order, by=merchandiser)
        order_mark_ready(order=order, by=merchandiser)
    return order


@pytest.fixture
def people(salesperson, sales_manager, merchandiser, finance):
    return salesperson, sales_manager, merchandiser, finance


@pytest.fixture
def shipment(company, people, merchandiser):
    """3 lines of 2 orders: A#1 1,000 pcs at 100 per carton, A#2 450 pcs at 60 per carton (the last carton
    holds 30), B#1 250 of 1,000 pcs at 100 per carton (the last holds 50)."""
    customer = CustomerFactory(owner=people[0], merchandiser=merchandiser, code="ACME-US",
                               name_en="Acme Housewares Inc.", address="1 Market St, Chicago IL")
    first = ready_order(customer, people, customer_po="PO-7781", shipping_marks="ACME\nCHICAGO\nPO 7781")
    second = ready_order(customer, people, customer_po="PO-7790", shipping_marks="ACME\nNEW YORK")
    a1, a2 = first.lines.order_by("position")
    b1 = second.lines.order_by("position").first()
    Product.objects.filter(pk=a2.product_id).update(units_per_carton=60, carton_length_cm=Decimal("45.5"),
                                                    carton_width_cm=Decimal("32.5"), carton_height_cm=Decimal("28"),
                                                    net_weight_kg=Decimal("9.8"), gross_weight_kg=Decimal("10.75"))
    with at(DAY):
        return shipment_create(by=merchandiser, customer=customer, lines=[
            (a1, Decimal(1000)), (a2, Decimal(450)), (b1, Decimal(250))])


def expected(shipment):
    """The packing list's figures, recomputed here from the products' data."""
    rows, number = [], 1
    for line in ShipmentLine.objects.filter(shipment=shipment).order_by("pk"):
        product = Product.objects.get(pk=line.order_line.product_id)
        cartons = math.ceil(line.quantity / product.units_per_carton)
        cbm = (product.carton_length_cm * product.carton_width_cm * product.carton_height_cm * cartons
               / Decimal(1_000_000)).quantize(Decimal("0.001"), ROUND_HALF_UP)
        rows.append({"first": number, "last": number + cartons - 1, "net": product.net_weight_kg * cartons,
                     "gross": product.gross_weight_kg * cartons, "cbm": cbm,
                     "amount": (line.quantity * line.order_line.unit_price).quantize(Decimal("0.01"), ROUND_HALF_UP)})
        number += cartons
    return rows


def test_the_packing_list_numbers_cartons_without_gap_or_overlap_and_totals_them(shipment, merchandiser):
    document, made = shipment_document_generate(kind=PL, shipment=shipment, by=merchandiser)
    assert made and (document.number, document.version) == ("PL-2026-00001", 1)
    assert (document.shipment, document.customer, document.order) == (shipment, shipment.customer, None)
    rows = expected(shipment)
    # by hand: 1,000 / 100 = 10 cartons; 450 / 60 = 7.5 → 8 (the 8th holds 30); 250 / 100 = 2.5 → 3 (the 3rd holds 50)
    assert [(row["first"], row["last"]) for row in rows] == [(1, 10), (11, 18), (19, 21)]
    text = pdf_text(document.pdf)
    assert document.pdf.name.startswith(f"documents/2026-11/{shipment.number}/") or shipment.number in document.pdf.name
    assert "PACKING LIST" in text and "装箱单" in text and document.number in text
    for range_ in ("1–10", "11–18", "19–21"):
        assert range_ in text
    assert "last carton 30" in text and "last carton 50" in text
    total_net = sum(row["net"] for row in rows)
    total_gross = sum(row["gross"] for row in rows)
    total_cbm = sum(row["cbm"] for row in rows)
    assert (total_net, total_gross, total_cbm) == (Decimal("240.90"), Decimal("257.60"), Decimal("0.721"))
    assert total_net <= total_gross
    for row in rows:
        assert f"{row['net']:,.2f}" in text and f"{row['gross']:,.2f}" in text and f"{row['cbm']:.3f}" in text
    totals = next(line for line in text.splitlines() if line.strip().startswith("Total"))
    assert totals.split()[1:] == ["21", "1,700", "240.90", "257.60", "0.721"]
    assert "SAY TOTAL TWENTY-ONE (21) CARTONS ONLY" in text
    assert "ACME" in text and "C/NO. 1–18" in text and "C/NO. 19–21" in text

    sheet = load_workbook(BytesIO(document.xlsx.read())).active
    values = list(sheet.iter_rows(values_only=True))
    assert values[0][:3] == ("C/No.", "Order", "Our item")
    assert [row[0] for row in values[1:]] == ["1–10", "11–18", "19–21", "Total"]
    assert values[2][4:] == (60, 8, 450, 78.4, 86, 0.331)
    assert values[-1][5:] == (21, 1700, 240.9, 257.6, 0.721)


def test_the_commercial_invoice_bills_the_shipped_goods_less_the_deposit(shipment, merchandiser):
    document, made = shipment_document_generate(kind=CI, shipment=shipment, by=merchandiser)
    assert made and document.number == "CI-2026-00001" and document.currency == "USD"
    rows = expected(shipment)
    total = sum(row["amount"] for row in rows)
    assert document.total == total == Decimal("2125.00")  # 1,700 pcs × USD 1.25
    text = pdf_text(document.pdf)
    assert "COMMERCIAL INVOICE" in text and "商业发票" in text
    assert text.count("8302.10.0000") == 3 and text.count("China") >= 3
    assert "PO-7781" in text and "PO-7790" in text and "FOB" in text
    assert "USD 2,125.00" in text and "SAY US DOLLARS TWO THOUSAND ONE HUNDRED AND TWENTY-FIVE ONLY" in text
    # each order paid its 30 % deposit (750.00 of 2,500.00); A ships 1,450 pcs = 1,812.50 of its 2,500.00, so
    # 72.5 % of its deposit is credited here, B 312.50: 12.5 %
    credited_a = (Decimal("750.00") * Decimal("1812.50") / Decimal("2500.00")).quantize(Decimal("0.01"))
    credited_b = (Decimal("750.00") * Decimal("312.50") / Decimal("2500.00")).quantize(Decimal("0.01"))
    assert (credited_a, credited_b) == (Decimal("543.75"), Decimal("93.75"))
    assert "Deposit received USD 750.00" in text
    assert "543.75" in text and "93.75" in text
    assert f"USD {total - credited_a - credited_b:,.2f}" in text  # balance due 1,487.50
    sheet = load_workbook(BytesIO(document.xlsx.read())).active
    values = list(sheet.iter_rows(values_only=True))
    assert values[1][3:] == ("8302.10.0000", "China", 1000, "Pieces", 1.25, 1250) or values[1][3] == "8302.10.0000"
    assert values[-1][0] == "Total" and values[-1][-1] == 2125


def test_no_deposit_line_on_an_open_account_order(company, people, merchandiser):
    customer = CustomerFactory(owner=people[0], merchandiser=merchandiser, code="OA-DE")
    order = ready_order(customer, people, paid=False, deposit_percent=0, balance_condition="open_account",
                        balance_days=60)
    with at(DAY):
        shipment = shipment_create(by=merchandiser, customer=customer,
                                   lines=[(line, line.quantity) for line in order.lines.all()])
    text = pdf_text(shipment_document_generate(kind=CI, shipment=shipment, by=merchandiser)[0].pdf)
    assert "Deposit" not in text and "Balance due" not in text
    assert "100% by T/T 60 days after the B/L date" in text


def test_marks_sheet_and_the_chinese_warehouse_notice(shipment, merchandiser):
    marks, _ = shipment_document_generate(kind=SM, shipment=shipment, by=merchandiser)
    text = pdf_text(marks.pdf)
    assert marks.number.startswith("SM-") and "SHIPPING MARKS" in text
    assert "CHICAGO" in text and "NEW YORK" in text and "C/NO. 1–18" in text and "C/NO. 19–21" in text

    notice, _ = shipment_document_generate(kind=SN, shipment=shipment, by=merchandiser, language="en")
    assert notice.language == "zh-hans" and notice.number.startswith("SN-")
    text = pdf_text(notice.pdf)
    assert "出货通知" in text and shipment.number in text and "目的港" in text and "运输方式" in text
    assert "海运整柜" in text or "FCL" in text
    assert "不锈钢合页" in text and "19–21" in text and "尾箱 30" in text
    assert "共计贰拾壹箱整（21箱）" in text
    orders = {line.order_line.order.number for line in shipment.lines.all()}
    assert all(number in text for number in orders)
    assert not notice.xlsx


def test_same_content_same_version_a_change_makes_v2_under_the_same_number(shipment, merchandiser):
    first, made = shipment_document_generate(kind=PL, shipment=shipment, by=merchandiser)
    again, made_again = shipment_document_generate(kind=PL, shipment=shipment, by=merchandiser)
    assert made and not made_again and again.pk == first.pk
    line = shipment.lines.order_by("pk").last()
    line.quantity = Decimal(300)
    line.save()
    second, made = shipment_document_generate(kind=PL, shipment=shipment, by=merchandiser)
    assert made and (second.number, second.version) == (first.number, 2)
    assert "SAY TOTAL TWENTY-ONE (21) CARTONS ONLY" in pdf_text(second.pdf)  # 300 / 100: still 3 cartons
    assert list(Document.objects.filter(number=first.number).values_list("version", flat=True).order_by(
        "version")) == [1, 2]
    assert second.history.get().history_user == merchandiser
    invoice, _ = shipment_document_generate(kind=CI, shipment=shipment, by=merchandiser)
    assert invoice.number == "CI-2026-00001"  # a series per kind


def test_refusals_save_nothing(shipment, merchandiser, other_merchandiser, finance):
    product = shipment.lines.order_by("pk").first().order_line.product
    Product.objects.filter(pk=product.pk).update(net_weight_kg=Decimal("14"))
    with pytest.raises(ValidationError) as refused:
        shipment_document_generate(kind=PL, shipment=shipment, by=merchandiser)
    assert product.code in refused.value.message_dict["lines.0"][0]
    assert "more net than gross" in refused.value.message_dict["lines.0"][0]
    Product.objects.filter(pk=product.pk).update(net_weight_kg=Decimal("12.5"), units_per_carton=0)
    with pytest.raises(ValidationError) as refused:
        shipment_document_generate(kind=CI, shipment=shipment, by=merchandiser)
    order_line = shipment.lines.order_by("pk").first().order_line
    assert refused.value.message_dict["lines.0"][0].startswith(f"{order_line.order.number} line 1: product")
    Product.objects.filter(pk=product.pk).update(units_per_carton=100)
    with pytest.raises(PermissionDenied):
        shipment_document_generate(kind=PL, shipment=shipment, by=finance)  # sees it, does not make its papers
    with pytest.raises(PermissionDenied):
        shipment_document_generate(kind=PL, shipment=shipment, by=other_merchandiser)
    with pytest.raises(ValidationError):
        shipment_document_generate(kind=DocumentKind.PROFORMA_INVOICE, shipment=shipment, by=merchandiser)
    shipment_cancel(shipment=shipment, by=merchandiser, version=shipment.version, reason="Customer moved it")
    shipment.refresh_from_db()
    with pytest.raises(ValidationError) as refused:
        shipment_document_generate(kind=PL, shipment=shipment, by=merchandiser)
    assert refused.value.message_dict == {"status": ["The shipment is cancelled: it gets no more documents."]}
    assert not Document.objects.exists()


def test_listed_on_the_orders_and_to_those_who_see_the_shipment(shipment, merchandiser, salesperson,
                                                                other_salesperson, client):
    packing_list, _ = shipment_document_generate(kind=PL, shipment=shipment, by=merchandiser)
    assert list(document_list_visible_to(user=salesperson)) == [packing_list]
    assert list(document_list_visible_to(user=other_salesperson)) == []
    order = shipment.lines.order_by("pk").first().order_line.order
    assert list(documents_of_order(order)) == [packing_list]
    client.force_login(salesperson)
    card = client.get(f"/documents/orders/{order.pk}/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert f"document-{packing_list.number}-v1" in card


def test_a_long_packing_list_prints_the_same_figures_as_aligned_text(shipment, merchandiser, monkeypatch):
    monkeypatch.setattr(shipping_documents, "LONG_LIST", 2)  # the 3-line shipment counts as long
    SalesOrderLine.objects.filter(shipment_lines__shipment=shipment).update(description="Hinge")  # no wrapping
    document, _ = shipment_document_generate(kind=PL, shipment=shipment, by=merchandiser)
    text = pdf_text(document.pdf)
    rows = [line.split() for line in text.splitlines() if line.strip()[:2] in ("1-", "11", "19")]
    assert [row[0] for row in rows] == ["1-10", "11-18", "19-21"]
    assert rows[1][-6:] == ["8", "450", "pieces", "78.40", "86.00", "0.331"]
    assert "(last carton 30)" in text and "(last carton 50)" in text
    totals = next(line for line in text.splitlines() if line.strip().startswith("Total"))
    assert totals.split()[1:] == ["21", "1,700", "240.90", "257.60", "0.721"]
    assert "SAY TOTAL TWENTY-ONE (21) CARTONS ONLY" in text


def test_long_list_columns_keep_their_width_with_chinese_text():
    table = shipping_documents._text_table(
        [{"range": "1–3", "order": "SO-1", "code": "P1", "description": "不锈钢合页 " * 8, "per_carton": 100,
          "cartons": 3, "quantity": "300", "unit": "件", "net": "37.50", "gross": "39.60", "cbm": "0.090",
          "last_carton": ""}],
        {"range": "Total", "order": "", "code": "", "description": "", "per_carton": "", "cartons": 3,
         "quantity": "300", "unit": "", "net": "37.50", "gross": "39.60", "cbm": "0.090"})
    assert {shipping_documents._width(line) for line in [table["header"], table["lines"][0], table["total"]]} == {
        len(table["rule"])}
    assert len(table["lines"]) > 1 and all(shipping_documents._width(line) <= len(table["rule"])
                                           for line in table["lines"])
    assert table["lines"][1].index("不") == table["lines"][0].index("不")  # the wrapped text under its column
