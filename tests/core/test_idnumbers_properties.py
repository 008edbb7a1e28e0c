"""ID numbers: the bounds of the birth date (1880, today), the check character against an
implementation of ISO 7064 MOD 11-2 written here (not python-stdnum's), and the cells a
spreadsheet hands over (numbers, Decimals, scientific notation), with literal expected values."""

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from hypothesis import given
from hypothesis import strategies as st

from core.idnumbers import id_number_from_cell, make_id_number, parse_id_number

TODAY = datetime.date(2026, 11, 27)
WEIGHTS = [2 ** (17 - i) % 11 for i in range(17)]  # 7 9 10 5 8 4 2 1 6 3 7 9 10 5 8 4 2


def check_character(body: str) -> str:
    """GB 11643-1999: ISO 7064 MOD 11-2 over the 17 digits; 10 is written X."""
    value = (12 - sum(int(d) * w for d, w in zip(body, WEIGHTS, strict=True)) % 11) % 11
    return "X" if value == 10 else str(value)


def test_the_weights_are_the_standards():
    assert WEIGHTS == [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2]
    assert check_character("11010519491231002") == "X"  # the standard's worked example


def _refused_code(number: str, today=TODAY) -> str:
    with pytest.raises(ValidationError) as excinfo:
        parse_id_number(number, today=today)
    return excinfo.value.code


@pytest.mark.parametrize(
    ("birth", "accepted"),
    [
        ("18800101", True),  # the first year accepted
        ("18791231", False),
        ("20261127", True),  # born today
        ("20261128", False),  # born tomorrow
    ],
)
def test_the_birth_date_lies_between_1880_and_today(birth, accepted):
    body = f"510824{birth}001"
    number = body + check_character(body)
    if accepted:
        parsed = parse_id_number(number, today=TODAY)
        assert parsed.birth_date == datetime.date(int(birth[:4]), int(birth[4:6]), int(birth[6:]))
    else:
        assert _refused_code(number) == "id_number_birth_date"


def test_gender_is_the_parity_of_the_seventeenth_digit():
    for order, gender in (("001", "M"), ("002", "F"), ("009", "M"), ("010", "F")):
        body = f"51082419750308{order}"
        assert parse_id_number(body + check_character(body), today=TODAY).gender == gender


def test_a_number_is_parsed_as_written_out():
    parsed = parse_id_number("510824197503081233", today=TODAY)
    assert parsed.number == "510824197503081233"
    assert parsed.birth_date == datetime.date(1975, 3, 8)
    assert parsed.gender == "M"  # 3: odd


def test_the_length_message_names_the_length():
    with pytest.raises(ValidationError) as excinfo:
        parse_id_number("5108241975030812", today=TODAY)
    assert excinfo.value.messages == ["公民身份号码应为18位,当前为16位。"]


def test_a_valid_number_is_parsed_without_an_explicit_today():
    assert parse_id_number("11010519491231002X").birth_date == datetime.date(1949, 12, 31)


def test_make_id_number_writes_region_birth_order_and_check():
    assert make_id_number("510824", datetime.date(1975, 3, 8), 0, "F") == "510824197503080003"
    assert make_id_number("510824", datetime.date(1975, 3, 8), 0, "M") == "510824197503080011"
    assert make_id_number("510824", datetime.date(1975, 3, 8), 499, "M")[14:17] == "999"
    with pytest.raises(ValueError):
        make_id_number("510824", datetime.date(1975, 3, 8), 500, "M")
    with pytest.raises(ValueError):
        make_id_number("510824", datetime.date(1975, 3, 8), -1, "F")


DATES = st.dates(min_value=datetime.date(1880, 1, 1), max_value=TODAY)
REGIONS = st.text(alphabet="0123456789", min_size=6, max_size=6)
ORDERS = st.integers(min_value=0, max_value=999)


@given(REGIONS, DATES, ORDERS)
def test_the_right_check_character_is_accepted_and_every_other_refused(region, birth, order):
    body = f"{region}{birth:%Y%m%d}{order:03d}"
    right = check_character(body)
    parsed = parse_id_number(body + right, today=TODAY)
    assert parsed.birth_date == birth
    assert parsed.gender == ("M" if order % 2 else "F")
    for wrong in "0123456789X":
        if wrong != right:
            assert _refused_code(body + wrong) == "id_number_checksum"


@given(REGIONS, DATES, st.integers(min_value=0, max_value=499), st.sampled_from("MF"))
def test_made_numbers_parse_back(region, birth, sequence, gender):
    number = make_id_number(region, birth, sequence, gender)
    assert number[17] == check_character(number[:17])
    parsed = parse_id_number(number, today=TODAY)
    assert (parsed.birth_date, parsed.gender) == (birth, gender)


