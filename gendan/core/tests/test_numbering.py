import threading
from datetime import date

import pytest
from django.db import connection, connections, transaction

from gendan.core.models import NumberSeries
from gendan.core.numbering import next_number
from gendan.parties.tests.factories import CustomerFactory
from gendan.sales.models import SalesOrder
from gendan.sales.tests.factories import make_order


@pytest.mark.django_db
def test_numbers_count_up_per_prefix_and_year():
    with transaction.atomic():
        got = [next_number("SO", on=date(2026, 3, 1)) for _ in range(3)]
        got.append(next_number("PI", on=date(2026, 3, 1)))
        got.append(next_number("SO", on=date(2027, 1, 1)))
    assert got == ["SO-2026-00001", "SO-2026-00002", "SO-2026-00003", "PI-2026-00001", "SO-2027-00001"]


@pytest.mark.django_db(transaction=True)
def test_number_outside_a_transaction_is_refused():
    with pytest.raises(RuntimeError):
        next_number("SO", on=date(2026, 3, 1))


@pytest.mark.django_db
def test_rolled_back_number_is_reused():
    with pytest.raises(ZeroDivisionError), transaction.atomic():
        next_number("SO", on=date(2026, 3, 1))
        1 / 0  # noqa: B018 — the document's save fails after taking its number
    with transaction.atomic():
        assert next_number("SO", on=date(2026, 3, 1)) == "SO-2026-00001"


@pytest.mark.django_db(transaction=True)
def test_concurrent_writers_get_gap_free_unique_numbers(salesperson):
    # given 8 people saving 5 orders each at the same moment (each in its own connection)
    customer = CustomerFactory(owner=salesperson)
    writers, per_writer = 8, 5
    start = threading.Barrier(writers)
    errors = []

    def write():
        try:
            start.wait()
            for _ in range(per_writer):
                make_order(by=salesperson, customer=customer, lines=1)
        except Exception as error:  # pragma: no cover - reported below
            errors.append(error)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=write) for _ in range(writers)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    # then every order has its own number and the series has no gaps
    assert not errors, errors
    numbers = sorted(SalesOrder.objects.values_list("number", flat=True))
    assert numbers == [f"SO-2026-{n:05d}" for n in range(1, writers * per_writer + 1)]
    assert NumberSeries.objects.get(prefix="SO", year=2026).last_value == writers * per_writer
    print(f"{connection.vendor}: {len(numbers)} orders numbered by {writers} concurrent writers")
