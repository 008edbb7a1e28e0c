"""The write-permission table (accounts.access.ACTIONS): what each role may do at all, what it
may do to a given record, the helpers views use (403 after 404), the template tag, and that the
code names no action the table lacks and the table keeps no action nobody asks."""

import re
from pathlib import Path

import pytest
from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.template import Context, Template
from django.test import RequestFactory

from accounts.access import ACTIONS, can, county_record, get_for_change, require
from accounts.models import Role
from directory.models import Station
from oversight.models import SupervisionTopic
from stations.models import ReceptionDay
from suggestions.models import Suggestion
from tests import factories as f

ROLES = ["admin", "staff", "member", "township", "keeper", "deputy", "unit"]
MANAGERS = {"admin", "staff", "township", "keeper"}
COUNTY_STAFF = {"admin", "staff"}
OFFICES = {"admin", "staff", "member", "township"}

# Asked without a record: may the role take the action at all (menus, "new" buttons).
EXPECTED = {
    "deputy.assign_station": COUNTY_STAFF,
    "mandate.record": COUNTY_STAFF | {"township"},
    "duty_record.enter": COUNTY_STAFF,
    "duty_score.compute": COUNTY_STAFF,
    "training.import": COUNTY_STAFF,
    "station.keep": MANAGERS,
    "reception_day.edit": MANAGERS,
    "visit_day.edit": MANAGERS,
    "mailbox.open": MANAGERS | {"deputy"},
    "reception.log": MANAGERS | {"deputy"},
    "activity.keep": MANAGERS,
    "small_wish.create": MANAGERS | {"deputy"},
    "small_wish.claim": MANAGERS | {"deputy"},
    "small_wish.fulfil": MANAGERS | {"deputy"},
    "small_problem.record": {"deputy"},
    "aid.keep": {"deputy"},
    "station.check_compliance": OFFICES | {"keeper"},
    "opinion.handle": MANAGERS,
    "opinion.answer": MANAGERS | {"unit"},
    # The office of the suggestion's congress: the county's or the township's staff.
    "suggestion.draft": COUNTY_STAFF | {"township", "deputy"},
    "suggestion.manage": COUNTY_STAFF | {"township"},
    "suggestion.evaluate": COUNTY_STAFF | {"township", "deputy"},
    "suggestion.draft_own": {"deputy"},
    "suggestion.answer": {"unit"},
    "suggestion.reassign_request": {"unit"},
    "suggestion.reassign_decide": COUNTY_STAFF | {"township"},
    "suggestion.statistics": OFFICES,
    "member_link.manage": COUNTY_STAFF,
    "member_link.contact": COUNTY_STAFF | {"member"},
    "voter.keep": MANAGERS | {"deputy"},
    "voter.call": {"deputy"},
    "group_work.manage": COUNTY_STAFF | {"deputy"},
    "key_project.edit": COUNTY_STAFF | {"member"},
    "report_campaign.manage": COUNTY_STAFF | {"township"},
    "duty_report.file": COUNTY_STAFF | {"township", "deputy"},
    "duty_report.file_own": {"deputy"},
    "peer_evaluation.give": {"deputy"},
    "oversight.manage": COUNTY_STAFF,
    "inspection_recommendation.answer": COUNTY_STAFF | {"unit"},
    "supervision_topic.answer": COUNTY_STAFF | {"unit"},
    "review_opinion.answer": COUNTY_STAFF | {"unit"},
    "legislative_draft.manage": COUNTY_STAFF,
    "legislative_opinion.record": MANAGERS,
    "legislative_opinion.give": {"deputy"},
    "plenary.manage": COUNTY_STAFF | {"township"},
    "duty_story.write": COUNTY_STAFF,
    "roster.import": COUNTY_STAFF,
    "registration_check.run": COUNTY_STAFF,
    "structure_target.set": COUNTY_STAFF,
    "annual_report.read": OFFICES,
    "system.status": {"admin"},
}


@pytest.fixture
def world(shared_world):
    return shared_world


@pytest.fixture
def users(shared_users):
    return shared_users


def test_the_expectations_cover_the_whole_table():
    assert set(EXPECTED) == set(ACTIONS)


@pytest.mark.parametrize("action", sorted(EXPECTED))
def test_who_takes_each_action_at_all(users, action):
    allowed = {role for role in ROLES if can(users[role], action)}
    assert allowed == EXPECTED[action]


def test_nobody_signed_out_or_inactive_takes_any_action(users):
    users["admin"].is_active = False
    try:
        for action in ACTIONS:
            assert not can(AnonymousUser(), action)
            assert not can(users["admin"], action)
    finally:
        users["admin"].is_active = True


def test_county_staff_act_on_their_own_county_only(users, world):
    own = Suggestion(lead_deputy=world.deputy_a1, county_id=world.county_a.pk)
    foreign = Suggestion(lead_deputy=world.deputy_b1, county_id=world.county_b.pk)
    assert can(users["staff"], "suggestion.manage", own)
    assert not can(users["staff"], "suggestion.manage", foreign)
    assert can(users["admin"], "suggestion.manage", foreign)
    # A member reads the county's suggestions but does not act on them.
    assert not can(users["member"], "suggestion.manage", own)
    assert can(users["staff"], "oversight.manage", county_record(world.county_a.pk))
    assert not can(users["staff"], "oversight.manage", county_record(world.county_b.pk))


