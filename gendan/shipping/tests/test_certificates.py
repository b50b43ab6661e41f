"""Commodity inspections and certificates of origin on a shipment (seed 003: 商检, 产地证): a C/O completes each
order's `certificate_of_origin` milestone on its issue date, a passed inspection `commodity_inspection`, a failed
one nothing; a number is used once per kind, nationwide; no issue date in the future; only PDF, JPEG or PNG
scans up to 10 MB; the warehouse may not record them, nor anyone on a cancelled shipment. Each change logs an
activity on every order of the shipment and a history row; a stale version is refused."""

from datetime import date

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile

from gendan.core.errors import ConcurrentChange
from gendan.finance.tests.factories import pay
from gendan.followup.choices import MilestoneStatus
from gendan.followup.models import Activity
from gendan.followup.tests.factories import api_for, at, confirmed_order
from gendan.sales.services import order_mark_ready, order_start_production
from gendan.shipping.certificates import certificate_add, certificate_remove, certificate_update
from gendan.shipping.choices import CertificateKind, InspectionResult
from gendan.shipping.models import Certificate
from gendan.shipping.services import shipment_cancel, shipment_create

pytestmark = pytest.mark.django_db
TODAY = date(2026, 11, 20)
PDF = b"%PDF-1.4\n1 0 obj << >> endobj\ntrailer << >>\n%%EOF\n"


def pdf(name="form-e.pdf", content=PDF):
    return SimpleUploadedFile(name, content, content_type="application/pdf")


@pytest.fixture
def needing(customer, salesperson, sales_manager, merchandiser, finance):
    """A function making an order ready to ship that needs a commodity inspection and a certificate of origin."""
    def make():
        order = confirmed_order(salesperson=salesperson, manager=sales_manager, merchandiser=merchandiser,
                                customer=customer, needs_commodity_inspection=True, needs_certificate_of_origin=True)
        pay(order, by=finance, kinds=("deposit",))
        with at(TODAY):
            order_start_production(order=order, by=merchandiser)
            order_mark_ready(order=order, by=merchandiser)
        return order
    return make


@pytest.fixture
def shipment(needing, customer, merchandiser):
    """A draft shipment of two orders' goods, both needing an inspection and a C/O."""
    orders = [needing(), needing()]
    with at(TODAY):
        made = shipment_create(by=merchandiser, customer=customer, lines=[
            (line, line.quantity) for order in orders for line in order.lines.all()])
    made.orders = orders
    return made


def form_e(**fields):
    return {"kind": CertificateKind.FORM_E, "number": "E264401234560012", "issuer": "中国国际贸易促进委员会宁波分会",
            "issued_on": date(2026, 11, 18), **fields}


def inspection(**fields):
    return {"kind": CertificateKind.INSPECTION, "number": "331000226012345", "issuer": "Ningbo Customs",
            "issued_on": date(2026, 11, 17), "inspected_on": date(2026, 11, 16), "result": InspectionResult.PASSED,
            **fields}


def milestone(order, code):
    return order.plan.milestones.get(code=code)


def test_a_certificate_of_origin_completes_each_orders_milestone(shipment, merchandiser):
    with at(TODAY):
        certificate = certificate_add(shipment=shipment, by=merchandiser, file=pdf(), note="Original couriered",
                                      **form_e())
    certificate.refresh_from_db()
    assert (certificate.kind, certificate.number, certificate.version) == (CertificateKind.FORM_E,
                                                                          "E264401234560012", 1)
    assert certificate.file.name.startswith("certificates/2026/11/") and certificate.file.read() == PDF
    assert certificate.created_by == merchandiser
    created = certificate.history.get()
    assert (created.history_type, created.history_user) == ("+", merchandiser)
    for order in shipment.orders:
        done = milestone(order, "certificate_of_origin")
        assert (done.status, done.actual_date, done.done_by) == (MilestoneStatus.DONE, date(2026, 11, 18),
                                                                 merchandiser)
        assert milestone(order, "commodity_inspection").status == MilestoneStatus.OPEN
        activity = Activity.objects.get(order=order)
        assert activity.summary == f"Form E (China–ASEAN) E264401234560012 recorded ({shipment.number})"
        assert activity.by == merchandiser and "Original couriered" in activity.details


