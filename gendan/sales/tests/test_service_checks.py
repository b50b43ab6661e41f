"""A caller that skips the forms (a script, a future screen, a bug in a serializer) cannot make the services
store what a form would refuse: each service runs the model's own field checks and names the field."""

from datetime import date
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile

from gendan.catalog.tests.factories import ProductFactory
from gendan.parties.tests.factories import CustomerFactory
from gendan.sales.models import OrderAttachment, SalesOrder, SalesOrderLine
from gendan.sales.services import LineInput, order_attachment_add, order_create, order_line_update, order_update
from gendan.sales.tests.factories import make_order

pytestmark = pytest.mark.django_db


@pytest.fixture
def customer(salesperson):
    return CustomerFactory(owner=salesperson)


@pytest.mark.parametrize("field, value", [
    ("incoterm", "XYZ"), ("currency", "ZZZ"), ("customer_po", "P" * 500), ("transport_mode", "teleport"),
    ("balance_condition", "whenever"), ("deposit_percent", Decimal("150")),
])
def test_a_header_a_form_would_refuse_is_refused_on_create(salesperson, customer, field, value):
    with pytest.raises(ValidationError) as refused:
        make_order(by=salesperson, customer=customer, **{field: value})
    assert field in refused.value.message_dict
    assert not SalesOrder.objects.exists()


def test_a_line_a_form_would_refuse_is_refused_and_names_the_line(salesperson, customer):
    line = LineInput(product=ProductFactory(), quantity=Decimal(10), unit_price=Decimal(1), unit="barrel-ish")
    with pytest.raises(ValidationError) as refused:
        order_create(by=salesperson, customer=customer, lines=[line], order_date=date(2026, 11, 2),
                     incoterm_place="Ningbo")
    assert "lines.0.unit" in refused.value.message_dict
    assert not SalesOrder.objects.exists() and not SalesOrderLine.objects.exists()


def test_edits_are_checked_too_and_nothing_is_saved(salesperson, customer):
    order = make_order(by=salesperson, customer=customer, incoterm_place="Ningbo")
    with pytest.raises(ValidationError) as refused:
        order_update(order=order, by=salesperson, version=0, incoterm="XYZ")
    assert "incoterm" in refused.value.message_dict
    line = order.lines.first()
    description = line.description
    with pytest.raises(ValidationError) as refused:
        order_line_update(order=order, line=line, by=salesperson, version=0, description="D" * 1000)
    assert "description" in refused.value.message_dict
    stored = SalesOrder.objects.get(pk=order.pk)
    assert (stored.incoterm, stored.version) == ("FOB", 0)
    assert SalesOrderLine.objects.get(pk=line.pk).description == description


def test_an_attachment_description_too_long_is_refused(salesperson, customer):
    order = make_order(by=salesperson, customer=customer, incoterm_place="Ningbo")
    upload = SimpleUploadedFile("po.pdf", b"%PDF-1.4 test", content_type="application/pdf")
    with pytest.raises(ValidationError) as refused:
        order_attachment_add(order=order, by=salesperson, file=upload, description="x" * 1000)
    assert "description" in refused.value.message_dict
    assert not OrderAttachment.objects.exists()
