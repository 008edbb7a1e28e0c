"""Masking, with every expected value written out: the bounds of each function (the lengths
where the rule changes) and, for any length, that a mask never shows more than it should."""

import pytest
from hypothesis import given
from hypothesis import strategies as st

from core.masking import mask_for_audit, mask_id_number, mask_name, mask_phone

# Any characters but the mask character itself, so a shown character is told from a hidden one.
TEXT = st.text(alphabet=st.characters(blacklist_characters="*"), max_size=40)


@pytest.mark.parametrize(
    ("value", "masked"),
    [
        ("510824197503081234", "510824********1234"),  # 18: region and last four
        ("51082419750308123X", "510824********123X"),
        ("12345678901", "123456*8901"),  # 11: the shortest with a middle to hide
        ("1234567890", "**********"),  # 10: six and four would be all of it
        ("123456789", "*********"),
        ("1", "*"),
        ("", ""),
        (None, ""),
    ],
)
def test_id_number_masks_by_length(value, masked):
    assert mask_id_number(value) == masked


@pytest.mark.parametrize(
    ("value", "masked"),
    [
        ("13812345678", "138****5678"),  # 11: a mobile number
        ("08395222333", "083****2333"),
        ("12345678", "123*5678"),  # 8: the shortest with a middle to hide
        ("5222333", "*******"),  # 7: three and four would be all of it
        ("123456", "******"),
        ("1", "*"),
        ("", ""),
        (None, ""),
    ],
)
def test_phone_masks_by_length(value, masked):
    assert mask_phone(value) == masked


@pytest.mark.parametrize(
    ("value", "masked"),
    [("张三丰", "张**"), ("欧阳娜娜", "欧***"), ("李四", "李*"), ("", ""), (None, "")],
)
def test_name_keeps_the_family_name_only(value, masked):
    assert mask_name(value) == masked


@pytest.mark.parametrize(
    ("value", "masked"),
    [
        ("510824197503081234", "51**************34"),
        ("13812345678", "13*******78"),
        ("12345", "12*45"),  # 5: the shortest shown in part
        ("1234", "****"),  # 4 and fewer: nothing shown, always four stars
        ("123", "****"),
        ("1", "****"),
        ("", ""),
    ],
)
def test_audit_log_masks_by_length(value, masked):
    assert mask_for_audit(value) == masked


def _shown(value: str, masked: str) -> set[int]:
    """Positions the mask shows, each checked to show the original character."""
    assert len(masked) == len(value)
    shown = {i for i, c in enumerate(masked) if c != "*"}
    assert all(masked[i] == value[i] for i in shown)
    return shown


@given(TEXT)
def test_an_id_number_mask_shows_at_most_the_first_six_and_last_four(value):
    masked = mask_id_number(value)
    if not value:
        assert masked == ""
        return
    shown = _shown(value, masked)
    assert shown <= set(range(6)) | set(range(len(value) - 4, len(value)))
    assert len(shown) < len(value)  # never the whole value


@given(TEXT)
def test_a_phone_mask_shows_at_most_the_first_three_and_last_four(value):
    masked = mask_phone(value)
    if not value:
        assert masked == ""
        return
    shown = _shown(value, masked)
    assert shown <= set(range(3)) | set(range(len(value) - 4, len(value)))
    assert len(shown) < len(value)


@given(TEXT)
def test_a_name_mask_shows_the_first_character_only(value):
    masked = mask_name(value)
    if not value:
        assert masked == ""
        return
    assert _shown(value, masked) == {0}


@given(TEXT)
def test_the_audit_mask_shows_at_most_two_at_each_end(value):
    masked = mask_for_audit(value)
    if not value:
        assert masked == ""
    elif len(value) <= 4:
        assert masked == "****"
    else:
        shown = _shown(value, masked)
        assert shown == {0, 1, len(value) - 2, len(value) - 1}