def test_a_passed_inspection_completes_commodity_inspection_a_failed_one_nothing(shipment, merchandiser):
    with at(TODAY):
        failed = certificate_add(shipment=shipment, by=merchandiser, **inspection(result=InspectionResult.FAILED))
    order = shipment.orders[0]
    assert failed.failed and milestone(order, "commodity_inspection").status == MilestoneStatus.OPEN
    assert milestone(order, "certificate_of_origin").status == MilestoneStatus.OPEN
    with at(TODAY):  # re-inspected: the correction says passed
        certificate_update(certificate=failed, by=merchandiser, version=1, result=InspectionResult.PASSED,
                           issued_on=date(2026, 11, 19), inspected_on=date(2026, 11, 19))
    failed.refresh_from_db()
    assert (failed.result, failed.version) == (InspectionResult.PASSED, 2)
    done = milestone(order, "commodity_inspection")
    assert (done.status, done.actual_date) == (MilestoneStatus.DONE, date(2026, 11, 19))
    changed = failed.history.latest("history_id")
    assert (changed.history_type, changed.history_user, changed.result) == ("~", merchandiser, "passed")
    assert Activity.objects.filter(order=order, summary__contains="corrected").count() == 1


def test_an_issue_date_in_the_future_is_refused(shipment, merchandiser):
    with at(TODAY), pytest.raises(ValidationError) as error:
        certificate_add(shipment=shipment, by=merchandiser, **form_e(issued_on=date(2026, 11, 21)))
    assert list(error.value.message_dict) == ["issued_on"]
    assert not Certificate.objects.exists() and not Activity.objects.exists()
    assert milestone(shipment.orders[0], "certificate_of_origin").status == MilestoneStatus.OPEN


def test_a_number_is_used_once_per_kind_even_on_another_shipment(shipment, needing, customer, merchandiser):
    other_order = needing()
    with at(TODAY):
        certificate_add(shipment=shipment, by=merchandiser, **form_e())
        other = shipment_create(by=merchandiser, customer=customer, lines=[
            (line, line.quantity) for line in other_order.lines.all()])
        with pytest.raises(ValidationError) as error:
            certificate_add(shipment=other, by=merchandiser, **form_e(number=" E264401234560012 "))
    assert list(error.value.message_dict) == ["number"]
    assert shipment.number in error.value.message_dict["number"][0]
    assert Certificate.objects.count() == 1
    assert milestone(other_order, "certificate_of_origin").status == MilestoneStatus.OPEN
    with at(TODAY):  # the same number of another kind is another certificate
        certificate_add(shipment=other, by=merchandiser, **form_e(kind=CertificateKind.RCEP))
    assert milestone(other_order, "certificate_of_origin").status == MilestoneStatus.DONE


@pytest.mark.parametrize(("fields", "field"), [
    ({"number": " "}, "number"),
    ({"issuer": ""}, "issuer"),
    ({"issued_on": None}, "issued_on"),
    ({"kind": "form_x"}, "kind"),
    ({"kind": CertificateKind.OTHER}, "form_name"),
])
def test_a_certificate_without_what_the_paper_says_is_refused(shipment, merchandiser, fields, field):
    with at(TODAY), pytest.raises(ValidationError) as error:
        certificate_add(shipment=shipment, by=merchandiser, **form_e(**fields))
    assert field in error.value.message_dict
    assert not Certificate.objects.exists()


@pytest.mark.parametrize(("fields", "field"), [
    ({"result": ""}, "result"),
    ({"inspected_on": None}, "inspected_on"),
    ({"inspected_on": date(2026, 11, 18)}, "inspected_on"),  # after the certificate
])
def test_an_inspection_needs_its_date_and_result(shipment, merchandiser, fields, field):
    with at(TODAY), pytest.raises(ValidationError) as error:
        certificate_add(shipment=shipment, by=merchandiser, **inspection(**fields))
    assert list(error.value.message_dict) == [field]
    assert not Certificate.objects.exists()


