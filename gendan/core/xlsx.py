"""XLSX export of any list (openpyxl, streamed row by row)."""

from collections.abc import Callable, Iterable
from datetime import date, datetime
from decimal import Decimal
from io import BytesIO

from django.http import HttpResponse
from django.utils import timezone
from openpyxl import Workbook
from openpyxl.styles import Font, PatternFill
from openpyxl.utils import get_column_letter

XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
Column = tuple[str, Callable[[object], object]]


def _cell(value):
    if isinstance(value, datetime):
        return timezone.localtime(value).replace(tzinfo=None) if timezone.is_aware(value) else value
    if isinstance(value, (str, int, float, Decimal, date)) or value is None:
        return value
    return str(value)


def workbook_bytes(rows: Iterable, columns: list[Column], title: str = "Sheet") -> bytes:
    book = Workbook(write_only=True)
    sheet = book.create_sheet(title[:31])
    headers = [str(header) for header, _getter in columns]
    for index, header in enumerate(headers, start=1):
        sheet.column_dimensions[get_column_letter(index)].width = max(10, min(40, len(header) * 2 + 4))
    sheet.freeze_panes = "A2"
    from openpyxl.cell import WriteOnlyCell

    header_cells = []
    for header in headers:
        cell = WriteOnlyCell(sheet, value=header)
        cell.font = Font(bold=True, color="FFFFFF")
        cell.fill = PatternFill("solid", fgColor="206BC4")
        header_cells.append(cell)
    sheet.append(header_cells)
    for row in rows.iterator(chunk_size=2000) if hasattr(rows, "iterator") else rows:
        sheet.append([_cell(getter(row)) for _header, getter in columns])
    buffer = BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def xlsx_response(rows: Iterable, columns: list[Column], filename: str) -> HttpResponse:
    stamp = timezone.localtime().strftime("%Y%m%d-%H%M")
    response = HttpResponse(workbook_bytes(rows, columns, filename), content_type=XLSX_TYPE)
    response["Content-Disposition"] = f'attachment; filename="{filename}-{stamp}.xlsx"'
    return response
