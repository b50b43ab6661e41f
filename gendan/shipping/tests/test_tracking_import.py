"""The forwarder's tracking sheet (a real .xlsx through the import page): rows found by booking, B/L or container
number, the forwarder's own words (ATD, ATA, 到港) understood, other columns left unread; a bad row is named by row
and column and nothing is recorded; importing the same sheet again records nothing twice."""

import io
from datetime import date, datetime

import pytest
from openpyxl import Workbook, load_workbook

from gendan.followup.tests.factories import at
from gendan.shipping.models import TrackingEvent
from gendan.shipping.tests.test_notices import contact, sailed  # noqa: F401 (fixtures)

pytestmark = pytest.mark.django_db
TODAY = date(2026, 12, 10)


def sheet(*rows, header=("Vessel", "B/L No.", "Status", "Date", "Location", "ETA", "Remarks")) -> io.BytesIO:
    book = Workbook()
    book.active.append(header)
    for row in rows:
        book.active.append(row)
    data = io.BytesIO()
    book.save(data)
    data.seek(0)
    data.name = "tracking.xlsx"
    return data


@pytest.fixture(autouse=True)
def in_english(merchandiser):
    merchandiser.language = "en"
    merchandiser.save(update_fields=["language"])


def upload(client, data):
    preview = client.post("/shipping/tracking/import/", {"file": data})
    token = preview.context["preview"].token
    return preview, client.post("/shipping/tracking/import/", {"token": token})


def test_the_forwarders_sheet_records_each_event_once(sailed, client, merchandiser):  # noqa: F811
    shipment, first, _ = sailed
    client.force_login(merchandiser)
    rows = [("COSCO SHIPPING ARIES", "COSU6301234560", "ATD", datetime(2026, 11, 23), "Ningbo", "", ""),
            ("COSCO SHIPPING ARIES", "csqu 305438-3", "T/S", "2026/11/30", "Busan", "", "via Busan"),
            ("COSCO SHIPPING ARIES", "NGB1", "到港", "09-Dec-2026", "Los Angeles", "2026-12-08", "")]
    with at(TODAY):
        preview, done = upload(client, sheet(*rows))
    assert preview.context["preview"].ok, preview.context["preview"].bad_rows
    assert done.status_code == 302
    events = list(TrackingEvent.objects.order_by("happened_on").values_list("status", "happened_on", "place", "note"))
    assert events == [("departed", date(2026, 11, 23), "Ningbo", ""),
                      ("transhipped", date(2026, 11, 30), "Busan", "via Busan"),
                      ("arrived", date(2026, 12, 9), "Los Angeles", "")]
    assert TrackingEvent.objects.filter(recorded_by=merchandiser).count() == 3
    first.plan.refresh_from_db()
    assert first.plan.eta == date(2026, 12, 9)  # arrival is the order's actual ETA

    with at(TODAY):  # next week's sheet has the same rows and one more
        preview, done = upload(client, sheet(*rows, ("", "NGB1", "POD", "2026-12-10", "Long Beach", "", "")))
    assert [row.skip for row in preview.context["preview"].rows] == [True, True, True, False]
    assert TrackingEvent.objects.count() == 4 and TrackingEvent.objects.filter(status="delivered").exists()


def test_bad_rows_are_named_and_nothing_is_recorded(sailed, client, merchandiser):  # noqa: F811
    client.force_login(merchandiser)
    with at(TODAY):
        response = client.post("/shipping/tracking/import/", {"file": sheet(
            ("", "COSU6301234560", "ATD", "2026-11-23", "Ningbo", "", ""),  # good
            ("", "MSKU0000000", "ATA", "2026-12-01", "", "", ""),  # no shipment of ours
            ("", "NGB1", "lost at sea", "2026-12-01", "", "", ""),  # not a status
            ("", "NGB1", "ATA", "2026-12-24", "", "", ""),  # in the future
            ("", "NGB1", "ATA", "2026-11-01", "", "", ""),  # before sailing
            ("", "NGB1", "ATA", "11/12/2026", "", "", ""),  # which day?
        )})
    preview = response.context["preview"]
    problems = {row.row: dict(row.problems) for row in preview.bad_rows}
    assert list(problems) == [3, 4, 5, 6, 7]
    assert "No shipment of yours" in problems[3]["Booking, B/L or container no. (B/L No.)"]
    assert "Departed" in problems[4]["What happened (Status)"]  # the allowed values listed
    assert "future" in problems[5]["Date"]
    assert "The goods left on 2026-11-23" in problems[6]["Date"]
    assert "Enter a valid date" in problems[7]["Date"]
    assert not TrackingEvent.objects.exists()
    assert 'data-testid="commit"' not in response.content.decode()


def test_the_sheet_needs_its_key_columns_and_the_right_to_track(sailed, client, merchandiser, warehouse):  # noqa: F811
    client.force_login(merchandiser)
    response = client.post("/shipping/tracking/import/", {"file": sheet(("x", "NGB1"), header=("Vessel", "B/L"))})
    errors = response.context["preview"].file_errors
    assert any("“What happened” is missing" in e for e in errors) and any("“Date” is missing" in e for e in errors)
    client.force_login(warehouse)
    assert client.get("/shipping/tracking/import/").status_code == 403
    assert client.get("/shipping/tracking/import/template.xlsx").status_code == 403


def test_the_template_names_the_columns_the_import_reads(client, merchandiser):
    client.force_login(merchandiser)
    response = client.get("/shipping/tracking/import/template.xlsx")
    book = load_workbook(io.BytesIO(response.content))
    assert [cell.value for cell in next(book.active.iter_rows(max_row=1))] == [
        "Booking, B/L or container no.", "What happened", "Date", "Place", "Note"]
