"""Totals in words, as trade documents print them: "SAY US DOLLARS … ONLY", and 大写 for renminbi
(cn2an writes the characters the People's Bank of China's payment rules ask for)."""

from decimal import Decimal

import cn2an
from babel.numbers import get_currency_name
from num2words import num2words

from gendan.core.money import minor_units, round_amount


def in_english(amount: Decimal, currency: str) -> str:
    """`SAY US DOLLARS TWELVE THOUSAND THREE HUNDRED AND FORTY-FIVE AND CENTS SIXTY-SEVEN ONLY`."""
    amount = round_amount(amount, currency)
    sign = "MINUS " if amount < 0 else ""
    whole, fraction = divmod(abs(amount), 1)
    name = get_currency_name(currency, count=2, locale="en").upper()
    text = f"SAY {name} {sign}{_spelt(int(whole))}"
    digits = minor_units(currency)
    minor = int(fraction.scaleb(digits))
    if minor:
        text += f" AND CENTS {_spelt(minor)}" if digits == 2 else f" AND {minor}/{10 ** digits}"
    return f"{text} ONLY"


def in_chinese_capitals(amount: Decimal) -> str:
    """人民币大写, e.g. 1,005.00 → 人民币壹仟零伍元整."""
    amount = round_amount(amount, "CNY")
    sign = "负" if amount < 0 else ""
    return f"人民币{sign}{cn2an.an2cn(format(abs(amount), 'f'), 'rmb')}"


def cartons_in_english(cartons: int) -> str:
    """`SAY TOTAL FOUR HUNDRED AND TWENTY (420) CARTONS ONLY`."""
    return f"SAY TOTAL {_spelt(cartons)} ({cartons}) CARTON{'S' if cartons != 1 else ''} ONLY"


def cartons_in_chinese(cartons: int) -> str:
    """`共计肆佰贰拾箱整（420箱）`: the count in capitals, as a packing list in Chinese writes it."""
    return f"共计{cn2an.an2cn(cartons, 'up')}箱整（{cartons}箱）"


def _spelt(number: int) -> str:
    return num2words(number, lang="en").replace(",", "").upper()
