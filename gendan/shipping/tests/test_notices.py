"""Key-step notices to the customer (seed 004): drafted from the order or shipment in the customer's language, edited
(a stale version refused), emailed through a real SMTP server — the shipping advice with the CI and PL attached —
or recorded as sent another way; logged on every order, and the shipping advice completes `shipping_advice`."""

from datetime import date
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from gendan.core.errors import ConcurrentChange
from gendan.documents.choices import DocumentKind
from gendan.documents.services import shipment_document_generate
from gendan.followup.choices import ActivityKind, MilestoneStatus
from gendan.followup.models import Activity
from gendan.followup.tests.factories import at
from gendan.parties.choices import SupplierKind
from gendan.parties.tests.factories import ContactFactory, SupplierFactory
from gendan.shipping.choices import BLType, NoticeNode, NoticeStatus, TrackingStatus
from gendan.shipping.models import CustomerNotice, Port
from gendan.shipping.notices import notice_draft, notice_record, notice_send, notice_update
from gendan.shipping.services import (
    LoadedGoods,
    bl_draft_confirm,
    bl_draft_received,
    bl_issue,
    booking_save,
    container_load,
    shipment_create,
    shipment_ship,
    tracking_record,
)

pytestmark = pytest.mark.django_db
LOADED, SAILED = date(2026, 11, 20), date(2026, 11, 23)


@pytest.fixture
def contact(customer):
    return ContactFactory(customer=customer, name="Jane Miller", email="jane@acme.example")


@pytest.fixture
def sailed(ready, customer, merchandiser, warehouse, contact):
    """Two orders of one customer booked, loaded into one container, shipped, the B/L issued, CI and PL made."""
    first, second = ready(), ready()
    with at(LOADED):
        shipment = shipment_create(by=merchandiser, customer=customer, lines=[
            (line, line.quantity) for order in (first, second) for line in order.lines.all()])
        forwarder = SupplierFactory(kind=SupplierKind.FORWARDER, code="FWD-KN")
        booking_save(shipment=shipment, by=merchandiser, version=0, forwarder=forwarder, booking_number="NGB1",
                     carrier="COSCO", vessel="COSCO SHIPPING ARIES", voyage="045E",
                     port_of_loading=Port.objects.get(code="CNNGB"), port_of_discharge=Port.objects.get(code="USLAX"),
                     etd=SAILED, eta=date(2026, 12, 8))
        container_load(shipment=shipment, by=warehouse, container_number="CSQU3054383", seal_number="SEAL778",
                       container_type="40HQ", tare_kg=Decimal(3900), loaded_on=LOADED, goods=[
                           LoadedGoods(line, 10, line.quantity) for line in shipment.lines.all()])
    with at(SAILED):
        shipment_ship(shipment=shipment, by=merchandiser, version=shipment.version, shipped_on=SAILED)
        bl = bl_draft_received(shipment=shipment, by=merchandiser)
        bl_draft_confirm(bl=bl, by=merchandiser, version=bl.version)
        bl_issue(bl=bl, by=merchandiser, version=bl.version, number="COSU6301234560", issued_on=SAILED,
                 bl_type=BLType.ORIGINAL)
        for kind in (DocumentKind.COMMERCIAL_INVOICE, DocumentKind.PACKING_LIST):
            shipment_document_generate(kind=kind, shipment=shipment, by=merchandiser)
    return shipment, first, second


def test_the_shipping_advice_goes_out_with_the_documents_and_completes_each_orders_milestone(
        sailed, merchandiser, smtp_server):
    shipment, first, second = sailed
    with at(SAILED):
        notice = notice_draft(by=merchandiser, node=NoticeNode.SHIPPED, shipment=shipment)
    assert (notice.language, notice.recipients) == ("en", "jane@acme.example")
    for fact in ("Dear Jane Miller", first.number, second.number, "COSCO SHIPPING ARIES 045E", "Ningbo", "Los Angeles",
                 "ETD: 2026-11-23", "ETA: 2026-12-08", "COSU6301234560", "CSQU3054383 / seal SEAL778 (40HQ)"):
        assert fact in notice.body, fact
    assert sorted(notice.documents.values_list("kind", flat=True)) == ["commercial_invoice", "packing_list"]
    assert notice_draft(by=merchandiser, node=NoticeNode.SHIPPED, shipment=shipment) == notice  # one open draft

    notice = notice_update(notice=notice, by=merchandiser, version=0, recipients="jane@acme.example, ops@acme.example",
                           subject=notice.subject, body=notice.body.replace("Dear Jane Miller", "Hi Jane"))
    with at(date(2026, 11, 24)):
        notice_send(notice=notice, by=merchandiser)

    [mail] = smtp_server
    assert sorted(mail["to"]) == ["jane@acme.example", "ops@acme.example"]
    assert mail["body"].startswith("Hi Jane")
    assert sorted(part.get_filename()[:2] for part in mail["message"].iter_attachments()) == ["CI", "PL"]
    notice.refresh_from_db()
    assert (notice.status, notice.sent_by, notice.history.count()) == (NoticeStatus.SENT, merchandiser, 3)
    for order in (first, second):
        advice = order.plan.milestones.get(code="shipping_advice")
        assert (advice.status, advice.actual_date) == (MilestoneStatus.DONE, date(2026, 11, 24))
        assert Activity.objects.get(order=order, kind=ActivityKind.EMAIL,
                                    summary="Customer notice: Shipping advice").contact.startswith("jane@")
    with pytest.raises(ValidationError, match="gone out already"):
        notice_send(notice=notice, by=merchandiser)
    assert len(smtp_server) == 1


