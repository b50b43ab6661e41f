"""The export VAT refund checklist: a trading company needs each factory's purchase contract and VAT invoice; the
ZIP holds what is uploaded and a checklist of what is missing; the wrong file type or an order not confirmed is
refused naming the field; who may upload and who may not."""

import io
import zipfile

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile

from gendan.core.models import CompanyProfile, CompanyType
from gendan.finance.choices import PaperKind
from gendan.finance.models import RefundPaper
from gendan.finance.refund_papers import checklist, checklist_zip
from gendan.finance.services import refund_paper_add, refund_paper_remove
from gendan.followup.tests.factories import confirmed_order
from gendan.parties.tests.factories import SupplierFactory

pytestmark = pytest.mark.django_db
PDF = b"%PDF-1.4\n%minimal\n"


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture
def order(salesperson, sales_manager, merchandiser):
    order = confirmed_order(salesperson=salesperson, manager=sales_manager, merchandiser=merchandiser)
    factories = [SupplierFactory(code="F-YONGKANG"), SupplierFactory(code="F-JIEYANG")]
    for line, factory in zip(order.lines.select_related("product"), factories, strict=True):
        line.product.default_supplier = factory
        line.product.save(update_fields=["default_supplier"])
    return order


def pdf(name="paper.pdf"):
    return SimpleUploadedFile(name, PDF, content_type="application/pdf")


def test_a_trading_companys_checklist_has_each_factorys_papers(order, finance):
    items = checklist(order)
    labels = [(item.kind, item.supplier.code if item.supplier else None) for item in items]
    assert labels == [("declaration", None), ("purchase", "F-JIEYANG"), ("purchase", "F-YONGKANG"),
                      ("vat_invoice", "F-JIEYANG"), ("vat_invoice", "F-YONGKANG"), ("invoice", None),
                      ("packing", None), ("bl", None), ("fx_receipt", None)]
    assert not any(item.present for item in items)
    CompanyProfile.objects.update_or_create(pk=CompanyProfile.ROW, defaults={"company_type": CompanyType.MANUFACTURER})
    assert [item.kind for item in checklist(order)] == ["declaration", "invoice", "packing", "bl", "fx_receipt"]


def test_uploads_fill_the_checklist_and_the_zip(order, finance):
    yongkang = order.lines.order_by("position").first().product.default_supplier
    assert yongkang.code == "F-YONGKANG"
    refund_paper_add(order=order, by=finance, kind=PaperKind.EXPORT_DECLARATION, file=pdf("declaration.pdf"))
    refund_paper_add(order=order, by=finance, kind=PaperKind.VAT_INVOICE, file=pdf("invoice-yk.pdf"),
                     supplier=yongkang, note="No. 044001")
    items = checklist(order)
    assert [item.present for item in items].count(True) == 2
    archive = zipfile.ZipFile(io.BytesIO(checklist_zip(order, items)))
    names = sorted(archive.namelist())
    # the items in checklist order: 05 is the VAT invoice of F-YONGKANG (after F-JIEYANG's, by code)
    assert names == ["01-declaration/declaration.pdf", "05-vat_invoice-F-YONGKANG/invoice-yk.pdf", "CHECKLIST.txt"]
    assert archive.read("01-declaration/declaration.pdf") == PDF
    manifest = archive.read("CHECKLIST.txt").decode()
    assert "[x] Export declaration" in manifest and "[ ] Bill of lading" in manifest


def test_bad_uploads_are_refused_naming_the_field(order, finance, salesperson, sales_manager, merchandiser):
    from gendan.sales.tests.factories import make_order

    with pytest.raises(ValidationError) as refused:
        refund_paper_add(order=order, by=finance, kind=PaperKind.VAT_INVOICE, file=pdf())
    assert "supplier" in refused.value.message_dict  # which factory's invoice?
    with pytest.raises(ValidationError) as refused:
        refund_paper_add(order=order, by=finance, kind=PaperKind.BILL_OF_LADING,
                         file=SimpleUploadedFile("bl.exe", b"MZ..."))
    assert "file" in refused.value.message_dict
    with pytest.raises(ValidationError) as refused:
        refund_paper_add(order=order, by=finance, kind=PaperKind.BILL_OF_LADING,
                         file=SimpleUploadedFile("bl.pdf", b"<html>not a pdf</html>"))
    assert "file" in refused.value.message_dict
    draft = make_order(by=salesperson, customer=order.customer)
    with pytest.raises(ValidationError) as refused:
        refund_paper_add(order=draft, by=finance, kind=PaperKind.BILL_OF_LADING, file=pdf())
    assert "kind" in refused.value.message_dict
    with pytest.raises(PermissionDenied):
        refund_paper_add(order=order, by=merchandiser, kind=PaperKind.BILL_OF_LADING, file=pdf())
    assert not RefundPaper.objects.exists()


def test_removing_needs_a_reason_and_is_kept_in_history(order, finance):
    paper = refund_paper_add(order=order, by=finance, kind=PaperKind.BILL_OF_LADING, file=pdf())
    with pytest.raises(ValidationError):
        refund_paper_remove(paper=paper, by=finance, reason="")
    refund_paper_remove(paper=paper, by=finance, reason="B/L of another shipment")
    assert not RefundPaper.objects.exists()
    assert RefundPaper.history.get(history_type="-").history_change_reason == "B/L of another shipment"


def test_pages_for_finance_and_not_for_a_salesperson(client, order, finance, salesperson):
    client.force_login(salesperson)
    assert client.get(f"/finance/orders/{order.pk}/refund-papers/").status_code == 403
    assert client.get(f"/finance/orders/{order.pk}/refund-papers.zip").status_code == 403
    client.force_login(finance)
    page = client.get(f"/finance/orders/{order.pk}/refund-papers/")
    assert page.status_code == 200 and 'data-testid="item-vat_invoice-F-JIEYANG"' in page.content.decode()
    zipped = client.get(f"/finance/orders/{order.pk}/refund-papers.zip")
    assert zipped["Content-Type"] == "application/zip" and zipfile.ZipFile(io.BytesIO(zipped.content)).namelist() == [
        "CHECKLIST.txt"]
