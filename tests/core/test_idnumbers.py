import datetime
import decimal

import pytest
from django.core.exceptions import ValidationError
from stdnum.cn import ric

from core.idnumbers import (
    id_number_from_cell,
    make_id_number,
    normalize_id_number,
    parse_id_number,
)


def test_standard_example_number_parses_with_birth_date_and_gender():
    # The worked example of GB 11643-1999: check character X, female (17th digit even).
    parsed = parse_id_number("11010519491231002X")
    assert parsed.birth_date == datetime.date(1949, 12, 31)
    assert parsed.gender == "F"


def test_lowercase_x_and_spaces_are_normalized():
    assert normalize_id_number(" 110105 19491231002x\u3000") == "11010519491231002X"
    assert parse_id_number("11010519491231002x").number == "11010519491231002X"


def test_generated_numbers_are_valid_and_encode_gender():
    number = make_id_number("510824", datetime.date(1975, 3, 8), 17, "M")
    parsed = parse_id_number(number)
    assert parsed.gender == "M"
    assert parsed.birth_date == datetime.date(1975, 3, 8)
    assert number[17] == ric.calc_check_digit(number)


def test_cangxi_numbers_are_accepted_although_stdnum_does_not_know_the_county_code():
    # python-stdnum's birth-place table lacks 510824 (苍溪县) itself: relying on its validate()
    # would refuse every deputy of the county.
    number = make_id_number("510824", datetime.date(1975, 3, 8), 17, "M")
    assert not ric.is_valid(number)
    assert parse_id_number(number).number == number


def test_unknown_region_code_is_accepted_when_the_check_character_is_right():
    # Region codes are renumbered over time; python-stdnum's validate() looks the code up in its
    # own table and refuses numbers like this one. Real people's numbers must never be refused.
    body = "99999919800101001"
    number = body + ric.calc_check_digit(body + "0")
    assert not ric.is_valid(number)
    assert parse_id_number(number).birth_date == datetime.date(1980, 1, 1)


@pytest.mark.parametrize(
    ("value", "code"),
    [
        ("110105194912310021", "id_number_checksum"),
        ("11010519490230002X", "id_number_birth_date"),  # 30 February
        ("1101051949123100", "id_number_length"),
        ("11010519491231002Y", "id_number_format"),
        ("1101051949123A002X", "id_number_format"),
        ("110105491231002", "legacy_id_number"),
    ],
)
def test_invalid_numbers_are_refused_with_a_reason(value, code):
    with pytest.raises(ValidationError) as excinfo:
        parse_id_number(value)
    assert excinfo.value.code == code
    assert excinfo.value.messages[0]  # a sentence in Chinese for the user


def test_birth_date_in_the_future_is_refused():
    body = "51082420991231001"
    number = body + ric.calc_check_digit(body + "0")
    with pytest.raises(ValidationError) as excinfo:
        parse_id_number(number, today=datetime.date(2026, 11, 27))
    assert excinfo.value.code == "id_number_birth_date"


def test_legacy_fifteen_digit_number_message_asks_for_the_new_number():
    with pytest.raises(ValidationError) as excinfo:
        parse_id_number("110105491231002")
    assert "18位" in excinfo.value.messages[0]


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        # Decimals as a database or a tool hands them over: trailing zeros are not digits.
        (decimal.Decimal("510824199001011234.00"), "510824199001011234"),
        (decimal.Decimal("1.5"), "1.5"),
        # A number turned into text by a tool keeps its ".0": dropped only from digits.
        ("510824199001011234.0", "510824199001011234"),
        ("51082419900101123X.0", "51082419900101123X.0"),
        ("12.5", "12.5"),
        # A float is written as Excel saved it (repr), not folded as typed text would be.
        (5.1e-05, "5.1e-05"),
    ],
)
def test_decimal_cells_and_a_trailing_point_zero(value, expected):
    assert id_number_from_cell(value) == expected
