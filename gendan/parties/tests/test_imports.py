from io import BytesIO

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import translation
from openpyxl import Workbook

from gendan.parties.models import Customer
from gendan.parties.tests.factories import CustomerFactory

pytestmark = pytest.mark.django_db
with translation.override("zh-hans"):
    CHINESE_LABEL = str(Customer._meta.get_field("name_zh").verbose_name)  # columns may be named in Chinese
HEADER = ["code", "Name (English)", CHINESE_LABEL, "country", "currency", "incoterm", "incoterm_place", "owner",
          "grade", "document_language", "credit_limit"]


def xlsx(rows, header=HEADER) -> SimpleUploadedFile:
    book = Workbook()
    sheet = book.active
    sheet.append(header)
    for row in rows:
        sheet.append(row)
    buffer = BytesIO()
    book.save(buffer)
    return SimpleUploadedFile("customers.xlsx", buffer.getvalue())


def good_row(code, owner):
    return [code, f"{code} Trading Ltd", "", "Germany", "eur", "CIF", "Hamburg", owner, "B", "en", 10000]


def upload(client, file):
    return client.post(reverse("parties:customer_import"), {"file": file})


def test_preview_lists_every_bad_row_and_field_and_saves_nothing(client, sales_manager):
    client.force_login(sales_manager)
    rows = [
        good_row("OK-1", sales_manager.username),
        ["BAD-2", "Bad Two", "", "Atlantis", "EURO", "FOB", "Ningbo", sales_manager.username, "B", "en", 0],
        ["BAD-3", "", "", "US", "USD", "XXX", "", "nobody", "Z", "en", -1],
        good_row("OK-1", sales_manager.username),  # the same code twice in one file
    ]
    response = upload(client, xlsx(rows))
    preview = response.context["preview"]
    errors = {row.row: set(row.errors) for row in preview.bad_rows}
    assert errors == {
        3: {"country", "currency"},
        4: {"name_en", "incoterm", "owner", "grade", "credit_limit"},
        5: {"code"},
    }
    assert not preview.ok and b'data-testid="commit"' not in response.content
    # committing the stored file anyway is refused as a whole
    client.post(reverse("parties:customer_import"), {"token": preview.token})
    assert not Customer.objects.exists()


def test_good_file_imports_all_rows_at_once_and_updates_by_code(client, sales_manager, salesperson):
    existing = CustomerFactory(code="OK-2", owner=salesperson, name_en="Old Name")
    client.force_login(sales_manager)
    rows = [good_row("OK-1", salesperson.username), good_row("OK-2", salesperson.username)]
    preview = upload(client, xlsx(rows)).context["preview"]
    assert preview.ok and [r.is_update for r in preview.rows] == [False, True]
    assert Customer.objects.count() == 1  # nothing saved by the preview
    response = client.post(reverse("parties:customer_import"), {"token": preview.token})
    assert response.status_code == 302
    existing.refresh_from_db()
    assert existing.name_en == "OK-2 Trading Ltd" and existing.country.code == "DE"
    new = Customer.objects.get(code="OK-1")
    assert new.owner == salesperson and new.currency == "EUR" and new.incoterm_place == "Hamburg"


def test_failure_on_one_row_at_commit_rolls_back_all(client, sales_manager, monkeypatch):
    from gendan.parties import imports

    client.force_login(sales_manager)
    rows = [good_row("OK-1", sales_manager.username), good_row("OK-2", sales_manager.username)]
    preview = upload(client, xlsx(rows)).context["preview"]
    real_save = imports.customer_create

    def failing_create(**kwargs):
        if kwargs["code"] == "OK-2":  # e.g. somebody took the code between preview and commit
            CustomerFactory(code="OK-2")
        return real_save(**kwargs)

    monkeypatch.setattr(imports, "customer_create", failing_create)
    response = client.post(reverse("parties:customer_import"), {"token": preview.token})
    # the second row fails at commit: the first is rolled back too, and the preview shows why
    assert not Customer.objects.filter(code="OK-1").exists()
    assert response.status_code == 200
    assert {row.row: set(row.errors) for row in response.context["preview"].bad_rows} == {3: {"code"}}


def test_not_an_excel_file(client, sales_manager):
    client.force_login(sales_manager)
    preview = upload(client, SimpleUploadedFile("x.xlsx", b"hello")).context["preview"]
    assert preview.file_errors and not preview.ok


def test_unknown_column_is_reported(client, sales_manager):
    client.force_login(sales_manager)
    preview = upload(client, xlsx([["A", "B"]], header=["code", "colour"])).context["preview"]
    assert any("colour" in error for error in preview.file_errors)


def test_salesperson_may_not_import(client, salesperson):
    client.force_login(salesperson)
    assert client.get(reverse("parties:customer_import")).status_code == 403


def test_the_template_and_the_errors_speak_the_users_language(client, sales_manager):
    """Columns are the labels the user sees on the form (in Chinese for a Chinese user), not field names; an error
    names its column that way and lists what the column accepts."""
    from openpyxl import load_workbook

    client.force_login(sales_manager)
    sales_manager.language = "zh-hans"
    sales_manager.save(update_fields=["language"])
    template = client.get(reverse("parties:customer_import_template"))
    header = [cell.value for cell in next(load_workbook(BytesIO(template.content)).active.iter_rows(max_row=1))]
    with translation.override("zh-hans"):
        expected = str(Customer._meta.get_field("document_language").verbose_name)
    assert expected in header and "document_language" not in header and "code" not in header
    row = good_row("LANG-1", sales_manager.username)
    row[HEADER.index("document_language")] = "klingon"
    titled = [expected if title == "document_language" else title for title in HEADER]  # as in the template
    page = upload(client, xlsx([row], header=titled)).content.decode()
    assert expected in page and "document_language" not in page
    assert "zh-hans" in page and "en" in page  # the allowed values are listed
