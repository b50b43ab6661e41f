from datetime import date

import pytest
from django.utils import translation

from gendan.finance.choices import Gate
from gendan.finance.services import gate_exception_grant
from gendan.finance.tests.factories import pay
from gendan.followup.tests.factories import at, confirmed_order
from gendan.parties.tests.factories import CustomerFactory
from gendan.sales.services import order_mark_ready, order_start_production
from gendan.shipping.seeds import reference_data_loaded

DAY = date(2026, 11, 20)


@pytest.fixture(autouse=True)
def english():
    """Service messages are asserted in English here (the Chinese ones are the catalogue's)."""
    with translation.override("en"):
        yield


@pytest.fixture(autouse=True)
def reference_data(request):
    """The ports and container types the migrations loaded, again after a transactional test flushed them."""
    marker = request.node.get_closest_marker("django_db")
    if marker is None:
        return
    request.getfixturevalue("transactional_db" if marker.kwargs.get("transaction") else "db")
    reference_data_loaded()


@pytest.fixture
def customer(salesperson, merchandiser):
    return CustomerFactory(owner=salesperson, merchandiser=merchandiser, code="ACME-US")


@pytest.fixture
def ready(customer, salesperson, sales_manager, merchandiser, finance):
    """A function making an order of 2 lines × 1,000 pcs ready to ship, its deposit paid (or not)."""
    def make(paid: bool = True):
        order = confirmed_order(salesperson=salesperson, manager=sales_manager, merchandiser=merchandiser,
                                customer=customer)
        if paid:
            pay(order, by=finance, kinds=("deposit",))
        else:
            gate_exception_grant(order=order, gate=Gate.PRODUCTION, by=finance, reason="Old customer")
        with at(DAY):
            order_start_production(order=order, by=merchandiser)
            order_mark_ready(order=order, by=merchandiser)
        return order
    return make
