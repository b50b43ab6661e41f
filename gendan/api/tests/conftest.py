from datetime import date

import pytest
from django.core.cache import cache, caches
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from gendan.parties.tests.factories import CustomerFactory
from gendan.sales.tests.factories import make_order


@pytest.fixture(autouse=True)
def _fresh_throttles():
    # Throttle counters live in the cache, which outlives a test's database transaction.
    cache.clear()
    yield
    cache.clear()


@pytest.fixture(autouse=True)
def _fast_passwords(settings):
    # Every test makes several users; the production hasher's 1M rounds would dominate the run.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def api(db):
    """api(user) → an APIClient that sends user's real token (and asks for English messages)."""
    # The token throttle counts in the database cache, which a live-server test before this one may have
    # filled (its rows outlive the flush); cleared inside this test's transaction.
    caches["shared"].clear()

    def client_for(user=None) -> APIClient:
        client = APIClient(HTTP_ACCEPT_LANGUAGE="en")
        if user is not None:
            token, _created = Token.objects.get_or_create(user=user)
            client.credentials(HTTP_AUTHORIZATION=f"Token {token.key}")
        return client

    return client_for


@pytest.fixture
def customer(salesperson, merchandiser):
    """Sally's customer, looked after by Mei."""
    return CustomerFactory(owner=salesperson, merchandiser=merchandiser, currency="USD", incoterm_place="Ningbo")


@pytest.fixture
def other_customer(other_salesperson, other_merchandiser):
    """Sam's customer, looked after by Max."""
    return CustomerFactory(owner=other_salesperson, merchandiser=other_merchandiser)


@pytest.fixture
def order(salesperson, customer):
    return make_order(by=salesperson, customer=customer, customer_po="PO-ALPHA", order_date=date(2026, 11, 2))


@pytest.fixture
def other_order(other_salesperson, other_customer):
    return make_order(by=other_salesperson, customer=other_customer, customer_po="PO-BETA",
                      order_date=date(2026, 11, 3))
