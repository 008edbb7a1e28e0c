"""五个一: the five actions ticked from duty records, and the overview of who misses which."""

import datetime

import pytest
from django.contrib.contenttypes.models import ContentType
from django.urls import reverse
from django.utils import timezone

from deputies.models import DutyRecord
from tests import factories as f
from tests.querycount import count_queries

YEAR = timezone.localdate().year
URL = reverse("deputies:five_ones")
K = DutyRecord.Kind


def act(deputy, kind, *, grade="", year=YEAR, n=[0]):  # noqa: B006 (a counter for source ids)
    n[0] += 1
    DutyRecord.objects.create(
        deputy=deputy,
        kind=kind,
        occurred_on=datetime.date(year, 1, 15),
        title=kind,
        source_type=ContentType.objects.get_for_model(deputy),
        source_id=n[0],
        grade=grade,
    )


@pytest.fixture
def acted(world):
    d = world.deputy_a1
    for kind in (K.VOTER_VISIT, K.RESEARCH, K.AID):
        act(d, kind)
    act(d, K.SUGGESTION, grade="solved")
    act(world.deputy_a2, K.RECEPTION)
    act(world.deputy_a2, K.SUGGESTION, grade="registered")
    act(world.deputy_a2, K.RESEARCH, year=YEAR - 1)  # last year: does not count
    return world


def marks(response) -> dict[str, list[bool]]:
    return {deputy.name: done for deputy, done in response.context["rows"]}


def test_the_actions_are_ticked_from_the_years_records(client_for, acted):
    response = client_for("staff").get(URL)
    rows = marks(response)
    assert rows[acted.deputy_a1.name] == [True, True, True, True, True]
    assert rows[acted.deputy_a2.name] == [True, False, True, False, False]
    assert rows[acted.deputy_a1_liaison.name] == [False] * 5


def test_the_overview_counts_who_misses_which(client_for, acted):
    overview = client_for("staff").get(URL).context["overview"]
    assert (overview["deputies"], overview["complete"]) == (3, 1)
    assert [n for _key, _label, n in overview["actions"]] == [1, 2, 1, 2, 2]


def test_the_list_narrows_to_those_missing_an_action(client_for, acted):
    response = client_for("staff").get(URL, {"missing": "research"})
    assert set(marks(response)) == {acted.deputy_a2.name, acted.deputy_a1_liaison.name}


def test_township_staff_see_their_township(client_for, acted):
    assert set(marks(client_for("township").get(URL))) == {
        acted.deputy_a1.name,
        acted.deputy_a1_liaison.name,
    }


@pytest.mark.parametrize("role", ["deputy", "unit"])
def test_deputies_and_units_may_not_see_it(client_for, role):
    assert client_for(role).get(URL).status_code == 403


def test_the_query_count_does_not_grow(client_for, acted, world):
    client = client_for("staff")
    before = count_queries(client, URL)
    for _ in range(5):
        deputy = f.make_deputy(world.home_a1)
        act(deputy, K.SMALL_WISH)
        act(deputy, K.SUGGESTION, grade="solved")
    assert count_queries(client, URL) == before


@pytest.mark.parametrize(
    ("kind", "grade", "solved"),
    [
        (K.SMALL_WISH, "", True),  # a 微心愿 fulfilled
        (K.SMALL_PROBLEM, "", True),  # a 小难题 the deputy recorded
        (K.RECEPTION, "answered", True),  # an opinion answered at the station
        (K.RECEPTION, "", False),  # a reception alone solves nothing
        (K.SUGGESTION, "solved", True),
        (K.SUGGESTION, "satisfied", False),
    ],
)
def test_a_problem_solved_directly_counts(client_for, world, kind, grade, solved):
    act(world.deputy_a2, kind, grade=grade)
    rows = marks(client_for("staff").get(URL))
    assert rows[world.deputy_a2.name][4] is solved


def test_helping_a_household_is_its_own_record_not_a_wish(client_for, world):
    act(world.deputy_a2, K.SMALL_WISH)
    assert marks(client_for("staff").get(URL))[world.deputy_a2.name][3] is False
    act(world.deputy_a2, K.AID)
    assert marks(client_for("staff").get(URL))[world.deputy_a2.name][3] is True
