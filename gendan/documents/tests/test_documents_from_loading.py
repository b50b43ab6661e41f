# ruff: noqa: F811 (the fixtures imported below are parameters here)
"""Once containers are loaded, the CI and PL say what went into them (issue 16: "totals on the CI and PL always
agree with the loading records"): the packing list per container, each line's carton numbers kept and shared out
over its containers in loading order; every figure recomputed here from the loading records themselves. A
loading record whose cartons do not hold its quantity is refused naming the line."""

from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from gendan.catalog.models import Product
from gendan.documents.choices import DocumentKind
from gendan.documents.services import shipment_document_generate
from gendan.documents.tests.conftest import pdf_text
from gendan.documents.tests.test_shipping_documents import DAY, company, people, shipment  # noqa: F401
from gendan.followup.tests.factories import at
from gendan.shipping.models import LoadedLine
from gendan.shipping.services import LoadedGoods, container_load

pytestmark = pytest.mark.django_db
CI, PL = DocumentKind.COMMERCIAL_INVOICE, DocumentKind.PACKING_LIST


def load(shipment, by, number, seal, goods):
    lines = {line.order_line.position + 10 * (line.order_line.order.number[-1] == "2"): line
             for line in shipment.lines.select_related("order_line__order")}
    with at(DAY):
        return container_load(shipment=shipment, by=by, container_number=number, seal_number=seal,
                              container_type="40HQ", tare_kg=Decimal(3900), loaded_on=DAY,
                              goods=[LoadedGoods(lines[key], cartons, Decimal(quantity))
                                     for key, cartons, quantity in goods])


def from_loading(shipment) -> dict:
    """The totals recomputed from the loading records and the products, independently of the documents' code."""
    totals = {"cartons": 0, "quantity": Decimal(0), "net": Decimal(0), "gross": Decimal(0), "amount": Decimal(0)}
    for row in LoadedLine.objects.filter(container__shipment=shipment).select_related("shipment_line__order_line"):
        product = Product.objects.get(pk=row.shipment_line.order_line.product_id)
        totals["cartons"] += row.cartons
        totals["quantity"] += row.quantity
        totals["net"] += product.net_weight_kg * row.cartons
        totals["gross"] += product.gross_weight_kg * row.cartons
        totals["amount"] += row.quantity * row.shipment_line.order_line.unit_price
    return totals


def test_the_packing_list_goes_container_by_container_and_both_documents_agree_with_the_loading(
        shipment, merchandiser, warehouse):
    # A#1 (1,000 at 100/ctn, cartons 1–10) split 600 + 400; A#2 (450 at 60, 11–18) in the first; B#1 (250 at
    # 100, 19–21) loaded short: 200 in 2 cartons
    load(shipment, warehouse, "CSQU3054383", "SEAL-A", [(1, 6, 600), (2, 8, 450)])
    load(shipment, warehouse, "MSKU1000090", "SEAL-B", [(1, 4, 400), (11, 2, 200)])
    totals = from_loading(shipment)
    assert (totals["cartons"], totals["quantity"]) == (20, Decimal(1650))

    packing_list, _made = shipment_document_generate(kind=PL, shipment=shipment, by=merchandiser, language="en")
    text = pdf_text(packing_list.pdf)
    first, second = text.index("Container CSQU3054383 · seal SEAL-A · 40HQ"), text.index(
        "Container MSKU1000090 · seal SEAL-B · 40HQ")
    assert first < second
    box_a, box_b = text[first:second], text[second:]
    assert "1–6" in box_a and "11–18" in box_a  # A#1's first six cartons, A#2 whole
    assert "7–10" in box_b and "19–20" in box_b  # the rest of A#1, B#1's two cartons (numbered as the shipment does)
    assert f"{totals['cartons']}" in text.split("Total")[-1]
    assert f"{totals['net']:,.2f}" in text and f"{totals['gross']:,.2f}" in text
    assert "SAY TOTAL TWENTY (20) CARTONS ONLY" in text

    invoice, _made = shipment_document_generate(kind=CI, shipment=shipment, by=merchandiser, language="en")
    assert invoice.total == totals["amount"].quantize(Decimal("0.01"))  # what was loaded, not what was planned
    assert "1,650" in pdf_text(invoice.pdf)


def test_a_loading_record_that_does_not_fill_its_cartons_is_refused_naming_the_line(shipment, merchandiser,
                                                                                    warehouse):
    load(shipment, warehouse, "CSQU3054383", "SEAL-A", [(1, 5, 600)])  # 600 at 100 a carton is 6 cartons
    with pytest.raises(ValidationError) as refused:
        shipment_document_generate(kind=PL, shipment=shipment, by=merchandiser, language="en")
    [message] = refused.value.message_dict["containers"]
    number = shipment.lines.order_by("pk").first().order_line.order.number
    assert message.startswith(f"{number} line 1: the containers hold 600 in 5 cartons, but at 100 a carton that "
                              "is 6 cartons.") and "CSQU3054383" in message
