"""Container numbers (ISO 6346): owner code (3 letters), category (U freight container, J detachable equipment,
Z trailer or chassis), a 6-digit serial and a check digit computed from the first ten characters.

Letters count 10, 12, 13, … 38, skipping the multiples of 11; the i-th character is weighted 2^i; the check digit
is the weighted sum mod 11, mod 10 — a remainder of 10 gives 0 (such numbers are in service, and validators that
refuse them refuse real containers)."""

from __future__ import annotations

import re
import string

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

LETTER_VALUES = dict(zip(string.ascii_uppercase, [n for n in range(10, 39) if n % 11], strict=True))
SHAPE = re.compile(r"[A-Z]{3}[UJZ]\d{7}")


def normalized(text: str) -> str:
    """As written on the door or in a booking (`csqu 305438-3`): upper case, spaces and dashes dropped."""
    return re.sub(r"[\s\-]", "", text or "").upper()


def check_digit(first_ten: str) -> int:
    total = sum((LETTER_VALUES[c] if c.isalpha() else int(c)) << i for i, c in enumerate(first_ten))
    return total % 11 % 10


def validate_container_number(text: str) -> str:
    """The number normalized, or a ValidationError saying what is wrong with it."""
    number = normalized(text)
    if not SHAPE.fullmatch(number):
        raise ValidationError(_(
            "A container number is 3 letters of the owner, U (or J, Z), 6 digits and a check digit, "
            "e.g. CSQU3054383."), code="shape")
    expected = check_digit(number[:10])
    if int(number[10]) != expected:
        raise ValidationError(_("The check digit of %(number)s is %(expected)s, not %(given)s: a digit is "
                                "mistyped.") % {"number": number[:10], "expected": expected, "given": number[10]},
                              code="check_digit")
    return number
