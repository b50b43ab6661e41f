from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from gendan.core.money import is_currency


def validate_currency(value: str) -> None:
    if not is_currency(value):
        raise ValidationError(_("%(value)s is not an ISO 4217 currency code."), params={"value": value})


def validate_hs_code(value: str) -> None:
    digits = value.replace(".", "")
    if not digits.isdigit() or len(digits) not in (6, 8, 10):
        raise ValidationError(_("An HS code has 6, 8 or 10 digits (dots allowed), e.g. 8205.59.9000."))
