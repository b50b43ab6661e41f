"""Allocations never exceed what is open or what a receipt holds: not when people allocate at the same moment
(each in their own connection, on SQLite and PostgreSQL), and not for any sequence of attempts (hypothesis)."""

import threading
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.db import connections, transaction
from django.db.models import Sum
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from gendan.core.errors import ConcurrentChange
from gendan.finance.choices import ScheduleKind
from gendan.finance.models import Allocation, Receipt, ScheduleLine
from gendan.finance.selectors import allocated_by_line, unallocated
from gendan.finance.services import receipt_allocate
from gendan.finance.tests.factories import record
from gendan.followup.tests.factories import confirmed_order
from gendan.parties.tests.factories import CustomerFactory


def race(actions) -> list:
    """Run each action in its own thread and connection, released at the same moment; returns what each did."""
    start, outcomes = threading.Barrier(len(actions)), [None] * len(actions)

    def run(index, action):
        try:
            start.wait()
            action()
            outcomes[index] = "allocated"
        except (ValidationError, ConcurrentChange) as refused:
            outcomes[index] = type(refused).__name__
        except Exception as error:  # pragma: no cover - reported by the assertion
            outcomes[index] = repr(error)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run, args=pair) for pair in enumerate(actions)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return outcomes


@pytest.fixture
def two_orders(salesperson, sales_manager, merchandiser):
    customer = CustomerFactory(owner=salesperson, merchandiser=merchandiser)
    orders = [confirmed_order(salesperson=salesperson, manager=sales_manager, merchandiser=merchandiser,
                              customer=customer) for _ in range(2)]
    return customer, [ScheduleLine.objects.get(order=order, kind=ScheduleKind.DEPOSIT) for order in orders]


@pytest.mark.django_db(transaction=True)
def test_four_receipts_paying_one_deposit_at_once_only_one_gets_it(two_orders, finance):
    customer, (deposit, _other) = two_orders
    receipts = [record(by=finance, customer=customer, amount="750") for _ in range(4)]

    def pay(receipt):
        version = receipt.version
        return lambda: receipt_allocate(receipt=receipt, by=finance, version=version,
                                        allocations=[(deposit, Decimal(750))])

    outcomes = race([pay(receipt) for receipt in receipts])
    assert sorted(outcomes) == ["ValidationError"] * 3 + ["allocated"], outcomes
    assert Allocation.objects.aggregate(total=Sum("amount"))["total"] == Decimal(750)


@pytest.mark.django_db(transaction=True)
def test_two_people_allocating_one_receipt_at_once_the_second_is_told(two_orders, finance, general_manager):
    customer, deposits = two_orders
    receipt = record(by=finance, customer=customer, amount="1000")  # not enough for both deposits

    shown = receipt.version  # both pages showed the receipt at this version

    def pay(line, by):
        return lambda: receipt_allocate(receipt=Receipt.objects.get(pk=receipt.pk), by=by, version=shown,
                                        allocations=[(line, Decimal(600))])

    outcomes = race([pay(deposits[0], finance), pay(deposits[1], general_manager)])
    assert sorted(outcomes) == ["ConcurrentChange", "allocated"], outcomes
    assert unallocated(Receipt.objects.get(pk=receipt.pk)) == Decimal(400)


@pytest.mark.django_db
@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(attempts=st.lists(st.tuples(st.integers(0, 1), st.integers(0, 1),
                                   st.decimals(min_value=Decimal("-5"), max_value=Decimal(900), places=2)),
                         min_size=1, max_size=8))
def test_no_sequence_of_allocations_exceeds_a_line_or_a_receipt(two_orders, finance, attempts):
    customer, lines = two_orders

    class Undo(Exception):
        pass

    try:
        with transaction.atomic():
            receipts = [record(by=finance, customer=customer, amount=amount) for amount in ("1000", "300.50")]
            for which_receipt, which_line, amount in attempts:
                receipt = Receipt.objects.get(pk=receipts[which_receipt].pk)
                try:
                    with transaction.atomic():
                        receipt_allocate(receipt=receipt, by=finance, version=receipt.version,
                                         allocations=[(lines[which_line], amount)])
                except ValidationError:
                    pass
                allocated = allocated_by_line(lines)
                assert all(allocated[line.pk] <= line.amount for line in lines)
                assert all(unallocated(Receipt.objects.get(pk=r.pk)) >= 0 for r in receipts)
            raise Undo
    except Undo:
        pass
