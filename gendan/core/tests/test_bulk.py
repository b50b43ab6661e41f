"""insert_with_history writes what bulk_create_with_history would: rows, their keys, and "created" history;
update_with_history what QuerySet.update() does, plus the versions and history rows it skips."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.utils import timezone

from gendan.catalog.tests.factories import ProductFactory
from gendan.core.bulk import insert_values, insert_with_history, update_with_history
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


def test_many_rows_go_in_chunks_and_conflicting_ones_are_skipped_when_asked(salesperson):
    customer, product = CustomerFactory(owner=salesperson), ProductFactory()
    order = SalesOrder(number="SO-TEST-2", customer=customer, salesperson=salesperson, created_by=salesperson,
                       order_date=timezone.localdate(), currency="USD")
    insert_with_history([order], by=salesperson)
    fields = [f for f in SalesOrderLine._meta.concrete_fields if not f.primary_key]

    def rows(positions):
        lines = [SalesOrderLine(order=order, position=n, product=product, quantity=Decimal(n),
                                unit_price=Decimal("0.5"), amount=Decimal(n) / 2) for n in positions]
        return [[getattr(line, f.attname) for f in fields] for line in lines]

    ids = insert_values(SalesOrderLine, fields, rows(range(1, 1501)))  # more rows than one statement takes
    assert len(ids) == len(set(ids)) == 1500 and order.lines.count() == 1500
    assert order.lines.get(pk=ids[-1]).position == 1500  # keys come back in the order of the rows
    again = insert_values(SalesOrderLine, fields, rows(range(1401, 1601)), ignore_conflicts=True)
    assert len(again) == 100 and order.lines.count() == 1600
    assert sorted(order.lines.filter(pk__in=again).values_list("position", flat=True)) == list(range(1501, 1601))


def test_update_with_history_moves_versions_and_writes_a_history_row_per_changed_row(salesperson, sales_manager):
    customer = CustomerFactory(owner=salesperson)
    orders = insert_with_history([SalesOrder(customer=customer, order_date=timezone.localdate(), currency="USD",
                                             incoterm="FOB", incoterm_place="Ningbo", customer_po=f"PO-{n}",
                                             number=f"SO-T-{n}", salesperson=salesperson, created_by=salesperson)
                                  for n in range(3)],
                                 by=salesperson)
    SalesOrder.objects.filter(pk=orders[2].pk).update(customer_po="SAME")
    changed = update_with_history(SalesOrder.objects.filter(pk__in=[o.pk for o in orders]), by=sales_manager,
                                  reason="renumbered", customer_po="SAME")
    assert changed == 2  # the row already holding the value is left alone
    for order in orders[:2]:
        stored = SalesOrder.objects.get(pk=order.pk)
        assert stored.customer_po == "SAME" and stored.version == order.version + 1
        latest = stored.history.first()
        assert (latest.history_type, latest.history_user, latest.history_change_reason, latest.customer_po) == (
            "~", sales_manager, "renumbered", "SAME")
    assert SalesOrder.history.filter(id=orders[2].pk).count() == 1
