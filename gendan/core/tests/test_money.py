from decimal import Decimal

import pytest

from gendan.core.money import Money, is_currency, minor_units, round_amount
from gendan.core.templatetags.gendan import money


@pytest.mark.parametrize("currency,places", [("USD", 2), ("EUR", 2), ("CNY", 2), ("JPY", 0), ("KRW", 0),
                                             ("VND", 0), ("KWD", 3), ("BHD", 3)])
def test_minor_units_follow_iso_4217(currency, places):
    assert minor_units(currency) == places


@pytest.mark.parametrize("amount,currency,expected", [
    ("1.005", "USD", "1.01"), ("2.675", "USD", "2.68"), ("0.125", "EUR", "0.13"),  # half-up, not banker's
    ("37.5", "JPY", "38"), ("38.5", "JPY", "39"), ("1.2345", "KWD", "1.235"), ("-1.005", "USD", "-1.01"),
])
def test_rounding_is_half_up_to_the_minor_unit(amount, currency, expected):
    assert round_amount(Decimal(amount), currency) == Decimal(expected)
    assert str(round_amount(Decimal(amount), currency)) == expected


def test_money_refuses_mixed_currencies():
    with pytest.raises(ValueError):
        Money(Decimal("1"), "USD") + Money(Decimal("1"), "EUR")
    assert (Money(Decimal("1.004"), "USD") + Money(Decimal("1.004"), "USD")).rounded() == Money(Decimal("2.01"), "USD")


def test_currency_codes_are_checked():
    assert is_currency("USD") and is_currency("JPY")
    assert not is_currency("XYZ") and not is_currency("usd")


def test_money_filter_groups_and_keeps_currency_places():
    assert money(Decimal("1234567.5"), "USD") == "USD 1,234,567.50"
    assert money(Decimal("1234567.5"), "JPY") == "JPY 1,234,568"
    assert money(None, "USD") == "—"
