"""Spreadsheets in and out are untrusted: exports write text as text, imports refuse what could hurt the server."""

import os
import time
import zipfile
from io import BytesIO
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import translation
from django.utils.text import capfirst
from openpyxl import Workbook, load_workbook

from gendan.catalog.models import Product
from gendan.catalog.tests.factories import ProductFactory
from gendan.parties.models import Customer
from gendan.parties.tests.factories import CustomerFactory, SupplierFactory
from gendan.sales.tests.factories import make_order

pytestmark = pytest.mark.django_db
LINK = '=HYPERLINK("http://evil.example/steal","click")'


@pytest.fixture(autouse=True)
def media(settings, tmp_path) -> Path:
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


def sheet_xml(content: bytes) -> bytes:
    return zipfile.ZipFile(BytesIO(content)).read("xl/worksheets/sheet1.xml")


def exported(client, url_name) -> tuple[list[tuple], bytes]:
    response = client.get(reverse(url_name), {"export": "xlsx"})
    assert response.status_code == 200
    rows = list(load_workbook(BytesIO(response.content)).active.iter_rows(values_only=True))
    return rows, sheet_xml(response.content)


# ---------------------------------------------------------------- exports: text stays text


def test_customer_export_writes_formula_like_names_as_text(client, salesperson):
    CustomerFactory(owner=salesperson, code="EVIL-1", name_en=LINK, name_zh="+86-574-1234", credit_limit=1500)
    CustomerFactory(owner=salesperson, code="EVIL-2", name_en="@SUM(1+1)*cmd|' /C calc'!A0", name_zh="-2+3")
    client.force_login(salesperson)
    rows, xml = exported(client, "parties:customer_list")
    by_code = {row[0]: row for row in rows[1:]}
    assert by_code["EVIL-1"][1:3] == (LINK, "+86-574-1234")
    assert by_code["EVIL-2"][1:3] == ("@SUM(1+1)*cmd|' /C calc'!A0", "-2+3")
    assert by_code["EVIL-1"][-1] == 1500  # numbers stay numbers
    assert b"<f>" not in xml and b"<f " not in xml  # no formula anywhere in the sheet
    cell = load_workbook(BytesIO(client.get(reverse("parties:customer_list"), {"export": "xlsx"}).content)).active
    names = [c for c in cell["B"] if c.value == LINK]
    assert names and names[0].data_type == "s"


def test_order_export_writes_formula_like_text_as_text_and_numbers_as_numbers(client, salesperson):
    customer = CustomerFactory(owner=salesperson, code="ACME", name_en="=1+1")
    make_order(by=salesperson, customer=customer, customer_po="@IMPORTXML(1)", price="2.50", quantity="100")
    client.force_login(salesperson)
    rows, xml = exported(client, "sales:order_list")
    header, row = rows[0], rows[1]
    values = dict(zip(header, row, strict=True))
    assert "=1+1" in row and "@IMPORTXML(1)" in row
    assert b"<f>" not in xml and b"<f " not in xml
    numbers = [v for v in values.values() if isinstance(v, (int, float)) and not isinstance(v, bool)]
    assert 500 in numbers  # the order total (2 lines × 100 × 2.50) is still a number


# ---------------------------------------------------------------- imports: refused before they hurt


HEADER = ["code", "Name (English)", "country", "currency", "owner", "incoterm", "grade", "document_language",
          "credit_limit"]
REST = ["FOB", "B", "en", 0]  # incoterm, grade, document language, credit limit


def xlsx_with_sheet(sheet_chunks, header=HEADER) -> SimpleUploadedFile:
    """A real workbook whose first sheet's XML is replaced by `sheet_chunks` (bytes, written as they come)."""
    book = Workbook()
    book.active.append(header)
    template = BytesIO()
    book.save(template)
    out = BytesIO()
    with zipfile.ZipFile(template) as source, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for item in source.infolist():
            if item.filename == "xl/worksheets/sheet1.xml":
                with target.open(item.filename, "w") as sheet:
                    for chunk in sheet_chunks:
                        sheet.write(chunk)
            else:
                target.writestr(item, source.read(item.filename))
    return SimpleUploadedFile("customers.xlsx", out.getvalue())


SHEET_START = (b'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
               b'<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">')


