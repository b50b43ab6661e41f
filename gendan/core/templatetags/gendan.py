from decimal import Decimal

from django import template

from gendan.core.money import minor_units, round_amount

register = template.Library()


@register.filter
def money(amount, currency: str) -> str:
    """USD 1,197.00 · JPY 38 · KWD 1.250 — grouped, with the currency's own decimals."""
    if amount in (None, ""):
        return "—"
    value = round_amount(Decimal(amount), currency)
    return f"{currency} {value:,.{minor_units(currency)}f}"


@register.filter
def amount(value, currency: str) -> str:
    """Like money, without the currency code (for table columns under a currency header)."""
    if value in (None, ""):
        return "—"
    return f"{round_amount(Decimal(value), currency):,.{minor_units(currency)}f}"


@register.filter
def qty(value) -> str:
    """A quantity without trailing zeros: 1,200 · 12.5."""
    if value in (None, ""):
        return "—"
    text = format(Decimal(value).normalize(), ",f")
    return text


@register.filter
def fixed(value, places: int) -> str:
    """A number with exactly `places` decimals (cheaper than floatformat in long tables)."""
    if value in (None, ""):
        return "—"
    return f"{Decimal(value):,.{int(places)}f}"


@register.filter
def get_item(mapping: dict, key):
    """mapping[key] in a template, where the key is a variable."""
    return mapping.get(key)
