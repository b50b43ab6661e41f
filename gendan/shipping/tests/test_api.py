"""Shipments through the API: make, book, load, ship — with the pages' rules, permissions and errors."""

from datetime import date

import pytest

from gendan.followup.tests.factories import api_for, at
from gendan.parties.choices import SupplierKind
from gendan.parties.tests.factories import SupplierFactory
from gendan.sales.choices import OrderStatus
from gendan.shipping.models import Booking, LoadedContainer, Shipment

pytestmark = pytest.mark.django_db
DAY = date(2026, 11, 20)


def test_a_merchandiser_makes_books_loads_and_ships_through_the_api(ready, customer, merchandiser,
                                                                    other_merchandiser, other_salesperson):
    order = ready()
    a1, a2 = order.lines.order_by("position")
    api = api_for(merchandiser)
    with at(DAY):
        too_much = api.post("/api/v1/shipments/", {"customer": customer.pk, "lines": [
            {"order_line": a1.pk, "quantity": "1200"}, {"order_line": 999999, "quantity": "1"}]}, format="json")
        assert too_much.status_code == 400
        assert list(too_much.json()["errors"]) == ["lines.1.order_line"]  # an unknown line, named by its row
        too_much = api.post("/api/v1/shipments/", {"customer": customer.pk, "lines": [
            {"order_line": a1.pk, "quantity": "1200"}]}, format="json")
        assert too_much.json()["errors"] == {"lines.0.quantity": [f"{order.number} line 1: 1000 of 1000 left to ship."]}
        assert not Shipment.objects.exists()
        made = api.post("/api/v1/shipments/", {"customer": customer.pk, "mode": "sea_fcl", "lines": [
            {"order_line": a1.pk, "quantity": "1000"}, {"order_line": a2.pk, "quantity": "1000"}]}, format="json")
    assert made.status_code == 201, made.json()
    shipment = made.json()
    assert (shipment["status"], len(shipment["lines"]), shipment["booking"]) == ("draft", 2, None)
    url = f"/api/v1/shipments/{shipment['id']}/"
    forwarder = SupplierFactory(kind=SupplierKind.FORWARDER)
    booking = {"forwarder": forwarder.pk, "booking_number": "NGB1", "port_of_loading": "CNNGB",
               "port_of_discharge": "NLRTM", "etd": "2026-11-27", "eta": "2026-12-30",
               "cargo_cutoff": "2026-11-25T12:00:00+08:00", "version": 0}
    with at(DAY):
        unknown_port = api.put(f"{url}booking/", {**booking, "port_of_discharge": "XXXXX"}, format="json")
        assert unknown_port.status_code == 400 and list(unknown_port.json()["errors"]) == ["port_of_discharge"]
        booked = api.put(f"{url}booking/", booking, format="json")
        assert booked.status_code == 200, booked.json()
        assert booked.json()["booking"]["port_of_discharge"] == "NLRTM"
        stale = api.put(f"{url}booking/", {**booking, "vessel": "X"}, format="json")  # still sends version 0
        assert stale.status_code == 409
    order.plan.refresh_from_db()
    assert (order.plan.etd, order.plan.events["cargo_cutoff"]) == (date(2026, 11, 27), "2026-11-25")
    assert Booking.objects.get().version == 1

    goods = [{"shipment_line": line["id"], "cartons": 10, "quantity": "1000"} for line in shipment["lines"]]
    with at(DAY):
        bad = api.post(f"{url}containers/", {"container_number": "CSQU3054384", "seal_number": "S1",
                                             "container_type": "40HQ", "tare_kg": "3900", "loaded_on": "2026-11-20",
                                             "goods": goods}, format="json")
        assert bad.status_code == 400 and list(bad.json()["errors"]) == ["container_number"]
        loaded = api.post(f"{url}containers/", {"container_number": "CSQU3054383", "seal_number": "S1",
                                                "container_type": "40HQ", "tare_kg": "3900",
                                                "loaded_on": "2026-11-20", "goods": goods}, format="json")
    assert loaded.status_code == 201, loaded.json()
    container = loaded.json()["containers"][0]
    assert (container["container_number"], container["cargo_gross_kg"], container["vgm_kg"]) == (
        "CSQU3054383", "264.00", "4164.00")
    assert LoadedContainer.objects.get().recorded_by == merchandiser

    with at(DAY):
        shipped = api.post(f"{url}ship/", {"version": shipment["version"]}, format="json")
    assert shipped.status_code == 200 and shipped.json()["status"] == "shipped"
    order.refresh_from_db()
    assert order.status == OrderStatus.SHIPPED

    other = api_for(other_merchandiser)  # a merchandiser of other orders: the shipment is not there for her
    assert other.get(url).status_code == 404
    assert other.get("/api/v1/shipments/").json()["results"] == []
    assert api_for(other_salesperson).get("/api/v1/shipments/").status_code == 403  # no shipping at all
