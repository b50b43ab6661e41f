"""A shipment's booking: ports from the bundled UN/LOCODE list, ETD/ETA and the carrier's cut-offs feed every
order's plan (the cut-offs as dated milestones), a changed booking re-plans, bad dates are refused naming the
field and nothing is saved."""

from datetime import date, datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from gendan.core.errors import ConcurrentChange
from gendan.followup.tests.factories import SHANGHAI, at
from gendan.parties.choices import SupplierKind
from gendan.parties.tests.factories import SupplierFactory
from gendan.shipping.models import Booking, Port
from gendan.shipping.services import booking_save, shipment_create

pytestmark = pytest.mark.django_db
DAY = date(2026, 11, 20)


@pytest.fixture
def forwarder():
    return SupplierFactory(kind=SupplierKind.FORWARDER, code="FWD-KN", name_zh="德讯宁波")


@pytest.fixture
def two_orders(ready, customer, merchandiser):
    first, second = ready(), ready()
    with at(DAY):
        shipment = shipment_create(by=merchandiser, customer=customer, lines=[
            (line, line.quantity) for order in (first, second) for line in order.lines.all()])
    return shipment, first, second


def shanghai(day: date, hour: int) -> datetime:
    return datetime(day.year, day.month, day.day, hour, tzinfo=SHANGHAI)


def booking(forwarder, **changes) -> dict:
    return {"forwarder": forwarder, "booking_number": "NGB1234567", "carrier": "COSCO",
            "vessel": "COSCO SHIPPING ARIES",
            "voyage": "045E", "port_of_loading": Port.objects.get(code="CNNGB"),
            "port_of_discharge": Port.objects.get(code="USLAX"), "etd": date(2026, 11, 27), "eta": date(2026, 12, 12),
            "cargo_cutoff": shanghai(date(2026, 11, 25), 12), "si_cutoff": shanghai(date(2026, 11, 24), 17),
            "vgm_cutoff": None, **changes}


def test_the_bundled_ports_are_there_by_un_locode():
    assert Port.objects.get(code="CNNGB").name_zh == "宁波"
    assert Port.objects.get(code="NLRTM").name == "Rotterdam"
    assert Port.objects.filter(code__startswith="CN").count() >= 20


def dated(plan) -> dict:
    return dict(plan.milestones.filter(code__in=["cargo_cutoff", "si_cutoff", "vgm_cutoff", "shipping_advice"])
                .values_list("code", "due_date"))


def test_booking_feeds_every_orders_plan_and_a_change_replans(two_orders, forwarder, merchandiser):
    shipment, first, second = two_orders
    with at(DAY):
        saved = booking_save(shipment=shipment, by=merchandiser, version=0, **booking(forwarder))
    assert (saved.version, saved.port_of_loading.code, saved.history.get().history_user) == (1, "CNNGB", merchandiser)
    for order in (first, second):
        plan = order.plan
        plan.refresh_from_db()
        assert (plan.etd, plan.eta) == (date(2026, 11, 27), date(2026, 12, 12))
        assert plan.events["cargo_cutoff"] == "2026-11-25" and "vgm_cutoff" not in plan.events
        cutoffs = plan.milestones.filter(code__in=["cargo_cutoff", "si_cutoff"])
        assert {m.code: (m.due_date, m.owner) for m in cutoffs} == {
            "cargo_cutoff": (date(2026, 11, 25), merchandiser), "si_cutoff": (date(2026, 11, 24), merchandiser)}
        assert not plan.milestones.filter(code="vgm_cutoff").exists()
        assert plan.history.latest("history_id").history_user == merchandiser
    advice_before = dated(first.plan)["shipping_advice"]

    with at(DAY):  # the vessel rolls a week: the cut-offs and everything anchored on ETD move
        booking_save(shipment=shipment, by=merchandiser, version=1, **booking(
            forwarder, etd=date(2026, 12, 4), eta=date(2026, 12, 19), cargo_cutoff=shanghai(date(2026, 12, 2), 12),
            si_cutoff=shanghai(date(2026, 12, 1), 17), vgm_cutoff=shanghai(date(2026, 12, 2), 12)))
    first.plan.refresh_from_db()
    after = dated(first.plan)
    assert after["cargo_cutoff"] == date(2026, 12, 2) and after["vgm_cutoff"] == date(2026, 12, 2)
    assert after["shipping_advice"] > advice_before
    assert first.plan.milestones.filter(code="cargo_cutoff").count() == 1  # moved, not added twice
    assert Booking.objects.get().history.count() == 2


def test_bad_booking_dates_are_refused_naming_the_field_and_nothing_is_saved(two_orders, forwarder, merchandiser):
    shipment, first, _second = two_orders
    with at(DAY), pytest.raises(ValidationError) as error:
        booking_save(shipment=shipment, by=merchandiser, version=0, **booking(
            forwarder, eta=date(2026, 11, 20), cargo_cutoff=shanghai(date(2026, 11, 28), 9),
            port_of_discharge=Port.objects.get(code="CNNGB")))
    assert set(error.value.message_dict) == {"eta", "cargo_cutoff", "port_of_discharge"}
    assert "ETA cannot be before ETD." in error.value.message_dict["eta"]
    other = SupplierFactory(kind=SupplierKind.SUPPLIER)
    with at(DAY), pytest.raises(ValidationError) as error:
        booking_save(shipment=shipment, by=merchandiser, version=0, **booking(other))
    assert list(error.value.message_dict) == ["forwarder"]
    first.plan.refresh_from_db()
    assert (Booking.objects.count(), first.plan.etd, first.plan.events) == (0, None, {})


def test_a_booking_changed_meanwhile_is_not_overwritten(two_orders, forwarder, merchandiser, sales_manager):
    shipment, *_orders = two_orders
    with at(DAY):
        booking_save(shipment=shipment, by=merchandiser, version=0, **booking(forwarder))
        booking_save(shipment=shipment, by=sales_manager, version=1, **booking(forwarder, vessel="MSC ANNA"))
        with pytest.raises(ConcurrentChange):  # the merchandiser's page still showed version 1
            booking_save(shipment=shipment, by=merchandiser, version=1, **booking(forwarder, vessel="EVER GIVEN"))
        with pytest.raises(ConcurrentChange):  # two people booking at once: the second is told
            booking_save(shipment=shipment, by=merchandiser, version=0, **booking(forwarder))
    assert Booking.objects.get().vessel == "MSC ANNA"


def test_who_may_book(two_orders, forwarder, finance, salesperson):
    shipment, *_orders = two_orders
    for user in (finance, salesperson):
        with at(DAY), pytest.raises(PermissionDenied):
            booking_save(shipment=shipment, by=user, version=0, **booking(forwarder))
    assert not Booking.objects.exists()
