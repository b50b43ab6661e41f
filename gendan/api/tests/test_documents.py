"""Documents through the API: make, list, download, send, answer — with the pages' permissions and errors."""

from datetime import date

import pytest

from gendan.documents.models import Document
from gendan.finance.tests.factories import bank_account
from gendan.followup.tests.factories import api_for, at, confirmed_order

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture
def order(salesperson, sales_manager, merchandiser):
    bank_account("USD")
    return confirmed_order(salesperson=salesperson, manager=sales_manager, merchandiser=merchandiser,
                           confirm_on=date(2026, 10, 2))


def test_the_salesperson_makes_and_downloads_the_pi(order, salesperson, other_salesperson, smtp_server):
    api = api_for(salesperson)
    made = api.post(f"/api/v1/orders/{order.pk}/documents/", {"kind": "proforma_invoice"}, format="json")
    assert made.status_code == 201, made.json()
    document = made.json()
    assert (document["kind"], document["version"], document["order"], document["total"]) == (
        "proforma_invoice", 1, order.pk, "2500.000")
    again = api.post(f"/api/v1/orders/{order.pk}/documents/", {"kind": "proforma_invoice"}, format="json")
    assert again.status_code == 200 and again.json()["id"] == document["id"]
    pdf = api.get(f"/api/v1/documents/{document['id']}/pdf/")
    assert pdf.status_code == 200 and b"".join(pdf.streaming_content).startswith(b"%PDF-")
    assert api.get(f"/api/v1/documents/{document['id']}/xlsx/").status_code == 404  # a PI has none
    listed = api.get("/api/v1/documents/", {"kind": "proforma_invoice"}).json()
    assert [row["number"] for row in listed["results"]] == [document["number"]]

    bad = api.post(f"/api/v1/documents/{document['id']}/send/", {"recipients": ["not-an-address"],
                                                                  "subject": "PI"}, format="json")
    assert bad.status_code == 400 and "recipients" in bad.json()["errors"]
    sent = api.post(f"/api/v1/documents/{document['id']}/send/", {"recipients": ["jane@acme.example"],
                                                                   "subject": "PI"}, format="json")
    assert sent.status_code == 200 and sent.json()["sent_to"] == "jane@acme.example"
    assert len(smtp_server) == 1

    # another salesperson sees neither the order nor its documents
    other = api_for(other_salesperson)
    assert other.get(f"/api/v1/documents/{document['id']}/").status_code == 404
    assert other.post(f"/api/v1/orders/{order.pk}/documents/", {"kind": "proforma_invoice"},
                      format="json").status_code == 404


def test_statements_are_finances_and_bad_periods_name_their_field(order, finance, salesperson):
    api = api_for(finance)
    url = f"/api/v1/customers/{order.customer_id}/statements/"
    with at(date(2026, 11, 3)):
        backwards = api.post(url, {"period_start": "2026-10-31", "as_of": "2026-10-01"}, format="json")
        assert backwards.status_code == 400 and "period_start" in backwards.json()["errors"]
        made = api.post(url, {"period_start": "2026-10-01", "as_of": "2026-10-31"}, format="json")
    assert made.status_code == 201, made.json()
    statement = made.json()
    assert (statement["kind"], statement["total"], statement["has_xlsx"]) == ("statement", "2500.000", True)
    assert api.get(f"/api/v1/documents/{statement['id']}/xlsx/").status_code == 200
    disputed = api.post(f"/api/v1/documents/{statement['id']}/answer/", {"response": "disputed"}, format="json")
    assert disputed.status_code == 400 and "note" in disputed.json()["errors"]
    confirmed = api.post(f"/api/v1/documents/{statement['id']}/answer/", {"response": "confirmed"}, format="json")
    assert confirmed.json()["response"] == "confirmed"
    assert api_for(salesperson).post(url, {"period_start": "2026-10-01", "as_of": "2026-10-31"},
                                     format="json").status_code == 403
    assert Document.objects.filter(kind="statement").count() == 1