def test_another_preferential_form_keeps_its_name(shipment, merchandiser):
    with at(TODAY):
        certificate = certificate_add(shipment=shipment, by=merchandiser, **form_e(
            kind=CertificateKind.OTHER, form_name="China–Australia FTA", result=InspectionResult.PASSED))
    assert (str(certificate), certificate.result) == ("China–Australia FTA E264401234560012", "")


@pytest.mark.parametrize(("upload", "message"), [
    (SimpleUploadedFile("form-e.pdf", b"<html><script>alert(1)</script>"), "is not a .pdf file"),
    (SimpleUploadedFile("form-e.docx", b"PK\x03\x04rest"), "cannot be uploaded"),
    (SimpleUploadedFile("form-e.png", b"%PDF-1.4 named png"), "is not a .png file"),
    (SimpleUploadedFile("form-e.pdf", PDF + b"0" * (10 * 1024 * 1024)), "at most 10 MB"),
])
def test_only_pdf_jpeg_or_png_scans_up_to_10_mb(shipment, merchandiser, upload, message):
    with at(TODAY), pytest.raises(ValidationError) as error:
        certificate_add(shipment=shipment, by=merchandiser, file=upload, **form_e())
    assert list(error.value.message_dict) == ["file"] and message in error.value.message_dict["file"][0]
    assert not Certificate.objects.exists()


def test_a_stale_version_is_refused(shipment, merchandiser, sales_manager):
    with at(TODAY):
        certificate = certificate_add(shipment=shipment, by=merchandiser, **form_e())
        certificate_update(certificate=certificate, by=sales_manager, version=1, note="Corrected by the manager")
        with pytest.raises(ConcurrentChange):
            certificate_update(certificate=certificate, by=merchandiser, version=1, number="E264401234560099")
        with pytest.raises(ConcurrentChange):
            certificate_remove(certificate=certificate, by=merchandiser, version=1)
    certificate.refresh_from_db()
    assert (certificate.number, certificate.note, certificate.version) == ("E264401234560012",
                                                                           "Corrected by the manager", 2)
    assert certificate.history.count() == 2


def test_a_correction_replaces_or_removes_the_scan(shipment, merchandiser):
    with at(TODAY):
        certificate = certificate_add(shipment=shipment, by=merchandiser, file=pdf(), **form_e())
        certificate_update(certificate=certificate, by=merchandiser, version=1, file=None, note="kept")
        certificate.refresh_from_db()
        assert certificate.file.name.endswith(".pdf")
        certificate_update(certificate=certificate, by=merchandiser, version=2,
                           file=SimpleUploadedFile("scan.png", b"\x89PNG\r\n\x1a\n" + b"0" * 64))
        certificate.refresh_from_db()
        assert certificate.file.name.endswith(".png")
        certificate_update(certificate=certificate, by=merchandiser, version=3, file=False)
    certificate.refresh_from_db()
    assert not certificate.file and certificate.version == 4


def test_removing_keeps_the_history_and_logs_it(shipment, merchandiser):
    with at(TODAY):
        certificate = certificate_add(shipment=shipment, by=merchandiser, **form_e())
        certificate_remove(certificate=certificate, by=merchandiser, version=1)
    assert not Certificate.objects.exists()
    removed = Certificate.history.filter(id=certificate.pk).latest("history_id")
    assert (removed.history_type, removed.history_user, removed.number) == ("-", merchandiser, "E264401234560012")
    for order in shipment.orders:
        assert Activity.objects.filter(order=order, summary__contains="removed").count() == 1