@given(REGIONS, DATES, ORDERS, st.sampled_from([" ", "\u3000"]), st.booleans())
def test_spaces_and_a_lower_case_x_do_not_matter(region, birth, order, space, lower):
    body = f"{region}{birth:%Y%m%d}{order:03d}"
    number = body + check_character(body)
    typed = space + body[:6] + space + body[6:] + (number[17].lower() if lower else number[17])
    assert parse_id_number(typed, today=TODAY).number == number


# Spreadsheet cells ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("cell", "text"),
    [
        (None, ""),
        (True, "True"),
        (510824197503081236, "510824197503081236"),
        (5.10824197503081e17, "510824197503081000"),  # Excel's 15 significant digits
        (1.5, "1.5"),
        (Decimal("510824197503081236"), "510824197503081236"),  # a Decimal cell, whole
        (Decimal("510824197503081236.0"), "510824197503081236"),
        (Decimal("1.5"), "1.5"),
        ("5.10824E+17", "510824000000000000"),  # scientific notation as text
        ("5.10824e17", "510824000000000000"),
        ("5.10824197503E+17", "510824197503000000"),  # 17 characters: still read as a number
        ("5.108241975030E+17", "510824197503000000"),  # any length: read as the number
        ("5.10824197503081236E+17", "510824197503081236"),  # all 18 digits intact
        ("'510824197503081236", "510824197503081236"),  # a typed apostrophe
        ("1.5E+0", "1.5E+0"),  # not a whole number: left as typed
        ("5E+X", "5E+X"),  # not a number at all
        ("５１０８２４１９７５０３０８１２３ｘ", "51082419750308123X"),  # full width
        (" 510824 19750308123x ", "51082419750308123X"),
    ],
)
def test_a_cell_is_read_as_the_digits_it_holds(cell, text):
    assert id_number_from_cell(cell) == text


@given(st.integers(min_value=0, max_value=10**18 - 1))
def test_an_integer_cell_gives_its_digits(value):
    assert id_number_from_cell(value) == str(value)
    assert id_number_from_cell(Decimal(value)) == str(value)


@given(st.integers(min_value=10**17, max_value=10**18 - 1))
def test_a_float_cell_keeps_the_fifteen_digits_excel_saved(value):
    saved = float(f"{value:.14e}")  # what Excel keeps of a number typed into a cell
    text = id_number_from_cell(saved)
    assert len(text) == 18 and text.isdigit()
    assert text[:15] == f"{value:.14e}".replace(".", "")[:15]
    assert text[15:] == "000"


@given(REGIONS, DATES, ORDERS)
def test_a_text_cell_of_a_valid_number_comes_back_unchanged(region, birth, order):
    body = f"{region}{birth:%Y%m%d}{order:03d}"
    number = body + check_character(body)
    assert id_number_from_cell(number) == number
    assert id_number_from_cell(number.lower()) == number


@pytest.mark.parametrize(
    "value",
    [
        "1101051949123100A2",  # the 17th character is not a digit
        "A10105194912310022",  # nor the first
        "11010519491231002Z",  # the check character is neither a digit nor X
    ],
)
def test_the_first_seventeen_are_digits_and_the_last_a_digit_or_x(value):
    assert _refused_code(value) == "id_number_format"


def test_an_impossible_birth_date_is_named_in_the_message():
    with pytest.raises(ValidationError) as excinfo:
        parse_id_number("11010519490230002X", today=TODAY)
    assert excinfo.value.messages == ["公民身份号码中的出生日期 19490230 不存在。"]
    with pytest.raises(ValidationError) as excinfo:
        parse_id_number("110105" + "18791231" + "002" + check_character("11010518791231002"))
    assert excinfo.value.messages == ["公民身份号码中的出生日期 1879-12-31 不合理。"]


def test_the_order_code_runs_from_000_to_999():
    birth = datetime.date(1975, 3, 8)
    assert make_id_number("510824", birth, 499, "F")[14:17] == "998"
    assert make_id_number("510824", birth, 0, "F")[14:17] == "000"
    for sequence, gender in ((500, "F"), (-1, "M")):  # orders 1000 and -1
        with pytest.raises(ValueError, match="sequence out of range"):
            make_id_number("510824", birth, sequence, gender)


def test_only_six_digits_of_the_region_are_used():
    number = make_id_number("51082499", datetime.date(1975, 3, 8), 0, "F")
    assert number == "510824197503080003"


def test_validate_id_number_is_the_check_of_forms_and_models():
    from core.idnumbers import validate_id_number

    assert validate_id_number("11010519491231002X") is None
    with pytest.raises(ValidationError):
        validate_id_number("11010519491231002Y")
