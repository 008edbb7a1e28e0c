"""Terms and sessions are written in Chinese numerals (县第十八届人大常委会第二十一次会议), by one
helper (core.numerals), and no page a role reaches shows 第18届 or 第21次会议."""

import re

import pytest
from django.test import Client

from congress_portal.navigation import menu_for
from core.numerals import chinese_number, committee_meeting_label, session_label, term_label
from tests.test_navigation import _crawl
from tests.test_permission_matrix import objects, station_work, suggestion_with_evaluation  # noqa: F401

ARABIC = re.compile(r"第\s*\d+\s*(届|次会议)")


@pytest.mark.parametrize(
    ("n", "text"),
    [
        (1, "一"),
        (10, "十"),
        (14, "十四"),
        (18, "十八"),
        (20, "二十"),
        (21, "二十一"),
        (100, "一百"),
        (105, "一百零五"),
        (110, "一百一十"),
        (2026, "二千零二十六"),
    ],  # fmt: skip
)
def test_numbers_are_read_as_chinese_counts(n, text):
    assert chinese_number(n) == text


def test_terms_and_sessions_in_chinese_numerals():
    assert term_label(18) == "第十八届"
    assert session_label(3) == "第三次会议"
    assert committee_meeting_label(18, 21, prefix="县") == "县第十八届人大常委会第二十一次会议"
    with pytest.raises(ValueError):
        chinese_number(-1)


def test_a_meeting_and_a_mandate_name_themselves_in_chinese_numerals(world):
    from oversight.models import CommitteeMeeting

    mandate = world.deputy_a1.mandates.first()
    assert "第十八届" in str(mandate) or not ARABIC.search(str(mandate))
    meeting = CommitteeMeeting(term=18, number=21)
    assert str(meeting) == "县第十八届人大常委会第二十一次会议"


class _Recording(Client):
    def __init__(self):
        super().__init__()
        self.found: dict[str, str] = {}

    def get(self, path, *args, **kwargs):
        response = super().get(path, *args, **kwargs)
        is_page = response.get("Content-Type", "").startswith("text/html")
        if response.status_code == 200 and is_page and not response.streaming:
            match = ARABIC.search(response.content.decode())
            if match:
                self.found[path] = match.group(0)
        return response


@pytest.mark.parametrize("role", ["staff", "deputy", "member", "township"])
def test_no_page_writes_a_term_or_session_in_arabic_digits(objects, users, role):  # noqa: F811
    client = _Recording()
    client.force_login(users[role])
    menu = [link["url"] for section in menu_for(users[role]) for link in section["links"]]
    _crawl(client, menu)
    assert client.found == {}