def test_removing_the_only_certificate_reopens_its_milestone_another_keeps_it_done(shipment, merchandiser):
    with at(TODAY):
        first = certificate_add(shipment=shipment, by=merchandiser, **form_e())
        second = certificate_add(shipment=shipment, by=merchandiser, **form_e(kind=CertificateKind.GENERAL_CO,
                                                                               number="C264400001"))
        certificate_remove(certificate=first, by=merchandiser, version=1)
    for order in shipment.orders:  # the general C/O still proves it
        assert milestone(order, "certificate_of_origin").status == MilestoneStatus.DONE
    with at(TODAY):
        certificate_remove(certificate=second, by=merchandiser, version=1)
    for order in shipment.orders:
        reopened = milestone(order, "certificate_of_origin")
        assert (reopened.status, reopened.actual_date, reopened.done_by) == (MilestoneStatus.OPEN, None, None)
        last = reopened.history.latest("history_id")
        assert (last.history_user, last.status) == (merchandiser, MilestoneStatus.OPEN)
        assert "C264400001" in last.history_change_reason and "no longer proves" in last.history_change_reason
        assert milestone(order, "commodity_inspection").status == MilestoneStatus.OPEN  # never touched


def test_an_inspection_corrected_to_failed_reopens_commodity_inspection(shipment, merchandiser):
    with at(TODAY):
        passed = certificate_add(shipment=shipment, by=merchandiser, **inspection())
    order = shipment.orders[0]
    assert milestone(order, "commodity_inspection").status == MilestoneStatus.DONE
    with at(TODAY):
        certificate_update(certificate=passed, by=merchandiser, version=1, result=InspectionResult.FAILED)
    assert milestone(order, "commodity_inspection").status == MilestoneStatus.OPEN
    with at(TODAY):  # a correction that keeps it passed changes nothing
        certificate_update(certificate=passed, by=merchandiser, version=2, result=InspectionResult.PASSED)
        certificate_update(certificate=passed, by=merchandiser, version=3, note="re-checked")
    assert milestone(order, "commodity_inspection").status == MilestoneStatus.DONE


def test_the_warehouse_may_not_record_a_certificate(shipment, merchandiser, warehouse):
    with at(TODAY):
        with pytest.raises(PermissionDenied):
            certificate_add(shipment=shipment, by=warehouse, **form_e())
        certificate = certificate_add(shipment=shipment, by=merchandiser, **form_e())
        with pytest.raises(PermissionDenied):
            certificate_update(certificate=certificate, by=warehouse, version=1, note="x")
        with pytest.raises(PermissionDenied):
            certificate_remove(certificate=certificate, by=warehouse, version=1)
    assert Certificate.objects.get().history.count() == 1


def test_a_merchandiser_who_does_not_follow_the_orders_may_not(shipment, other_merchandiser):
    with at(TODAY), pytest.raises(PermissionDenied):
        certificate_add(shipment=shipment, by=other_merchandiser, **form_e())
    assert not Certificate.objects.exists()


def test_a_cancelled_shipment_takes_no_certificate(shipment, merchandiser):
    with at(TODAY):
        certificate = certificate_add(shipment=shipment, by=merchandiser, **form_e())
        shipment_cancel(shipment=shipment, by=merchandiser, version=shipment.version, reason="Customer postponed")
        for call in (lambda: certificate_add(shipment=shipment, by=merchandiser, **inspection()),
                     lambda: certificate_update(certificate=certificate, by=merchandiser, version=1, note="x"),
                     lambda: certificate_remove(certificate=certificate, by=merchandiser, version=1)):
            with pytest.raises(ValidationError) as error:
                call()
            assert list(error.value.message_dict) == ["shipment"]
    assert Certificate.objects.get().history.count() == 1


# ---------------------------------------------------------------- API


