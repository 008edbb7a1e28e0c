"""Every look-up by a code a visitor types is limited per address through core.ratelimit: the
tracking code of an opinion and the one-time evaluation codes of suggestions and duty reports."""

import datetime

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from dutyreports.models import BallotCode, DutyReport, ReportEvaluation
from stations.services.opinions import opinion_create
from suggestions import services as s
from suggestions.models import Evaluation, EvaluationCode, ReplyCategory
from tests.factories import make_campaign

TODAY = timezone.localdate()
LIMIT = 3


@pytest.fixture(autouse=True)
def small_limit(settings, world):
    settings.PUBLIC_TRACK_LIMIT = LIMIT
    settings.PUBLIC_OPINION_WINDOW = 600
    settings.PUBLIC_COUNTY_CODE = world.county_a.code


def replied_suggestion_code(world, users) -> str:
    deputy, staff, unit = users["deputy"], users["staff"], users["unit"]
    sug = s.suggestion_create(
        user=deputy, lead_deputy=world.deputy_a1, title="修路", content="村道泥泞", category="roads"
    )
    s.public_meeting_add(
        user=deputy, suggestion=sug, date=TODAY, place="院坝", people_met=5, summary="盼修路"
    )
    sug = s.suggestion_submit(user=deputy, suggestion=sug, version=sug.version)
    sug = s.suggestion_register(user=staff, suggestion=sug, version=sug.version)
    sug = s.suggestion_assign(
        user=staff, suggestion=sug, version=sug.version, lead_unit=world.unit_a
    )
    s.suggestion_reply(
        user=unit,
        suggestion=sug,
        version=sug.version,
        category=ReplyCategory.objects.get(code="A"),
        text="已硬化。",
    )
    sug.refresh_from_db()
    return EvaluationCode.objects.create(suggestion=sug, round=sug.round).code


def ballot_code(world, users) -> str:
    campaign = make_campaign(
        county=world.county_a,
        year=TODAY.year,
        deadline=TODAY + datetime.timedelta(days=20),
        opened_by=users["staff"],
    )
    report = DutyReport.objects.create(
        campaign=campaign, deputy=world.deputy_a1, written_text="述职", entered_by=users["staff"]
    )
    return BallotCode.objects.create(report=report).code


def tracking_code(world, users) -> str:
    opinion = opinion_create(
        user=users["keeper"],
        channel="mailbox",
        township=world.a1,
        station=world.home_a1,
        category="roads",
        content="村道",
    )
    return opinion.tracking_code


CODE_PAGES = {
    "suggestions:public_evaluation": (replied_suggestion_code, {"result": "satisfied"}),
    "dutyreports:evaluate": (ballot_code, {"grade": "excellent"}),
    "public:track": (tracking_code, None),
}


@pytest.mark.parametrize("name", CODE_PAGES)
def test_guessing_codes_is_stopped_after_the_limit_even_for_a_real_code(name, world, users):
    make_code, vote = CODE_PAGES[name]
    real = make_code(world, users)
    guesser = Client(REMOTE_ADDR="10.1.1.1")
    assert guesser.get(reverse(name, args=[real])).status_code == 200
    for guess in range(LIMIT - 1):
        assert guesser.get(reverse(name, args=[f"guess{guess}"])).status_code == 404
    refused = guesser.get(reverse(name, args=["guess-over-the-limit"]))
    assert refused.status_code == 429
    assert "过于频繁,请10分钟后再试" in refused.content.decode()
    # Over the limit a real code is refused too (the code is not even looked up) and a vote
    # through it is not counted.
    assert guesser.get(reverse(name, args=[real])).status_code == 429
    if vote is not None:
        assert guesser.post(reverse(name, args=[real]), vote).status_code == 429
    assert not Evaluation.objects.exists() and not ReportEvaluation.objects.exists()
    # Another address is not affected and can still use the code.
    other = Client(REMOTE_ADDR="10.2.2.2")
    assert other.get(reverse(name, args=[real])).status_code == 200
    if vote is not None:
        assert other.post(reverse(name, args=[real]), vote).status_code == 200
        assert Evaluation.objects.count() + ReportEvaluation.objects.count() == 1


def test_each_kind_of_code_has_its_own_counter(world, users):
    client = Client(REMOTE_ADDR="10.3.3.3")
    for name in CODE_PAGES:
        for guess in range(LIMIT):
            assert client.get(reverse(name, args=[f"g{guess}"])).status_code == 404, name
        assert client.get(reverse(name, args=["one-more"])).status_code == 429, name