def inline_row(number: int, values) -> bytes:
    cells = "".join(f'<c r="{chr(65 + i)}{number}" t="inlineStr"><is><t>{v}</t></is></c>' for i, v in enumerate(values))
    return f'<row r="{number}">{cells}</row>'.encode()


def upload(client, file, url="parties:customer_import"):
    return client.post(reverse(url), {"file": file})


def import_files(media: Path) -> list[Path]:
    folder = media / "imports"
    return list(folder.iterdir()) if folder.exists() else []


def test_a_zip_bomb_is_refused_unread(client, sales_manager, media, settings):
    def bomb():
        yield SHEET_START + b'<dimension ref="A1:E2"/><sheetData>' + inline_row(1, HEADER)
        blank = b" " * (1024 * 1024)
        for _ in range(settings.GENDAN_IMPORT_MAX_UNPACKED_MB + 5):  # whitespace: unpacks past the cap
            yield blank
        yield inline_row(2, ["C-1", "One Ltd", "DE", "EUR", sales_manager.username, *REST])
        yield b"</sheetData></worksheet>"

    file = xlsx_with_sheet(bomb())
    assert file.size < 1024 * 1024  # small on the wire
    client.force_login(sales_manager)
    preview = upload(client, file).context["preview"]
    assert not preview.ok and not preview.rows
    assert any(f"{settings.GENDAN_IMPORT_MAX_UNPACKED_MB} MB" in error for error in preview.file_errors)
    assert not Customer.objects.exists() and import_files(media) == []


def test_a_100000_row_file_is_refused_without_reading_it_all(client, sales_manager, media, settings):
    # The sheet declares a wrong size (A1:E2), and its end is broken XML: reading every row would either
    # stop after row 2 (trusting the size) or fail on the broken end. Being refused for too many rows
    # proves reading stopped right after the row over the limit.
    def rows():
        yield SHEET_START + b'<dimension ref="A1:E2"/><sheetData>' + inline_row(1, HEADER)
        chunk = []
        for number in range(2, 100_002):
            chunk.append(inline_row(number, [f"C-{number}", "Ltd", "DE", "EUR", sales_manager.username]))
            if len(chunk) == 5000:
                yield b"".join(chunk)
                chunk = []
        yield b"".join(chunk) + b'<row r="100002"><c r="A100002" t="inlineStr"><is><t>broken</is></c>'

    file = xlsx_with_sheet(rows())
    client.force_login(sales_manager)
    started = time.monotonic()
    preview = upload(client, file).context["preview"]
    assert time.monotonic() - started < 30  # generous: it took 16 s before, mostly checking 5,000 rows
    assert not preview.ok and not preview.rows  # no row was checked
    assert any(str(settings.GENDAN_IMPORT_MAX_ROWS) in error for error in preview.file_errors)
    assert not Customer.objects.exists() and import_files(media) == []


def workbook(*sheets, hidden=()) -> SimpleUploadedFile:
    book = Workbook()
    book.remove(book.active)
    for title, rows in sheets:
        sheet = book.create_sheet(title)
        for row in rows:
            sheet.append(row)
        if title in hidden:
            sheet.sheet_state = "hidden"
    buffer = BytesIO()
    book.save(buffer)
    return SimpleUploadedFile("customers.xlsx", buffer.getvalue())


def test_the_row_limit_counts_data_rows(client, sales_manager, settings):
    settings.GENDAN_IMPORT_MAX_ROWS = 2
    client.force_login(sales_manager)
    rows = [HEADER] + [[f"C-{n}", "Ltd", "DE", "EUR", sales_manager.username, *REST] for n in range(3)]
    assert upload(client, workbook(("S", rows[:3]))).context["preview"].ok
    assert not upload(client, workbook(("S", rows))).context["preview"].ok


