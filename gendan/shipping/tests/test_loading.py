"""Loading records (装柜): a container's number is checked by ISO 6346 and its seal is never on another container;
what was loaded never exceeds what the shipment carries; weights default from the products' packing data; an
order whose goods are all loaded has left the factory (its ex-factory milestone done on the loading day); the
money gate holds; a refused record saves nothing."""

from datetime import date
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from gendan.followup.choices import MilestoneStatus
from gendan.followup.tests.factories import at
from gendan.shipping.models import ContainerType, LoadedContainer, LoadedLine
from gendan.shipping.services import LoadedGoods, container_load, shipment_create

pytestmark = pytest.mark.django_db
DAY = date(2026, 11, 20)


@pytest.fixture
def shipment(ready, customer, merchandiser):
    """Two orders of 2 lines × 1,000 pcs (100 per carton, 13.2 kg gross a carton) on one shipment."""
    first, second = ready(), ready()
    with at(DAY):
        return shipment_create(by=merchandiser, customer=customer, lines=[
            (line, line.quantity) for order in (first, second) for line in order.lines.order_by("position")])


def rows(shipment):
    return list(shipment.lines.select_related("order_line__order", "order_line__product").order_by("pk"))


def load(shipment, by, goods, **fields):
    values = {"container_number": "csqu 305438-3", "seal_number": "cn1234567", "container_type": "40HQ",
              "tare_kg": Decimal(3900), "loaded_on": DAY, **fields}
    with at(DAY):
        return container_load(shipment=shipment, by=by, goods=goods, **values)


def ex_factory(order):
    return order.plan.milestones.get(is_ex_factory=True)


def test_a_loaded_container_records_what_went_in_and_completes_the_loaded_orders_ex_factory(shipment, warehouse):
    a1, a2, b1, b2 = rows(shipment)
    container = load(shipment, warehouse, [LoadedGoods(a1, 10, Decimal(1000)), LoadedGoods(a2, 10, Decimal(1000)),
                                           LoadedGoods(b1, 4, Decimal(400))])
    container.refresh_from_db()
    # normalized and checked: CSQU305438 → check digit 3 (worked out in test_containers)
    assert (container.container_number, container.seal_number) == ("CSQU3054383", "CN1234567")
    assert container.cargo_gross_kg == Decimal("13.2") * 24  # 316.8 kg from the products' gross weight per carton
    assert container.vgm_kg == Decimal(3900) + Decimal("316.8")
    assert container.history.get().history_user == warehouse
    assert LoadedLine.objects.filter(container=container).count() == 3
    first, second = a1.order_line.order, b1.order_line.order
    done = ex_factory(first)
    assert (done.status, done.actual_date, done.done_by) == (MilestoneStatus.DONE, DAY, warehouse)
    assert ex_factory(second).status == MilestoneStatus.OPEN  # 600 of its 2,000 not loaded yet

    second_box = load(shipment, warehouse, [LoadedGoods(b1, 6, Decimal(600)), LoadedGoods(b2, 10, Decimal(1000))],
                      container_number="MSKU1000090", seal_number="CN7654321", cargo_gross_kg=Decimal("212.5"),
                      vgm_kg=Decimal(4120))
    assert (second_box.cargo_gross_kg, second_box.vgm_kg) == (Decimal("212.5"), Decimal(4120))  # weighed, as given
    assert ex_factory(second).status == MilestoneStatus.DONE


def test_bad_loading_records_are_refused_naming_the_field_and_nothing_is_saved(shipment, warehouse):
    a1, *_rest = rows(shipment)
    with pytest.raises(ValidationError) as error:
        load(shipment, warehouse, [LoadedGoods(a1, 12, Decimal(1200))], container_number="CSQU3054384",
             loaded_on=date(2026, 11, 21), container_type="", tare_kg=None)
    messages = error.value.message_dict
    assert set(messages) == {"container_number", "loaded_on", "container_type", "tare_kg", "goods.0.quantity"}
    assert "The check digit of CSQU305438 is 3, not 4" in messages["container_number"][0]
    assert "the shipment carries 1000, 0 already loaded" in messages["goods.0.quantity"][0]
    assert not LoadedContainer.objects.exists() and not LoadedLine.objects.exists()
    assert ex_factory(a1.order_line.order).status == MilestoneStatus.OPEN

    load(shipment, warehouse, [LoadedGoods(a1, 5, Decimal(500))])
    with pytest.raises(ValidationError) as error:  # the same seal on another container
        load(shipment, warehouse, [LoadedGoods(a1, 5, Decimal(500))], container_number="MSKU1000090")
    assert list(error.value.message_dict) == ["seal_number"]
    assert "already on container CSQU3054383" in error.value.message_dict["seal_number"][0]
    with pytest.raises(ValidationError) as error:  # the same container twice on the shipment
        load(shipment, warehouse, [LoadedGoods(a1, 5, Decimal(500))], seal_number="CN999")
    assert list(error.value.message_dict) == ["container_number"]
    assert LoadedContainer.objects.count() == 1


def test_goods_do_not_leave_before_the_money_the_terms_ask_first(ready, customer, merchandiser, warehouse):
    order = ready(paid=False)  # production went ahead on an exception; the deposit is still owed
    with at(DAY):
        shipment = shipment_create(by=merchandiser, customer=customer, lines=[
            (line, line.quantity) for line in order.lines.all()])
    line, _other = rows(shipment)
    with pytest.raises(ValidationError) as error:
        load(shipment, warehouse, [LoadedGoods(line, 10, Decimal(1000))])
    assert list(error.value.message_dict) == ["goods.0.quantity"]
    assert not LoadedContainer.objects.exists()


def test_who_records_loading(shipment, finance, salesperson):
    a1, *_rest = rows(shipment)
    for user in (finance, salesperson):
        with pytest.raises(PermissionDenied):
            load(shipment, user, [LoadedGoods(a1, 10, Decimal(1000))])
    assert not LoadedContainer.objects.exists()


def test_more_than_the_container_holds_is_refused_naming_the_field(shipment, warehouse):
    """A typing slip (300 cartons for 30, a weight with a zero too many) or the wrong container type."""
    a1, *_rest = rows(shipment)
    product = a1.order_line.product
    product.carton_length_cm, product.carton_width_cm, product.carton_height_cm = Decimal(60), Decimal(40), Decimal(50)
    product.save()
    twenty = ContainerType.objects.get(code="20GP")
    inside = twenty.inner_length_mm * twenty.inner_width_mm * twenty.inner_height_mm / 1e9  # about 33 m³
    with pytest.raises(ValidationError) as error:  # 300 × 0.12 m³ = 36 m³
        load(shipment, warehouse, [LoadedGoods(a1, 300, Decimal(1000))], container_type="20GP")
    assert error.value.message_dict["goods"] == [
        f"These cartons take 36.0 m³; a 20GP holds {inside:.1f} m³ inside. Check the cartons or the container type."]
    with pytest.raises(ValidationError) as error:
        load(shipment, warehouse, [LoadedGoods(a1, 10, Decimal(1000))], container_type="20GP",
             cargo_gross_kg=Decimal(twenty.max_payload_kg + 1))
    assert list(error.value.message_dict) == ["cargo_gross_kg"]
    assert f"more than a 20GP may carry ({twenty.max_payload_kg} kg)" in error.value.message_dict["cargo_gross_kg"][0]
    assert not LoadedContainer.objects.exists()
    assert load(shipment, warehouse, [LoadedGoods(a1, 300, Decimal(1000))], container_type="40HQ")  # 76 m³ inside
