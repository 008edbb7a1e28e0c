"""Codes people type (core.codes): no confusable characters, grouped, 130 random bits, and
found again however a person types them."""

import math
import re

import pytest

from core.codes import ALPHABET, LENGTH, MAX_LENGTH, canonical, new_code, normalize
from stations.models.opinions import new_tracking_code
from suggestions.models import new_evaluation_code

CODE = re.compile(r"([0-9A-HJKMNP-TV-Z]{4}-){6}[0-9A-HJKMNP-TV-Z]{2}")


def test_the_format_has_no_confusable_characters_and_enough_randomness():
    assert not set("ILOU") & set(ALPHABET) and len(ALPHABET) == 32
    assert LENGTH * math.log2(len(ALPHABET)) >= 128
    codes = {new_code() for _ in range(200)}
    assert len(codes) == 200
    for code in codes:
        assert CODE.fullmatch(code) and len(code) == MAX_LENGTH == 32
    assert CODE.fullmatch(new_tracking_code()) and CODE.fullmatch(new_evaluation_code())


@pytest.mark.parametrize(
    "typed",
    [
        "K7QM-3XRT-9D2F-0A1B-C4E5-G6H7-J8",
        "k7qm3xrt9d2f0a1bc4e5g6h7j8",
        " k7qm 3xrt 9d2f 0a1b c4e5 g6h7 j8 ",
        "K7QM-3XRT-9D2F-OA1B-C4E5-G6H7-J8",  # O typed for 0
        "K7QM-3XRT-9D2F-0AIB-C4E5-G6H7-J8",  # I typed for 1
        "K7QM-3XRT-9D2F-0AlB-C4E5-G6H7-J8",  # l typed for 1
        "K7QM—3XRT—9D2F—0A1B—C4E5—G6H7—J8",  # dashes from a Chinese input method
    ],
)
def test_a_code_is_found_however_it_is_typed(typed):
    assert normalize(typed) == "K7QM-3XRT-9D2F-0A1B-C4E5-G6H7-J8"


@pytest.mark.parametrize(
    "typed", ["", "K7QM", "K7QM-3XRT-9D2F-0A1B-C4E5-G6H7-J8X", "U" * 26, "我" * 26]
)
def test_what_cannot_be_a_code_normalizes_to_nothing(typed):
    assert normalize(typed) == ""


def test_an_older_token_is_looked_up_as_it_came():
    assert canonical(" Ab_cD-12345678901234567 ") == "Ab_cD-12345678901234567"