def test_a_stale_edit_is_refused_and_changes_nothing(sailed, merchandiser, sales_manager):
    shipment, *_ = sailed
    notice = notice_draft(by=merchandiser, node=NoticeNode.SHIPPED, shipment=shipment)
    notice_update(notice=notice, by=sales_manager, version=0, recipients="a@b.example", subject="Manager's",
                  body="Manager's text")
    stale = CustomerNotice.objects.get(pk=notice.pk)
    stale.version = 0
    with pytest.raises(ConcurrentChange):
        notice_update(notice=stale, by=merchandiser, version=0, recipients="x@y.example", subject="Mine", body="Mine")
    notice.refresh_from_db()
    assert (notice.subject, notice.version) == ("Manager's", 1)


def test_order_steps_are_told_once_the_order_got_there_and_recorded_when_sent_another_way(
        ready, merchandiser, contact, smtp_server):
    order = ready()
    notice = notice_draft(by=merchandiser, node=NoticeNode.CONFIRMED, order=order)
    line = order.lines.first()
    assert f"We confirm order {order.number}" in notice.body and line.product.code in notice.body
    assert notice.subject.startswith(f"Our order {order.number}") or order.customer_po in notice.subject
    notice_record(notice=notice, by=merchandiser)
    notice.refresh_from_db()
    assert notice.status == NoticeStatus.RECORDED and smtp_server == []
    assert Activity.objects.filter(order=order, summary="Customer notice: Order confirmed").count() == 1
    ready_notice = notice_draft(by=merchandiser, node=NoticeNode.GOODS_READY, order=order)
    assert "finished and ready to ship" in ready_notice.body


def test_a_step_not_reached_or_a_user_who_does_not_write_to_the_customer_is_refused(
        sailed, ready, merchandiser, warehouse, finance):
    shipment, first, _ = sailed
    with pytest.raises(ValidationError) as refused:
        notice_draft(by=merchandiser, node=NoticeNode.ARRIVED, shipment=shipment)
    assert "Record the arrival first" in str(refused.value.message_dict["node"])
    with pytest.raises(ValidationError, match="told per shipment"):
        notice_draft(by=merchandiser, node=NoticeNode.SHIPPED, order=first)
    for user in (warehouse, finance):
        with pytest.raises(PermissionDenied):
            notice_draft(by=user, node=NoticeNode.SHIPPED, shipment=shipment)
    notice = notice_draft(by=merchandiser, node=NoticeNode.SHIPPED, shipment=shipment)
    with pytest.raises(PermissionDenied):
        notice_send(notice=notice, by=warehouse)
    with pytest.raises(ValidationError, match="email address"):
        notice_update(notice=notice, by=merchandiser, version=0, recipients="", subject="S", body="B")
        notice_send(notice=notice, by=merchandiser)
    assert CustomerNotice.objects.get().status == NoticeStatus.DRAFT


def test_the_arrival_notice_names_the_port_and_day(sailed, merchandiser):
    shipment, first, second = sailed
    tracking_record(shipment=shipment, by=merchandiser, status=TrackingStatus.ARRIVED, happened_on=date(2026, 12, 9),
                    place="Los Angeles", today=date(2026, 12, 10))
    notice = notice_draft(by=merchandiser, node=NoticeNode.ARRIVED, shipment=shipment)
    assert "arrived at Los Angeles on 2026-12-09" in notice.body
    assert notice.subject.startswith("Arrival notice: ") and first.number in notice.subject


def test_a_chinese_reading_customer_gets_the_notice_in_chinese(sailed, customer, merchandiser):
    shipment, first, _ = sailed
    customer.document_language = "zh-hans"
    customer.save(update_fields=["document_language"])
    notice = notice_draft(by=merchandiser, node=NoticeNode.SHIPPED, shipment=shipment)
    assert notice.language == "zh-hans"
    assert "装船通知" in notice.subject and "宁波" in notice.body and "洛杉矶" in notice.body


def test_the_salesperson_sees_the_advice_went_but_no_link_to_a_shipment_they_may_not_open(
        sailed, client, salesperson, merchandiser):
    shipment, first, _ = sailed
    notice_record(notice=notice_draft(by=merchandiser, node=NoticeNode.SHIPPED, shipment=shipment), by=merchandiser)
    client.force_login(salesperson)
    card = client.get(f"/shipping/orders/{first.pk}/notices/").content.decode()
    assert shipment.number in card and "已在系统外发送" in card  # the salesperson works in Chinese
    assert 'href="/shipping/notices/' not in card and shipment.get_absolute_url() not in card
    assert 'data-testid="draft-confirmed"' in card  # their own order's steps they may write
    assert client.get(f"/shipping/notices/{CustomerNotice.objects.get().pk}/").status_code == 404
