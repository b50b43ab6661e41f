"""ISO 6346 container numbers, check digits worked out by hand (letters: A10 B12 C13 … skipping 11, 22, 33)."""

import pytest
from django.core.exceptions import ValidationError

from gendan.shipping.containers import check_digit, validate_container_number


def test_the_standards_example():
    # C13·1 + S30·2 + Q28·4 + U32·8 + 3·16 + 0·32 + 5·64 + 4·128 + 3·256 + 8·512
    # = 13 + 60 + 112 + 256 + 48 + 0 + 320 + 512 + 768 + 4096 = 6185; 6185 = 11·562 + 3
    assert check_digit("CSQU305438") == 3
    assert validate_container_number("CSQU3054383") == "CSQU3054383"
    assert validate_container_number(" csqu 305438-3 ") == "CSQU3054383"  # as written on a booking


def test_a_remainder_of_ten_gives_check_digit_zero():
    # M24·1 + S30·2 + K21·4 + U32·8 + 1·16 + 0 + 0 + 0 + 0 + 9·512 = 24 + 60 + 84 + 256 + 16 + 4608 = 5048
    # 5048 = 11·458 + 10 → 10 mod 10 = 0
    assert check_digit("MSKU100009") == 0
    assert validate_container_number("MSKU1000090") == "MSKU1000090"


@pytest.mark.parametrize(("number", "message"), [
    ("CSQU3054384", "The check digit of CSQU305438 is 3, not 4"),
    ("MSKU1000091", "The check digit of MSKU100009 is 0, not 1"),  # what a validator that says "10" wants
    ("CSQX3054383", "3 letters of the owner, U (or J, Z)"),  # no such category
    ("CSQ3054383", "3 letters of the owner"),
    ("CSQU305438", "3 letters of the owner"),  # the check digit left off
    ("", "3 letters of the owner"),
])
def test_wrong_numbers_are_refused_saying_why(number, message):
    with pytest.raises(ValidationError) as error:
        validate_container_number(number)
    assert message in error.value.messages[0]