def test_full_width_codes_are_stored_as_ascii_and_found(client, sales_manager):
    existing = CustomerFactory(code="C002", owner=sales_manager, name_en="Old")
    client.force_login(sales_manager)
    rows = [HEADER, ["Ｃ００１", "New Ltd", "ＤＥ", "ｅｕｒ", sales_manager.username, *REST],
            ["Ｃ００２", "Renamed", "US", "USD", sales_manager.username, *REST]]  # full-width C002 is the same customer
    preview = upload(client, workbook(("S", rows))).context["preview"]
    assert preview.ok and [r.is_update for r in preview.rows] == [False, True]
    client.post(reverse("parties:customer_import"), {"token": preview.token})
    new = Customer.objects.get(code="C001")
    assert new.country.code == "DE" and new.currency == "EUR"
    existing.refresh_from_db()
    assert existing.name_en == "Renamed" and Customer.objects.count() == 2
    assert "New Ltd" in client.get(reverse("parties:customer_list"), {"q": "C001"}).content.decode()


def test_full_width_codes_typed_in_the_forms_are_stored_as_ascii(client, sales_manager, engineer):
    from gendan.catalog.tests.test_catalog import product_form
    from gendan.parties.tests.test_views import customer_form

    client.force_login(sales_manager)
    client.post(reverse("parties:customer_create"), customer_form(code="ＢＬＵＥ－ＤＥ", owner=sales_manager.pk))
    assert Customer.objects.filter(code="BLUE-DE").exists()
    # the same code typed full-width again is a duplicate, not a second customer
    response = client.post(reverse("parties:customer_create"), customer_form(code="ＢＬＵＥ－ＤＥ"))
    assert "code" in response.context["form"].errors and Customer.objects.count() == 1

    client.post(reverse("parties:supplier_create"), {
        "kind": "supplier", "code": "ＮＢ０１", "name_zh": "宁波厂", "country": "CN", "currency": "CNY",
        "contacts-TOTAL_FORMS": "0", "contacts-INITIAL_FORMS": "0"})
    assert SupplierFactory._meta.model.objects.filter(code="NB01").exists()

    client.force_login(engineer)
    client.post(reverse("catalog:product_create"), product_form(code="ＫＴ－５５０１"))
    assert Product.objects.filter(code="KT-5501").exists()


def test_full_width_codes_in_a_product_import(client, sales_manager):
    SupplierFactory(code="SUP-1")
    client.force_login(sales_manager)
    rows = [["code", "name_en", "hs_code", "default_supplier", "units_per_carton", "carton_length_cm",
             "carton_width_cm", "carton_height_cm", "net_weight_kg", "gross_weight_kg", "unit", "cost_currency"],
            ["Ｐ－１", "Hook", "８３０２．５０", "ＳＵＰ－１", 100, 40, 30, 20, 8, 9, "pcs", "ｃｎｙ"]]
    preview = upload(client, workbook(("S", rows)), url="catalog:product_import").context["preview"]
    assert preview.ok, preview.bad_rows and preview.bad_rows[0].errors
    client.post(reverse("catalog:product_import"), {"token": preview.token})
    product = Product.objects.get(code="P-1")
    assert product.hs_code == "8302.50" and product.default_supplier.code == "SUP-1" and product.cost_currency == "CNY"


def test_a_hidden_first_sheet_is_skipped_and_the_page_names_the_sheet_read(client, sales_manager):
    client.force_login(sales_manager)
    good = ["C-1", "One Ltd", "DE", "EUR", sales_manager.username, *REST]
    file = workbook(("Notes", [["just", "some", "notes"]]), ("客户名单", [HEADER, good]), hidden=("Notes",))
    response = upload(client, file)
    preview = response.context["preview"]
    assert preview.ok and preview.sheet == "客户名单"
    assert "客户名单" in response.content.decode()


def test_errors_name_the_column_as_the_user_knows_it_and_list_allowed_values(client, sales_manager):
    client.force_login(sales_manager)
    rows = [HEADER, ["C-1", "One Ltd", "DE", "EUR", "nobody", "FOB", "Z", "fr", 0]]
    response = upload(client, workbook(("S", rows)))
    problems = dict(response.context["preview"].bad_rows[0].problems)
    with translation.override("zh-hans"):  # the company's language, which the page is in
        label = {name: capfirst(str(Customer._meta.get_field(name).verbose_name))
                 for name in ("document_language", "grade", "owner")}
    # the template's label first, then the title the file gave the column
    assert set(problems) == {f"{label[name]} ({name})" for name in label}
    language = problems[f"{label['document_language']} (document_language)"]
    assert "en (" in language and "zh-hans (" in language  # the allowed values, with their labels
    assert all(f"{value} (" in problems[f"{label['grade']} (grade)"] for value in ("A", "B", "C"))
    assert sales_manager.username in problems[f"{label['owner']} (owner)"]
    page = response.content.decode()
    assert "<code>document_language</code>" not in page and label["document_language"] in page


