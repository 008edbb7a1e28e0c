"""The draft form's deputy picker (core.widgets.SearchPicker): the page carries only the chosen
deputies, the scoped source finds the candidates by name, pinyin or initials and tells namesakes
apart, and the form still refuses a deputy outside the candidates."""

from django.urls import reverse

from suggestions.models import Suggestion
from tests import factories as f
from tests.querycount import count_queries

NEW = reverse("suggestions:new")
SEARCH = reverse("suggestions:deputy_search")


def _names(response) -> list[tuple[str, str]]:
    return [(row["label"], row["detail"]) for row in response.json()["results"]]


def test_the_form_page_carries_only_the_chosen_deputies(client_for, world):
    for n in range(30):
        f.make_deputy(world.home_a2, name=f"候选代表{n:02d}")
    html = client_for("deputy").get(NEW).content.decode()
    assert "候选代表" not in html
    assert f'data-picker-source="{SEARCH}?level=county"' in html


def test_the_source_finds_deputies_by_name_pinyin_and_initials_with_their_station(
    client_for, world
):
    f.make_deputy(world.home_a2, name="李玲")
    f.make_deputy(world.home_b1, name="李玲江")  # another county: never a co-signer
    client = client_for("deputy")
    expected = [("李玲", f"{world.home_a2.name} · {world.a2.name}")]
    for query in ("李玲", "liling"):
        assert _names(client.get(SEARCH, {"q": query})) == expected, query
    # Initials match more names (李联络 is "lll"); the deputy is among them, never 李玲江.
    by_initials = _names(client.get(SEARCH, {"q": "ll"}))
    assert expected[0] in by_initials and all(label != "李玲江" for label, _ in by_initials)
    assert client.get(SEARCH, {"q": ""}).json() == {"results": []}


def test_namesakes_are_told_apart_by_their_station(client_for, world):
    f.make_deputy(world.home_a1, name="王芳")
    f.make_deputy(world.home_a2, name="王芳")
    details = sorted(detail for _, detail in _names(client_for("staff").get(SEARCH, {"q": "王芳"})))
    assert details == sorted(
        [f"{world.home_a1.name} · {world.a1.name}", f"{world.home_a2.name} · {world.a2.name}"]
    )


def test_the_source_answers_in_a_fixed_number_of_queries(client_for, world):
    client = client_for("deputy")
    f.make_deputy(world.home_a2, name="张一")
    few = count_queries(client, SEARCH + "?q=zhang")
    for n in range(15):
        f.make_deputy(world.home_a2, name=f"张{n}号")
    assert count_queries(client, SEARCH + "?q=zhang") == few


def test_roles_that_do_not_draft_get_no_answer(client_for):
    for role in ("member", "keeper", "unit"):
        assert client_for(role).get(SEARCH, {"q": "张"}).status_code == 403, role


def test_the_form_refuses_a_deputy_outside_the_candidates(client_for, world):
    response = client_for("deputy").post(
        NEW,
        {
            "title": "修缮村道",
            "content": "建议修缮",
            "category": "roads",
            "co_signers": [world.deputy_b1.pk],
        },
    )
    assert response.status_code == 200 and not Suggestion.objects.exists()
    assert "co_signers" in response.context["form"].errors
