"""XLSX export of any list (openpyxl, streamed row by row).

Every value is written as data, never as a formula: a customer named `=HYPERLINK(...)` must export as
that text, not as a live link (DESIGN.md, "exports write cell values as text").
"""

from collections.abc import Callable, Iterable
from datetime import date, datetime
from decimal import Decimal
from io import BytesIO

from django.http import HttpResponse
from django.utils import timezone
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.cell.cell import ERROR_CODES, ILLEGAL_CHARACTERS_RE
from openpyxl.styles import Font, PatternFill
from openpyxl.utils import get_column_letter

XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
Column = tuple[str, Callable[[object], object]]
# What spreadsheet programs read as the start of a formula (the OWASP "CSV injection" list).
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def _value(value):
    if isinstance(value, datetime):
        return timezone.localtime(value).replace(tzinfo=None) if timezone.is_aware(value) else value
    if isinstance(value, (int, float, Decimal, date)) or value is None:
        return value
    # Control characters are not allowed in the XML of a sheet: drop them rather than fail the export.
    return ILLEGAL_CHARACTERS_RE.sub("", str(value))


def _cell(sheet, value):
    value = _value(value)
    if isinstance(value, str) and (value.startswith(FORMULA_STARTS) or value in ERROR_CODES):
        # openpyxl stores "=…" as a formula and "#N/A" as an error; force plain text, and the quote
        # prefix keeps it text even after someone edits the cell in Excel.
        cell = WriteOnlyCell(sheet, value=value)
        cell.data_type = "s"
        cell.quotePrefix = True
        return cell
    return value


def workbook_bytes(rows: Iterable, columns: list[Column], title: str = "Sheet") -> bytes:
    book = Workbook(write_only=True)
    sheet = book.create_sheet(title[:31])
    headers = [str(header) for header, _getter in columns]
    for index, header in enumerate(headers, start=1):
        sheet.column_dimensions[get_column_letter(index)].width = max(10, min(40, len(header) * 2 + 4))
    sheet.freeze_panes = "A2"
    header_cells = []
    for header in headers:
        cell = WriteOnlyCell(sheet, value=header)
        cell.font = Font(bold=True, color="FFFFFF")
        cell.fill = PatternFill("solid", fgColor="206BC4")
        header_cells.append(cell)
    sheet.append(header_cells)
    for row in rows.iterator(chunk_size=2000) if hasattr(rows, "iterator") else rows:
        sheet.append([_cell(sheet, getter(row)) for _header, getter in columns])
    buffer = BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def xlsx_response(rows: Iterable, columns: list[Column], filename: str) -> HttpResponse:
    stamp = timezone.localtime().strftime("%Y%m%d-%H%M")
    response = HttpResponse(workbook_bytes(rows, columns, filename), content_type=XLSX_TYPE)
    response["Content-Disposition"] = f'attachment; filename="{filename}-{stamp}.xlsx"'
    return response
