"""The one period selector (core.periods) of the statistics pages: a year, a range or 本届以来
(the term to date); a term's figures are the sum of its years'."""

import datetime

import pytest
from django.core.cache import cache
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from core.errors import DomainError
from core.periods import TERM, Period, period_from
from directory.models import Mandate
from suggestions.models import Suggestion
from suggestions.statistics import county_statistics
from tests.reports.test_annual import suggestion

TODAY = timezone.localdate()
TERM_START = datetime.date(TODAY.year - 2, 6, 1)
ADDITIVE = ["total", "registered", "supervised", "solved", "evaluated", "satisfied", "rehandled"]


def read(data, *, term_start=TERM_START, **kwargs):
    return period_from(data, today=TODAY, term_start=term_start, first_year=2018, **kwargs)


def test_the_selector_reads_a_year_a_range_and_the_term():
    assert read({"year": "2025"}) == Period.year(2025)
    assert read({}) == Period.year(TODAY.year)
    assert read({}, default=TERM) == Period.term(TERM_START, TODAY)
    assert read({"year": "term"}).is_term and read({"period": "term"}).start == TERM_START
    ranged = read({"start": "2025-03-01", "end": "2025-06-30"})
    assert (ranged.start, ranged.end, ranged.is_term) == (
        datetime.date(2025, 3, 1),
        datetime.date(2025, 6, 30),
        False,
    )
    assert str(read({"year": "term"})).startswith("本届以来")
    assert read({"year": "term"}).headline == "本届以来"


@pytest.mark.parametrize(
    ("data", "term_start", "message"),
    [
        ({"year": "2010"}, TERM_START, "请选择2018年至今年之间的年度"),
        ({"year": "abc"}, TERM_START, "请选择"),
        ({"start": "2025-06-30", "end": "2025-03-01"}, TERM_START, "开始日期不能晚于结束日期"),
        ({"start": "2025-13-01"}, TERM_START, "日期格式"),
        ({"year": "term"}, None, "无法按本届统计"),
    ],
)
def test_a_bad_period_is_refused_with_a_reason(data, term_start, message):
    with pytest.raises(DomainError, match=message):
        read(data, term_start=term_start)


def test_a_terms_years_cover_it_without_gap_or_overlap():
    years = Period.term(TERM_START, TODAY).years()
    assert years[0].start == TERM_START and years[-1].end == TODAY
    assert [p.start.year for p in years] == list(range(TERM_START.year, TODAY.year + 1))
    for before, after in zip(years, years[1:], strict=False):
        assert after.start == before.end + datetime.timedelta(days=1)


def _spread_suggestions(users, world):
    """Suggestions submitted in each year of the term, and one before it began."""
    days = [
        TERM_START - datetime.timedelta(days=10),  # the last term: never counted
        TERM_START + datetime.timedelta(days=3),
        datetime.date(TODAY.year - 1, 12, 31),
        datetime.date(TODAY.year - 1, 1, 1),
        TODAY,
    ]
    for n, day in enumerate(days):
        made = suggestion(users, world, world.deputy_a1, title=f"建议{n}")
        Suggestion.objects.filter(pk=made.pk).update(
            submitted_at=timezone.make_aware(datetime.datetime.combine(day, datetime.time(10)))
        )


def test_the_term_figure_equals_the_sum_over_its_years(users, world):
    _spread_suggestions(users, world)
    term = Period.term(TERM_START, TODAY)
    whole = county_statistics(
        county_id=world.county_a.pk, start=term.start, end=term.end, today=TODAY
    )
    parts = [
        county_statistics(county_id=world.county_a.pk, start=p.start, end=p.end, today=TODAY)
        for p in term.years()
    ]
    assert whole.totals.total == 4
    for name in ADDITIVE:
        assert getattr(whole.totals, name) == sum(getattr(p.totals, name) for p in parts), name


def _term_began(world):
    Mandate.objects.filter(deputy__county=world.county_a).update(started_on=TERM_START)


def test_the_staff_statistics_offer_the_term(client_for, users, world):
    _term_began(world)
    _spread_suggestions(users, world)
    client = client_for("staff")
    response = client.get(reverse("suggestions:statistics"), {"year": "term"})
    statistics = response.context["statistics"]
    assert (statistics.start, statistics.end) == (TERM_START, TODAY)
    assert statistics.totals.total == 4
    assert "本届以来" in response.content.decode()
    api = client.get("/api/v1/suggestion-statistics/", {"year": "term"}).json()
    assert api["start"] == TERM_START.isoformat() and api["totals"]["total"] == 4


def test_the_public_headline_is_the_term_to_date(settings, users, world):
    settings.PUBLIC_COUNTY_CODE = world.county_a.code
    _term_began(world)
    _spread_suggestions(users, world)
    cache.clear()
    page = Client().get(reverse("public:figures")).content.decode()
    assert "本届以来代表建议" in page and 'data-period="term"' in page
    cache.clear()
    year = Client().get(reverse("public:figures"), {"year": TODAY.year}).content.decode()
    assert f"{TODAY.year}年代表建议" in year and "本届以来代表建议" not in year


def test_the_annual_report_reads_the_term(client_for, users, world):
    _term_began(world)
    response = client_for("staff").get(reverse("reports:annual"), {"year": "term"})
    period = response.context["period"]
    assert period.is_term and (period.start, period.end) == (TERM_START, TODAY)
    assert response.context["params"]["period"] == "term"
