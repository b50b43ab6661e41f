"""insert_with_history writes what bulk_create_with_history would: rows, their keys, and "created" history."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.utils import timezone

from gendan.catalog.tests.factories import ProductFactory
from gendan.core.bulk import insert_with_history
from gendan.parties.tests.factories import CustomerFactory
from gendan.sales.models import SalesOrder, SalesOrderLine

pytestmark = pytest.mark.django_db


def test_rows_get_their_keys_their_parent_and_a_created_history_row(salesperson):
    user = salesperson
    customer = CustomerFactory(owner=user)
    product = ProductFactory()
    order = SalesOrder(number="SO-TEST-1", customer=customer, salesperson=user, created_by=user,
                       order_date=timezone.localdate(), currency="USD",
                       confirmed_ex_factory=timezone.localdate() + timedelta(days=30))
    lines = [SalesOrderLine(order=order, position=n, product=product, quantity=Decimal(n * 10),
                            unit_price=Decimal("1.25"), amount=Decimal(n * 10) * Decimal("1.25"))
             for n in (1, 2)]
    insert_with_history([order], by=user)
    insert_with_history(lines, by=user, reason="imported")

    saved = SalesOrder.objects.get(pk=order.pk)
    assert saved.number == "SO-TEST-1" and saved.created_at is not None and saved.updated_at is not None
    assert [(line.pk, line.quantity) for line in saved.lines.order_by("position")] == [
        (lines[0].pk, Decimal(10)), (lines[1].pk, Decimal(20))]
    history = SalesOrderLine.history.filter(id=lines[1].pk).get()
    assert (history.history_type, history.history_user, history.history_change_reason) == ("+", user, "imported")
    assert history.quantity == Decimal(20) and history.order_id == order.pk
    assert saved.history.get().history_type == "+"
    lines[0].quantity = Decimal(15)
    lines[0].save()  # a later change diffs against the created row
    older, newer = lines[0].history.order_by("history_id")
    assert newer.diff_against(older).changed_fields == ["quantity"]