def test_the_api_records_a_certificate_and_lists_it(shipment, merchandiser):
    client = api_for(merchandiser)
    url = f"/api/v1/shipments/{shipment.pk}/certificates/"
    with at(TODAY):
        refused = client.post(url, {**form_e(issued_on="2026-12-01")}, format="json")
        answer = client.post(url, {**inspection(issued_on="2026-11-17", inspected_on="2026-11-16")}, format="json")
    assert refused.status_code == 400 and "issued_on" in refused.json()["errors"]
    assert answer.status_code == 201, answer.content
    listed = answer.json()["certificates"]
    assert [(c["kind"], c["number"], c["result"], c["file_url"]) for c in listed] == [
        ("inspection", "331000226012345", "passed", None)]
    assert milestone(shipment.orders[0], "commodity_inspection").status == MilestoneStatus.DONE
    assert Certificate.objects.get().history.get().history_user == merchandiser
    read = client.get(f"/api/v1/shipments/{shipment.pk}/")
    assert read.json()["certificates"][0]["issuer"] == "Ningbo Customs"


def test_the_api_refuses_the_warehouse_and_unknown_fields(shipment, merchandiser, warehouse):
    with at(TODAY):
        refused = api_for(warehouse).post(f"/api/v1/shipments/{shipment.pk}/certificates/", form_e(
            issued_on="2026-11-18"), format="json")
        unknown = api_for(merchandiser).post(f"/api/v1/shipments/{shipment.pk}/certificates/", {
            **form_e(issued_on="2026-11-18"), "version": 3}, format="json")
    assert refused.status_code == 403
    assert unknown.status_code == 400 and "version" in unknown.json()["errors"]
    assert not Certificate.objects.exists()


# ---------------------------------------------------------------- pages


def test_the_pages_answer_each_role(client, shipment, merchandiser, warehouse, other_merchandiser, salesperson):
    with at(TODAY):
        certificate = certificate_add(shipment=shipment, by=merchandiser, file=pdf(), **form_e())
    new, edit = f"/shipping/{shipment.pk}/certificates/new/", f"/shipping/certificates/{certificate.pk}/edit/"
    scan, remove = f"/shipping/certificates/{certificate.pk}/file/", f"/shipping/certificates/{certificate.pk}/remove/"
    client.force_login(merchandiser)
    page = client.get(shipment.get_absolute_url())
    assert b'data-testid="add-certificate"' in page.content and b"E264401234560012" in page.content
    assert client.get(edit).status_code == 200
    answer = client.get(scan)
    assert (answer.status_code, answer["Content-Type"], b"".join(answer.streaming_content)) == (
        200, "application/pdf", PDF)
    client.force_login(warehouse)  # sees the shipment and its papers, records none
    page = client.get(shipment.get_absolute_url())
    assert b"E264401234560012" in page.content and b'data-testid="add-certificate"' not in page.content
    assert client.get(scan).status_code == 200
    assert [client.get(new).status_code, client.get(edit).status_code,
            client.post(remove, {"version": 1}).status_code] == [403, 403, 403]
    for outsider in (other_merchandiser, salesperson):  # does not follow the order; does not see shipments
        client.force_login(outsider)
        assert [client.get(url).status_code for url in (new, edit, scan)] == [404, 404, 404]
        assert client.post(remove, {"version": 1}).status_code == 404
    assert Certificate.objects.get().history.count() == 1


def test_the_form_records_a_certificate_and_names_the_field_it_refuses(client, shipment, merchandiser):
    client.force_login(merchandiser)
    url = f"/shipping/{shipment.pk}/certificates/new/"
    data = {"kind": "inspection", "number": "331000226012345", "issuer": "SGS Ningbo", "issued_on": "2026-11-17",
            "inspected_on": "2026-11-16"}
    with at(TODAY):
        refused = client.post(url, data)  # no result
        saved = client.post(url, {**data, "result": "passed", "file": pdf("report.pdf")})
    assert refused.status_code == 400 and b'data-field-error="result"' in refused.content
    assert saved.status_code == 302 and saved["Location"].endswith("#certificates")
    certificate = Certificate.objects.get()
    assert (certificate.result, certificate.history.get().history_user) == ("passed", merchandiser)
    assert milestone(shipment.orders[0], "commodity_inspection").status == MilestoneStatus.DONE
