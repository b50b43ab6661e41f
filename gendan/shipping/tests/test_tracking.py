"""The customer's tracking link: it shows the order's key steps and its sailing, never prices, internal notes or
another order; a revoked, expired, re-issued or tampered token finds nothing (404, telling nothing)."""

from datetime import date, timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.test import Client

from gendan.core.models import CompanyProfile
from gendan.followup.tests.factories import at
from gendan.parties.choices import SupplierKind
from gendan.parties.tests.factories import SupplierFactory
from gendan.shipping.models import Port, Shipment, TrackingLink
from gendan.shipping.services import booking_save, shipment_create, shipment_ship
from gendan.shipping.tracking import token_of, tracking_link_issue, tracking_link_revoke

pytestmark = pytest.mark.django_db
DAY = date(2026, 11, 20)


@pytest.fixture
def shipped_order(ready, customer, merchandiser):
    order, other = ready(), ready()
    order.customer_specifics = "INTERNAL: buyer is price-sensitive, keep margin above 18%"
    order.customer_po = "PO-ACME-778"
    order.save(update_fields=["customer_specifics", "customer_po"])
    with at(DAY):
        shipment = shipment_create(by=merchandiser, customer=customer, note="INTERNAL: forwarder owes us a rebate",
                                   lines=[(line, line.quantity) for line in order.lines.all()])
        shipment_ship(shipment=shipment, by=merchandiser, version=shipment.version)
    return order, other


def page(token: str):
    return Client().get(f"/t/{token}/")


def test_the_link_shows_the_key_steps_and_nothing_internal(shipped_order, merchandiser):
    order, other = shipped_order
    with at(DAY):
        link = tracking_link_issue(order=order, by=merchandiser, days=30)
        answer = page(token_of(link))
    assert answer.status_code == 200
    html = answer.content.decode()
    assert order.number in html and "PO-ACME-778" in html
    assert 'data-testid="node-shipped" data-done' in html and 'data-testid="node-arrived" data-done' not in html
    line = order.lines.first()
    for secret in ("INTERNAL", other.number, f"{line.unit_price:.2f}", str(order.total_amount), "logout"):
        assert secret not in html, secret
    assert "<form" not in html  # nothing to do through it
    assert answer["X-Robots-Tag"] == "noindex, nofollow"
    assert link.history.get().history_user == merchandiser


def test_revoked_reissued_expired_and_tampered_tokens_find_nothing(shipped_order, merchandiser):
    order, _other = shipped_order
    with at(DAY):
        first = tracking_link_issue(order=order, by=merchandiser, days=30)
        old_token = token_of(first)
        second = tracking_link_issue(order=order, by=merchandiser, days=30)  # re-issued: the first stops working
        assert page(old_token).status_code == 404
        token = token_of(second)
        assert page(token).status_code == 200
        assert page(token[:-2] + ("AA" if not token.endswith("AA") else "BB")).status_code == 404
        assert page("not-a-token").status_code == 404
        tracking_link_revoke(order=order, by=merchandiser)
        answer = page(token)
    assert answer.status_code == 404 and order.number not in answer.content.decode()
    first.refresh_from_db()
    assert (first.revoked_by, TrackingLink.objects.filter(revoked_at__isnull=True).count()) == (merchandiser, 0)
    with at(DAY):
        third = tracking_link_issue(order=order, by=merchandiser, days=3)
    with at(DAY + timedelta(days=3)):
        assert page(token_of(third)).status_code == 200
    with at(DAY + timedelta(days=4)):
        assert page(token_of(third)).status_code == 404


def test_who_may_give_the_customer_a_link(shipped_order, finance, other_salesperson, merchandiser):
    order, _other = shipped_order
    for user in (finance, other_salesperson):
        with at(DAY), pytest.raises(PermissionDenied):
            tracking_link_issue(order=order, by=user)
    with at(DAY), pytest.raises(ValidationError) as error:
        tracking_link_issue(order=order, by=merchandiser, days=0)
    assert list(error.value.message_dict) == ["days"]
    assert not TrackingLink.objects.exists()


def test_arrival_and_delivery_move_the_orders_plans(shipped_order, merchandiser):
    from gendan.shipping.choices import TrackingStatus
    from gendan.shipping.models import Shipment, TrackingEvent
    from gendan.shipping.services import tracking_record

    order, _other = shipped_order
    shipment = Shipment.objects.get()
    with at(date(2026, 12, 20)):
        with pytest.raises(ValidationError) as error:
            tracking_record(shipment=shipment, by=merchandiser, status=TrackingStatus.ARRIVED,
                            happened_on=date(2026, 11, 19))
        assert list(error.value.message_dict) == ["happened_on"]
        tracking_record(shipment=shipment, by=merchandiser, status=TrackingStatus.DEPARTED,
                        happened_on=date(2026, 11, 22), place="Ningbo")
        tracking_record(shipment=shipment, by=merchandiser, status=TrackingStatus.ARRIVED,
                        happened_on=date(2026, 12, 18), place="Rotterdam", note="INTERNAL: demurrage risk")
        tracking_record(shipment=shipment, by=merchandiser, status=TrackingStatus.DELIVERED,
                        happened_on=date(2026, 12, 20))
        link = tracking_link_issue(order=order, by=merchandiser)
        html = page(token_of(link)).content.decode()
    order.plan.refresh_from_db()
    assert (order.plan.eta, order.plan.events["goods_received"]) == (date(2026, 12, 18), "2026-12-20")
    assert order.plan.milestones.get(code="reorder_followup").due_date == date(2026, 12, 30)  # 10 days on
    assert TrackingEvent.objects.count() == 3
    assert 'data-testid="node-arrived" data-done' in html and "Rotterdam" in html and "INTERNAL" not in html


def test_prices_show_only_when_the_company_chooses_and_ports_read_in_the_customers_language(
        shipped_order, customer, merchandiser):
    order, other = shipped_order
    with at(DAY):
        booking_save(shipment=Shipment.objects.get(), by=merchandiser, version=0, etd=DAY,
                     forwarder=SupplierFactory(kind=SupplierKind.FORWARDER), port_of_loading=Port.objects.get(
                         code="CNNGB"), port_of_discharge=Port.objects.get(code="USLAX"))
        link = tracking_link_issue(order=order, by=merchandiser, days=30)
        hidden = page(token_of(link)).content.decode()
    line = order.lines.order_by("position").first()
    assert line.product.code in hidden and "1,000" in hidden  # the goods and quantities, always
    assert f"{line.unit_price:.2f}" not in hidden and 'data-testid="tracking-total"' not in hidden
    CompanyProfile.objects.update_or_create(pk=CompanyProfile.ROW, defaults={"tracking_shows_prices": True})
    customer.document_language = "zh-hans"
    customer.save(update_fields=["document_language"])
    with at(DAY):
        shown = page(token_of(link)).content.decode()
    assert f"{order.currency} {order.total_amount:,.2f}" in shown and 'data-testid="tracking-total"' in shown
    assert "宁波 → 洛杉矶" in shown  # the ports' Chinese names for a customer who reads Chinese
    assert "INTERNAL" not in shown and other.number not in shown
