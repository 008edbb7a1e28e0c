"""The template tags lists use on every row: a choice's label and a row of compliance marks.

``get_FOO_display`` rebuilds (and translates) the field's whole choices dict on every call; on the
staff opinion list that was a third of the page's time. Templates use ``|display:"foo"``, which
builds the dict once per model and field."""

import re
from pathlib import Path

import pytest
from django.template import Context, Template
from django.utils import translation

from core.templatetags.portal import display, mark_cells
from stations.models import Opinion

TEMPLATES = Path(__file__).resolve().parents[2] / "templates"


def test_display_gives_the_label_of_the_stored_value():
    opinion = Opinion(status=Opinion.Status.FORWARDED, channel=Opinion.Channel.MAILBOX)
    with translation.override("zh-hans"):
        assert display(opinion, "status") == opinion.get_status_display()
        assert display(opinion, "channel") == "代表信箱"


def test_display_keeps_an_unknown_value_and_tolerates_a_missing_record():
    assert display(Opinion(status="no-such-status"), "status") == "no-such-status"
    assert display(None, "status") == ""
    rendered = Template('{% load portal %}[{{ missing|display:"status" }}]').render(Context({}))
    assert rendered == "[]"


def test_no_template_calls_get_foo_display():
    calls = [
        f"{path.relative_to(TEMPLATES)}: {match.group(0)}"
        for path in TEMPLATES.rglob("*.html")
        for match in re.finditer(r"\.get_\w+_display\b", path.read_text(encoding="utf-8"))
    ]
    assert not calls, 'Use |display:"field" (core/templatetags/portal.py):\n' + "\n".join(calls)


@pytest.mark.parametrize(
    ("mark", "css", "label"),
    [
        ("done", "mark-done", "已接待"),
        ("missed", "mark-missed", "缺项"),
        ("pending", "mark-pending", "未到期"),
    ],
)
def test_mark_cells_draws_each_mark_with_its_label(mark, css, label):
    html = mark_cells([mark], "已接待")
    assert f'class="mark {css}"' in html
    assert f'title="{label}"' in html and f'<span class="visually-hidden">{label}</span>' in html


def test_mark_cells_escapes_the_label_and_keeps_the_order():
    html = mark_cells(["done", "missed", "pending"], "<b>已接待</b>")
    assert "<b>" not in html and "&lt;b&gt;" in html
    assert html.index("mark-done") < html.index("mark-missed") < html.index("mark-pending")


@pytest.mark.django_db
def test_a_list_filters_empty_choice_says_all(client, users):
    """Every filter select starts with 全部, not django-filter's "---------"."""
    client.force_login(users["staff"])
    html = client.get("/oversight/review-opinions/").content.decode()
    assert '<option value="">全部</option>' in html
    assert "---------" not in html