def test_choice_columns_accept_labels(client, sales_manager):
    client.force_login(sales_manager)
    with translation.override("en"):
        label = str(Customer._meta.get_field("document_language").choices[0][1])
    rows = [HEADER, ["C-1", "One Ltd", "Germany", "EUR", sales_manager.username, "FOB", "B", label, 0]]
    preview = upload(client, workbook(("S", rows))).context["preview"]
    assert preview.ok


def test_the_template_names_columns_by_label_and_round_trips(client, sales_manager):
    client.force_login(sales_manager)
    template = load_workbook(BytesIO(client.get(reverse("parties:customer_import_template")).content)).active
    header = [cell.value for cell in template[1]]
    assert "document_language" not in header and "code" not in header
    values = {"code": "C-9", "name_en": "Nine Ltd", "country": "DE", "currency": "EUR", "incoterm": "FOB",
              "document_language": "en", "grade": "B", "credit_limit": 0, "owner": sales_manager.username}
    fields = list(Customer._meta.get_field(name).verbose_name for name in values)
    row = []
    for title in header:
        match = [name for name, label in zip(values, fields, strict=True) if str(label).lower() == title.lower()]
        row.append(values[match[0]] if match else None)
    preview = upload(client, workbook(("S", [header, row]))).context["preview"]
    assert preview.ok, [r.errors for r in preview.bad_rows] + preview.file_errors


def test_uploads_are_deleted_when_the_import_ends(client, sales_manager, media):
    client.force_login(sales_manager)
    good = [HEADER, ["C-1", "One Ltd", "DE", "EUR", sales_manager.username, *REST]]
    bad = [HEADER, ["C-2", "", "XX", "EUR", sales_manager.username, *REST]]
    upload(client, workbook(("S", bad)))
    assert import_files(media) == []  # refused at the preview: nothing kept
    preview = upload(client, workbook(("S", good))).context["preview"]
    assert len(import_files(media)) == 1  # kept between the preview and the import
    client.post(reverse("parties:customer_import"), {"token": preview.token})
    assert import_files(media) == [] and Customer.objects.filter(code="C-1").exists()
    # importing the same token again finds nothing, says so, and saves nothing more
    response = client.post(reverse("parties:customer_import"), {"token": preview.token})
    assert response.context["preview"].file_errors and Customer.objects.count() == 1


@pytest.mark.parametrize("token", ["../../settings", "", "0" * 31 + "g"])
def test_a_forged_import_token_is_refused_without_error(client, sales_manager, token):
    client.force_login(sales_manager)
    response = client.post(reverse("parties:customer_import"), {"token": token})
    assert response.status_code == 200 and response.context["preview"].file_errors


def test_a_preview_never_committed_is_swept_later(client, sales_manager, media):
    client.force_login(sales_manager)
    good = [HEADER, ["C-1", "One Ltd", "DE", "EUR", sales_manager.username, *REST]]
    upload(client, workbook(("S", good)))
    [left] = import_files(media)
    old = time.time() - 2 * 24 * 3600
    os.utime(left, (old, old))
    upload(client, workbook(("S", good)))
    assert left not in import_files(media) and len(import_files(media)) == 1


def test_an_import_upload_over_the_size_limit_is_refused(client, sales_manager, media, settings):
    settings.GENDAN_UPLOAD_MAX_MB = 1
    client.force_login(sales_manager)
    response = upload(client, SimpleUploadedFile("big.xlsx", b"PK\x03\x04" + b"0" * (1024 * 1024)))
    assert "file" in response.context["form"].errors and import_files(media) == []
    response = upload(client, SimpleUploadedFile("old.xls", b"\xd0\xcf\x11\xe0"))
    assert "file" in response.context["form"].errors and import_files(media) == []


def test_products_export_keeps_codes_as_text(client, salesperson):
    ProductFactory(code="-100", name_en="=cmd")
    client.force_login(salesperson)
    rows, xml = exported(client, "catalog:product_list")
    assert rows[1][0] == "-100" and b"<f>" not in xml
