import pytest
from django.utils import translation


@pytest.fixture(autouse=True)
def english():
    """Service messages are asserted in English here (the Chinese ones are the catalogue's)."""
    with translation.override("en"):
        yield
