from datetime import date
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _

from gendan.core.money import is_currency


def validate_currency(value: str) -> None:
    if not is_currency(value):
        raise ValidationError(_("%(value)s is not an ISO 4217 currency code."), params={"value": value})


def validate_hs_code(value: str) -> None:
    digits = value.replace(".", "")
    if not digits.isdigit() or len(digits) not in (6, 8, 10):
        raise ValidationError(_("An HS code has 6, 8 or 10 digits (dots allowed), e.g. 8205.59.9000."))


# Order and milestone dates further than this from today are typing mistakes (a year 1 or 9999 order
# would open its own number series, and the calendar cannot count to year 9999); one place to change it.
DATE_WINDOW_YEARS = 5
INT_COLUMN_MAX = 2_147_483_647  # PositiveIntegerField is int4 on PostgreSQL; the same limit everywhere


def date_window(today: date) -> tuple[date, date]:
    return _years_from(today, -DATE_WINDOW_YEARS), _years_from(today, DATE_WINDOW_YEARS)


def _years_from(day: date, years: int) -> date:
    try:
        return day.replace(year=day.year + years)
    except ValueError:  # 29 February
        return day.replace(year=day.year + years, day=28)


def date_out_of_window(day: date | None, today: date) -> str | None:
    """The message for a date outside the plausible window, or None when it is fine (or empty)."""
    if day is None:
        return None
    earliest, latest = date_window(today)
    if earliest <= day <= latest:
        return None
    return _("Enter a date between %(earliest)s and %(latest)s.") % {"earliest": earliest, "latest": latest}


def column_overflows(obj: models.Model, names: list[str]) -> list[str]:
    """The fields among `names` whose value does not fit its column (decimal digits, int4), checked
    here because SQLite stores any number and the overflow then surfaces only when the row is read."""
    return [name for name in names if not _fits(obj._meta.get_field(name), getattr(obj, name))]


def _fits(field: models.Field, value) -> bool:
    if value is None:
        return True
    if isinstance(field, models.DecimalField):
        limit, value = Decimal(10) ** (field.max_digits - field.decimal_places), abs(Decimal(value))
        return value < limit and value.quantize(Decimal(1).scaleb(-field.decimal_places)) < limit
    if isinstance(field, models.IntegerField):
        return abs(int(value)) <= INT_COLUMN_MAX
    return True