def test_each_congress_office_acts_on_its_own_congresss_suggestions(users, world):
    county = Suggestion(county_id=world.county_a.pk, congress_id=world.county_a.pk)
    a1 = Suggestion(county_id=world.county_a.pk, congress_level="township", congress_id=world.a1.pk)
    a2 = Suggestion(county_id=world.county_a.pk, congress_level="township", congress_id=world.a2.pk)
    for action in ("suggestion.manage", "suggestion.draft", "suggestion.evaluate"):
        assert can(users["staff"], action, county) and not can(users["staff"], action, a1)
        assert can(users["township"], action, a1)
        assert not can(users["township"], action, a2)
        assert not can(users["township"], action, county)
        assert can(users["admin"], action, a2)


def test_the_lead_deputy_drafts_their_own_suggestion_only(users, world):
    own = Suggestion(lead_deputy=world.deputy_a1, county_id=world.county_a.pk)
    other = Suggestion(lead_deputy=world.deputy_a2, county_id=world.county_a.pk)
    assert can(users["deputy"], "suggestion.draft", own)
    assert not can(users["deputy"], "suggestion.draft", other)
    assert can(users["staff"], "suggestion.draft", other)


def test_station_managers_keep_the_stations_they_see(users, world):
    home = ReceptionDay(station=world.home_a1)
    elsewhere = ReceptionDay(station=world.home_a2)
    assert can(users["keeper"], "reception_day.edit", home)
    assert not can(users["keeper"], "reception_day.edit", elsewhere)
    assert can(users["township"], "reception_day.edit", home)
    assert not can(users["township"], "reception_day.edit", elsewhere)  # another township's
    assert not can(users["staff"], "reception_day.edit", ReceptionDay(station=world.home_b1))
    assert not can(users["member"], "reception_day.edit", home)  # reads, does not keep


def test_a_related_record_names_who_is_acted_for(users, world):
    day = ReceptionDay(station=world.home_a1)
    assert can(users["deputy"], "reception.log", day, deputy=world.deputy_a1)
    assert not can(users["deputy"], "reception.log", day, deputy=world.deputy_a1_liaison)
    assert can(users["keeper"], "reception.log", day, deputy=world.deputy_a1_liaison)


def test_a_deputy_creates_wishes_at_their_own_station_only(users, world):
    assert can(users["deputy"], "small_wish.create", world.home_a1)
    assert not can(users["deputy"], "small_wish.create", world.home_a2)
    unstationed = f.make_user(Role.DEPUTY, deputy=f.make_deputy(None, county=world.county_a))
    assert not can(unstationed, "small_wish.create")


def test_the_unit_concerned_answers(users, world):
    topic = SupervisionTopic(county_id=world.county_a.pk, unit_id=world.unit_a.pk)
    other = SupervisionTopic(county_id=world.county_a.pk, unit_id=world.unit_b.pk)
    assert can(users["unit"], "supervision_topic.answer", topic)
    assert not can(users["unit"], "supervision_topic.answer", other)
    assert can(users["staff"], "supervision_topic.answer", other)


def test_get_for_change_answers_404_outside_the_scope_and_403_inside_it(users, world):
    rows = Station.objects.all()
    with pytest.raises(Http404):
        get_for_change(rows, users["keeper"], "station", "station.keep", pk=world.home_b1.pk)
    with pytest.raises(PermissionDenied):  # the member sees the station but does not keep it
        get_for_change(rows, users["member"], "station", "station.keep", pk=world.home_a1.pk)
    station = get_for_change(rows, users["keeper"], "station", "station.keep", pk=world.home_a1.pk)
    assert station == world.home_a1
    with pytest.raises(PermissionDenied):
        require(users["deputy"], "station.keep")


def test_the_template_tag_asks_the_same_table(users, world):
    template = Template(
        '{% load portal %}{% can "reception_day.edit" day as may %}{{ may|yesno:"yes,no" }}'
    )
    request = RequestFactory().get("/")
    for role, expected in (("keeper", "yes"), ("member", "no"), ("deputy", "no")):
        request.user = users[role]
        context = Context({"request": request, "day": ReceptionDay(station=world.home_a1)})
        assert template.render(context) == expected


ROOT = Path(__file__).resolve().parents[2]
APPS = [
    path
    for path in ROOT.iterdir()
    if path.is_dir() and path.name not in {"tests", "bench", "demo", "static", "docs", ".venv"}
]
ASKED = re.compile(
    r"""(?:\bcan|\brequire|get_for_change)\(\s*[\w.]+,\s*(?:[\w.]+,\s*)?["']([a-z_]+\.[a-z_]+)["']"""
    r"""|\{%\s*can\s+["']([a-z_]+\.[a-z_]+)["']"""
)


def _asked_actions() -> set[str]:
    asked = set()
    for app in APPS:
        for path in [*app.rglob("*.py"), *app.rglob("*.html")]:
            for match in ASKED.finditer(path.read_text(encoding="utf-8")):
                asked.add(match.group(1) or match.group(2))
    return asked


def test_the_code_asks_only_actions_of_the_table_and_the_table_has_no_dead_rows():
    asked = _asked_actions()
    assert asked - set(ACTIONS) == set()
    assert set(ACTIONS) - asked == set()
