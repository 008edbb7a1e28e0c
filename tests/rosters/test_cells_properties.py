"""Spreadsheet cell parsing, for any input: dates written any accepted way read back as the
same date, whole numbers in digits or Chinese numerals, text folded the same way whatever the
width of its characters, ID-number cells however Excel kept them."""

import datetime
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st
from openpyxl.utils.datetime import to_excel
from stdnum.cn import ric

from rosters import cells

DATES = st.dates(min_value=datetime.date(1900, 3, 1), max_value=datetime.date(2099, 12, 31))
CHINESE = "零一二三四五六七八九"


def _written(day: datetime.date) -> list[str]:
    return [
        f"{day:%Y-%m-%d}",
        f"{day.year}-{day.month}-{day.day}",
        f"{day.year}.{day.month}.{day.day}",
        f"{day.year}/{day.month:02d}/{day.day}",
        f"{day.year}年{day.month}月{day.day}日",
        f"{day:%Y%m%d}",
        f" {day:%Y-%m-%d} ",
    ]


@given(DATES)
def test_a_date_reads_back_however_it_was_written(day):
    for written in _written(day):
        assert cells.date(written) == day, written
    assert cells.date(datetime.datetime.combine(day, datetime.time())) == day
    assert cells.date(day) == day
    assert cells.date(int(to_excel(day))) == day  # an Excel serial


@given(DATES)
def test_a_full_width_date_reads_the_same(day):
    full_width = "".join(
        chr(ord(c) + 0xFEE0) if c.isdigit() or c == "-" else c for c in f"{day:%Y-%m-%d}"
    )
    assert cells.date(full_width) == day


@pytest.mark.parametrize("value", [0, 73051, -5, "1975-02-30", "1975-13-01", "昨天", "19750230"])
def test_what_is_not_a_date_is_refused(value):
    with pytest.raises(cells.CellError):
        cells.date(value)


@pytest.mark.parametrize("value", [None, "", "   "])
def test_an_empty_date_cell_is_none(value):
    assert cells.date(value) is None


@given(st.integers(min_value=0, max_value=10**9))
def test_a_whole_number_reads_back_from_digits_float_and_term(value):
    assert cells.integer(value) == value
    assert cells.integer(str(value)) == value
    assert cells.integer(float(value)) == value
    assert cells.integer(f"第{value}届") == value


@given(st.integers(min_value=0, max_value=99))
def test_chinese_numerals_up_to_ninety_nine(value):
    tens, units = divmod(value, 10)
    if value < 10:
        written = CHINESE[value]
    else:
        written = ("" if tens == 1 else CHINESE[tens]) + "十" + (CHINESE[units] if units else "")
    assert cells.integer(written) == value
    assert cells.integer(f"第{written}届") == value


@pytest.mark.parametrize("value", ["1.5", "-3", "十十十", "一百", "abc"])
def test_what_is_not_a_whole_number_is_refused(value):
    with pytest.raises(cells.CellError):
        cells.integer(value)


@given(st.text(max_size=30))
def test_text_is_folded_once_and_for_all(value):
    folded = cells.text(value)
    assert cells.text(folded) == folded  # folding twice changes nothing
    assert folded == folded.strip()
    assert "  " not in folded
    assert cells.compact(value) == "".join(folded.split())


@given(st.text(alphabet="0123456789ABCXYZ ", max_size=20))
def test_full_width_text_folds_to_the_ascii_text(value):
    full_width = "".join("\u3000" if c == " " else chr(ord(c) + 0xFEE0) for c in value)
    assert cells.text(full_width) == cells.text(value)


@given(st.integers(min_value=10**16, max_value=10**17 - 1))
def test_a_valid_id_number_reads_the_same_as_text_integer_and_decimal(body):
    number = f"{body}{ric.calc_check_digit(f'{body}0')}"
    assert cells.id_number(number) == number
    if number[17] != "X":
        assert cells.id_number(int(number)) == number
        assert cells.id_number(Decimal(number)) == number


def test_an_id_number_that_excel_rounded_is_refused_with_the_reason():
    with pytest.raises(cells.CellError) as excinfo:
        cells.id_number(5.10824197503081e17)  # 510824197503081000: the check fails
    assert "Excel" in str(excinfo.value)
    assert cells.id_number("510824197503081233") == "510824197503081233"
