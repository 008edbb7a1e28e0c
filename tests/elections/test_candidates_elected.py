"""结构关: a candidate who passed both reviews and was elected is linked to the deputy they
became (issue 20, item 11)."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from core.errors import DomainError
from elections.models import Candidate
from elections.services import candidates_link_elected

from .. import factories as f

REVIEWED = {
    "political_review": "passed",
    "political_reviewer": "县委组织部",
    "political_reviewed_on": datetime.date(2021, 10, 20),
    "quality_review": "passed",
    "quality_reviewer": "县人大常委会选举工作指导组",
    "quality_reviewed_on": datetime.date(2021, 10, 25),
}


def _candidate(world, name, birth_date, **fields):
    values = {
        "county": world.county_a,
        "level": "county",
        "term": 18,
        "name": name,
        "gender": "M",
        "birth_date": birth_date,
    } | REVIEWED | fields  # fmt: skip
    return Candidate.objects.create(**values)


def test_elected_candidates_are_linked_to_their_deputies(world, users):
    elected = f.make_deputy(world.home_a1, name="当选甲")
    namesake = f.make_deputy(world.home_a2, name="同名乙")
    f.make_deputy(world.home_a2, name="同名乙", birth_date=namesake.birth_date)
    winner = _candidate(world, "当选甲", elected.birth_date)
    loser = _candidate(world, "落选丙", datetime.date(1980, 1, 1))
    ambiguous = _candidate(world, "同名乙", namesake.birth_date)
    failed = _candidate(world, "当选甲", elected.birth_date, quality_review="failed")
    assert (
        candidates_link_elected(user=users["staff"], county=world.county_a, level="county", term=18)
        == 1
    )
    winner.refresh_from_db()
    assert winner.deputy == elected
    for other in (loser, ambiguous, failed):
        other.refresh_from_db()
        assert other.deputy is None
    assert list(elected.candidacies.all()) == [winner]


def test_only_county_staff_link_candidates(world, users):
    with pytest.raises((DomainError, Exception)):
        candidates_link_elected(
            user=users["deputy"], county=world.county_a, level="county", term=18
        )


def test_a_candidate_is_linked_only_to_a_deputy_of_the_same_term_who_passed(world):
    deputy = f.make_deputy(world.home_a1, name="甲")
    other_term = _candidate(world, "甲", deputy.birth_date, term=19, deputy=deputy)
    with pytest.raises(ValidationError, match="届次"):
        other_term.full_clean()
    unreviewed = _candidate(world, "甲", deputy.birth_date, quality_review="pending", deputy=deputy)
    with pytest.raises(ValidationError, match="政治关、质量关"):
        unreviewed.full_clean()
    foreign = f.make_deputy(world.home_b1, name="乙")
    elsewhere = _candidate(world, "乙", foreign.birth_date, deputy=foreign)
    with pytest.raises(ValidationError, match="本县"):
        elsewhere.full_clean()
    _candidate(world, "甲", deputy.birth_date, deputy=deputy).full_clean()


def test_the_checklist_links_an_elected_candidate_to_the_deputy(world, client_for):
    deputy = f.make_deputy(world.home_a1, name="当选丁")
    _candidate(world, "当选丁", deputy.birth_date, deputy=deputy)
    _candidate(world, "落选戊", datetime.date(1981, 2, 3))
    url = reverse("elections:structure") + "?level=county&term=18&source=candidates"
    page = client_for("staff").get(url).content.decode()
    assert reverse("deputies:detail", args=[deputy.pk]) in page and "未当选" in page
