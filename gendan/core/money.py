"""Money: a Decimal amount with its ISO 4217 currency, rounded in one place.

Commercial documents round half-up to the currency's minor unit (USD 0.01, JPY 1, KWD 0.001).
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from functools import cache

from babel.numbers import get_currency_precision, list_currencies


@cache
def minor_units(currency: str) -> int:
    return get_currency_precision(currency)


@cache
def known_currencies() -> frozenset[str]:
    return frozenset(list_currencies())


def is_currency(code: str) -> bool:
    return code in known_currencies()


def round_amount(amount: Decimal, currency: str) -> Decimal:
    step = Decimal(1).scaleb(-minor_units(currency))
    return amount.quantize(step, ROUND_HALF_UP)


@dataclass(frozen=True)
class Money:
    amount: Decimal
    currency: str

    def rounded(self) -> Money:
        return Money(round_amount(self.amount, self.currency), self.currency)

    def __add__(self, other: Money) -> Money:
        if not isinstance(other, Money):
            return NotImplemented
        if other.currency != self.currency:
            raise ValueError(f"Cannot add {other.currency} to {self.currency}")
        return Money(self.amount + other.amount, self.currency)

    def __str__(self) -> str:
        return f"{self.currency} {self.rounded().amount:,}"
