import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from directory.models import Deputy
from elections.models import Candidate, StructureTarget
from elections.structure import structure_mix

from .. import factories as f


def _years_ago(years: int, days: int = 0) -> datetime.date:
    today = timezone.localdate()
    return today.replace(year=today.year - years) - datetime.timedelta(days=days)


def _shares(mix, dimension):
    return {share.code: share for share in mix[dimension]}


def _term(world, users):
    """County A's county deputies of term 18: deputy_a1 and deputy_a2 (from the world), and
    these eight."""
    f.make_deputy(world.home_a1, gender="F", occupation="farmer", birth_date=_years_ago(35))
    f.make_deputy(world.home_a1, gender="F", occupation="worker", birth_date=_years_ago(35, -1))
    # Everyone else 55: the factory's default birth dates move on with every deputy it makes.
    older = _years_ago(55)
    Deputy.objects.filter(pk__in=[world.deputy_a1.pk, world.deputy_a2.pk]).update(birth_date=older)
    f.make_deputy(world.home_a2, gender="M", occupation="cadre", ethnicity="回族", birth_date=older)
    for _ in range(5):
        f.make_deputy(world.home_a2, gender="M", occupation="cadre", party="cpc", birth_date=older)
    f.make_deputy(world.home_b1, gender="F")  # another county
    f.make_deputy(world.home_a1, gender="F", level="township")  # another level


def test_the_mix_counts_each_category_and_highlights_gaps(world, users):
    _term(world, users)
    StructureTarget.objects.create(
        county=world.county_a,
        level="county",
        term=18,
        dimension="gender",
        category="F",
        min_percent=Decimal("30"),
    )
    StructureTarget.objects.create(
        county=world.county_a,
        level="county",
        term=18,
        dimension="occupation",
        category="cadre",
        max_percent=Decimal("25"),
    )
    StructureTarget.objects.create(
        county=world.county_a,
        level="county",
        term=18,
        dimension="occupation",
        category="farmer",
        min_percent=Decimal("5"),
    )
    total, mix = structure_mix(
        user=users["staff"],
        county_id=world.county_a.pk,
        level="county",
        term=18,
        reference=timezone.localdate(),
    )
    assert total == 10
    gender = _shares(mix, "gender")
    women = sum(1 for d in (world.deputy_a1, world.deputy_a2) if d.gender == "F") + 2
    assert gender["F"].count == women and gender["M"].count == 10 - women
    occupation = _shares(mix, "occupation")
    assert occupation["cadre"].count == 6
    assert occupation["cadre"].above and occupation["cadre"].gap == Decimal("35.0")
    assert not occupation["farmer"].below and occupation["farmer"].gap is None
    assert _shares(mix, "ethnicity")["minority"].count == 1
    assert gender["F"].below == (gender["F"].percent < 30)


def test_age_bands_count_from_today(world, users):
    _term(world, users)
    _total, mix = structure_mix(
        user=users["staff"],
        county_id=world.county_a.pk,
        level="county",
        term=18,
        reference=timezone.localdate(),
    )
    ages = _shares(mix, "age")
    assert sum(share.count for share in ages.values()) == 10
    assert ages["under35"].count == 1  # 35 tomorrow
    assert ages["35to50"].count == 1  # 35 today


def test_the_page_highlights_gaps_in_a_fixed_number_of_queries(world, users, client_for):
    StructureTarget.objects.create(
        county=world.county_a,
        level="county",
        term=18,
        dimension="occupation",
        category="cadre",
        max_percent=Decimal("10"),
    )
    client = client_for("staff")
    url = reverse("elections:structure") + "?level=county&term=18"

    def queries() -> int:
        with CaptureQueriesContext(connection) as ctx:
            response = client.get(url)
        assert response.status_code == 200
        return len(ctx.captured_queries), response.content.decode()

    _term(world, users)
    before, page = queries()
    assert "table-danger" in page and "代表结构" in page
    for _ in range(12):
        f.make_deputy(world.home_a2, occupation="farmer")
    after, _page = queries()
    assert before == after


def test_township_staff_and_deputies_do_not_see_the_structure(client_for):
    for role in ("township", "deputy", "unit"):
        assert client_for(role).get(reverse("elections:structure")).status_code == 403


def _candidate(world, name, **fields):
    values = {
        "county": world.county_a,
        "level": "county",
        "term": 19,
        "name": name,
        "gender": "M",
        "birth_date": datetime.date(1975, 3, 8),
    } | fields
    return Candidate.objects.create(**values)


def test_a_candidate_list_is_measured_like_the_deputies(world, users):
    _candidate(world, "候选甲", gender="F", occupation="farmer")
    _candidate(world, "候选乙", occupation="worker", ethnicity="苗族")
    _candidate(world, "候选丙", occupation="cadre")
    _candidate(world, "别届", term=18)
    total, mix = structure_mix(
        user=users["staff"],
        county_id=world.county_a.pk,
        level="county",
        term=19,
        reference=timezone.localdate(),
        candidates=True,
    )
    assert total == 3
    assert _shares(mix, "gender")["F"].count == 1
    assert _shares(mix, "ethnicity")["minority"].count == 1
    occupation = _shares(mix, "occupation")
    assert (occupation["farmer"].count, occupation["worker"].count) == (1, 1)


def test_a_review_with_a_result_needs_its_reviewer_and_date(world):
    candidate = _candidate(world, "候选丁", political_review="passed")
    with pytest.raises(ValidationError):
        candidate.full_clean()
    candidate.political_reviewer = "组织部 王审"
    candidate.political_reviewed_on = datetime.date(2026, 9, 1)
    candidate.full_clean()


def test_the_checklist_shows_each_review_in_fixed_queries(world, users, client_for):
    _candidate(
        world,
        "候选戊",
        political_review="passed",
        political_reviewer="王审",
        political_reviewed_on=datetime.date(2026, 9, 1),
        quality_review="failed",
        quality_reviewer="李审",
        quality_reviewed_on=datetime.date(2026, 9, 2),
    )
    client = client_for("member")
    url = reverse("elections:structure") + "?level=county&term=19&source=candidates"

    def fetch():
        with CaptureQueriesContext(connection) as ctx:
            response = client.get(url)
        assert response.status_code == 200
        return len(ctx.captured_queries), response.content.decode()

    before, page = fetch()
    assert "候选戊" in page and "王审" in page and "2026-09-02" in page and "未通过" in page
    for index in range(15):
        _candidate(world, f"候选{index}")
    after, _page = fetch()
    assert before == after
