"""A suggestion belongs to a congress (issue 20): the lead deputy holds a mandate there, the
联名代表 come from the same congress, the township's staff keep a township congress's
suggestions and the county's staff the county's, township suggestions go to the township's
bodies, and statistics, lists and the API filter by congress."""

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from accounts.models import Role
from core.errors import DomainError
from core.models import Notification
from directory.models import Level, Mandate
from stations.models import Opinion
from suggestions import selectors, services
from suggestions.models import Suggestion
from tests import factories as f
from tests.querycount import count_queries

S = Suggestion.Status
C = Suggestion.Congress
SEARCH = reverse("suggestions:deputy_search")


@pytest.fixture
def township(world):
    """Township deputies of A1 (one is world.deputy_a1_liaison), one of A2, a deputy login for
    the A1 township deputy, and A1's government."""
    return {
        "a1_other": f.make_deputy(world.home_a1, name="周乡一", level=Level.TOWNSHIP),
        "a2": f.make_deputy(world.home_a2, name="吴乡二", level=Level.TOWNSHIP),
        "user": f.make_user(Role.DEPUTY, "t_township_deputy", deputy=world.deputy_a1_liaison),
        "government": f.make_unit(world.county_a, f"{world.a1.name}人民政府", township=world.a1),
        "a2_government": f.make_unit(world.county_a, f"{world.a2.name}人民政府", township=world.a2),
    }


def draft(user, lead, level, co_signers=(), title="关于修缮村道的建议"):
    return services.suggestion_create(
        user=user,
        lead_deputy=lead,
        title=title,
        content="雨天泥泞,出行困难。",
        category="roads",
        co_signers=list(co_signers),
        congress_level=level,
    )


def at_status(suggestion, status, **fields):
    Suggestion.objects.filter(pk=suggestion.pk).update(status=status, **fields)
    suggestion.refresh_from_db()
    return suggestion


# The lead deputy and the co-signers ------------------------------------------------------------


def test_a_county_suggestion_is_led_and_co_signed_by_county_deputies(world, users):
    suggestion = draft(users["deputy"], world.deputy_a1, C.COUNTY, [world.deputy_a2])
    assert (suggestion.congress_level, suggestion.congress_id) == (C.COUNTY, world.county_a.pk)
    assert list(suggestion.co_signers.all()) == [world.deputy_a2]


def test_a_township_suggestion_belongs_to_the_lead_deputys_township(world, users, township):
    suggestion = draft(
        township["user"], world.deputy_a1_liaison, C.TOWNSHIP, [township["a1_other"]]
    )
    assert (suggestion.congress_level, suggestion.congress_id) == (C.TOWNSHIP, world.a1.pk)


@pytest.mark.parametrize(
    ("lead", "level", "message"),
    [
        ("deputy_a1_liaison", C.COUNTY, "不是县人民代表大会代表"),
        ("deputy_a1", C.TOWNSHIP, "不是乡镇人民代表大会代表"),
    ],
)
def test_the_lead_deputy_must_hold_a_mandate_of_that_congress(world, users, lead, level, message):
    before = Suggestion.objects.count()
    with pytest.raises(DomainError, match=message):
        draft(users["admin"], getattr(world, lead), level)
    assert Suggestion.objects.count() == before


def test_co_signers_of_another_congress_are_refused_by_name(world, users, township):
    cases = [
        # A county suggestion: a township-only deputy, a deputy of another county.
        (users["deputy"], world.deputy_a1, C.COUNTY, world.deputy_a1_liaison),
        (users["deputy"], world.deputy_a1, C.COUNTY, world.deputy_b1),
        # A township suggestion: another township's deputy, a county-only deputy.
        (township["user"], world.deputy_a1_liaison, C.TOWNSHIP, township["a2"]),
        (township["user"], world.deputy_a1_liaison, C.TOWNSHIP, world.deputy_a1),
    ]
    before = Suggestion.objects.count()
    for user, lead, level, outsider in cases:
        with pytest.raises(DomainError) as refused:
            draft(user, lead, level, [outsider])
        assert refused.value.field == "co_signers"
        assert "联名代表须是同一人大的代表" in refused.value.message
        assert outsider.name in refused.value.message
    assert Suggestion.objects.count() == before


def test_the_picker_offers_only_deputies_of_the_drafts_congress(client_for, world, township):
    client = client_for("deputy")
    county = {r["label"] for r in client.get(SEARCH, {"q": "王"}).json()["results"]}
    assert county == {world.deputy_a2.name}  # a county deputy of county A; never 吴乡二
    assert not client.get(SEARCH, {"q": "周"}).json()["results"]  # a township-only deputy
    township_client = Client()
    township_client.force_login(township["user"])
    found = {
        r["label"]
        for q in ("周", "吴", "王", "张")
        for r in township_client.get(SEARCH, {"q": q, "level": C.TOWNSHIP}).json()["results"]
    }
    assert found == {township["a1_other"].name}


def test_the_picker_answers_in_a_fixed_number_of_queries(client_for, world, township):
    client = Client()
    client.force_login(township["user"])
    url = f"{SEARCH}?level=township&q=zhou"
    few = count_queries(client, url)
    for n in range(12):
        f.make_deputy(world.home_a1, name=f"周{n}号", level=Level.TOWNSHIP)
    assert count_queries(client, url) == few


def test_the_draft_form_names_the_congress_and_refuses_an_outside_co_signer(
    client_for, world, township
):
    client = client_for("deputy")
    page = client.get(reverse("suggestions:new")).content.decode()
    assert "县人民代表大会" in page
    assert f'data-picker-source="{SEARCH}?level=county"' in page
    response = client.post(
        reverse("suggestions:new"),
        {
            "title": "关于修缮村道的建议",
            "content": "雨天泥泞。",
            "category": "roads",
            "co_signers": [world.deputy_a1_liaison.pk],
        },
    )
    assert response.status_code == 200
    assert "联名代表须是同一人大的代表" in response.content.decode()
    assert not Suggestion.objects.exists()


def test_a_deputy_of_both_congresses_chooses_the_congress(client_for, world, township, users):
    Mandate.objects.create(
        deputy=world.deputy_a1, level=Level.TOWNSHIP, term=18, constituency="第2选区"
    )
    client = client_for("deputy")
    assert "?level=township" in client.get(reverse("suggestions:new")).content.decode()
    response = client.post(
        reverse("suggestions:new") + "?level=township",
        {
            "title": "关于修缮村道的建议",
            "content": "雨天泥泞。",
            "category": "roads",
            "co_signers": [township["a1_other"].pk],
        },
    )
    assert response.status_code == 302
    suggestion = Suggestion.objects.get()
    assert (suggestion.congress_level, suggestion.congress_id) == (C.TOWNSHIP, world.a1.pk)


# Who keeps which congress's suggestions ---------------------------------------------------------


@pytest.fixture
def three(world, users, township):
    """A county suggestion led by a deputy stationed in A1, a township suggestion of A1 and one
    of A2, each submitted."""
    a2_lead = township["a2"]
    return {
        "county": at_status(draft(users["admin"], world.deputy_a1, C.COUNTY), S.SUBMITTED),
        "a1": at_status(draft(users["admin"], world.deputy_a1_liaison, C.TOWNSHIP), S.SUBMITTED),
        "a2": at_status(draft(users["admin"], a2_lead, C.TOWNSHIP), S.SUBMITTED),
    }


def _detail(suggestion) -> str:
    return reverse("suggestions:detail", args=[suggestion.pk])


def test_township_staff_see_and_keep_only_their_townships_suggestions(client_for, three):
    client = client_for("township")
    assert client.get(_detail(three["a1"])).status_code == 200
    assert client.get(_detail(three["a2"])).status_code == 404
    assert client.get(_detail(three["county"])).status_code == 404
    for name in ("a2", "county"):
        url = reverse("suggestions:register", args=[three[name].pk])
        assert client.post(url, {"version": three[name].version}).status_code == 404
    url = reverse("suggestions:register", args=[three["a1"].pk])
    assert client.post(url, {"version": three["a1"].version}).status_code == 302
    three["a1"].refresh_from_db()
    assert three["a1"].status == S.REGISTERED and three["a1"].number
    listed = client.get(reverse("suggestions:list")).context["page"]
    assert [s.pk for s in listed] == [three["a1"].pk]


def test_county_staff_read_a_township_suggestion_but_do_not_keep_it(client_for, three):
    client = client_for("staff")
    a1 = three["a1"]
    assert client.get(reverse("suggestions:detail", args=[a1.pk])).status_code == 200
    url = reverse("suggestions:register", args=[a1.pk])
    assert client.post(url, {"version": a1.version}).status_code == 403
    url = reverse("suggestions:register", args=[three["county"].pk])
    assert client.post(url, {"version": three["county"].version}).status_code == 302


def test_each_congress_numbers_its_own_suggestions(users, three):
    county = services.suggestion_register(
        user=users["staff"], suggestion=three["county"], version=three["county"].version
    )
    a1 = services.suggestion_register(
        user=users["township"], suggestion=three["a1"], version=three["a1"].version
    )
    assert county.number == a1.number  # both the first of the year, in their own congress


def test_a_township_suggestion_goes_to_the_townships_bodies(world, users, township, three):
    a1 = services.suggestion_register(
        user=users["township"], suggestion=three["a1"], version=three["a1"].version
    )
    assert list(selectors.assignable_units(a1)) == [township["government"]]
    # A unit's name is not its township: a county body named after the town is not the town's.
    f.make_unit(world.county_a, f"{world.a1.name}供电所")
    assert list(selectors.assignable_units(a1)) == [township["government"]]
    for unit in (world.unit_a, township["a2_government"]):
        with pytest.raises(DomainError, match="只能交本乡镇人民政府及其所属单位办理"):
            services.suggestion_assign(
                user=users["township"], suggestion=a1, version=a1.version, lead_unit=unit
            )
    assigned = services.suggestion_assign(
        user=users["township"],
        suggestion=a1,
        version=a1.version,
        lead_unit=township["government"],
        key_supervision=True,
        supervising_leader=users["township"],
    )
    assert assigned.status == S.ASSIGNED
    assert list(selectors.supervising_leaders(a1)) == [users["township"]]


def test_the_outsider_township_is_refused_everywhere(client_for, three):
    client = client_for("outsider")  # staff of A2
    assert client.get(reverse("suggestions:detail", args=[three["a1"].pk])).status_code == 404
    url = reverse("suggestions:not_register", args=[three["a1"].pk])
    assert client.post(url, {"version": 1, "reason": "x"}).status_code == 404


# Statistics, the list and the API per congress ---------------------------------------------------


def test_statistics_are_per_congress(client_for, three):
    url = reverse("suggestions:statistics")
    year = timezone.localdate().year
    Suggestion.objects.update(submitted_at=timezone.now())
    staff = client_for("staff")

    def totals(client, **query):
        response = client.get(url, {"year": year, **query})
        return response.context["statistics"].totals.total

    assert totals(staff) == 3
    assert totals(staff, congress_level=C.COUNTY) == 1
    assert totals(staff, congress_level=C.TOWNSHIP) == 2
    assert totals(staff, congress=three["a2"].congress_id) == 1
    assert totals(client_for("township")) == 1  # their township's congress only
    api = staff.get(
        reverse("suggestion-statistics-list"), {"year": year, "congress_level": C.TOWNSHIP}
    )
    assert api.json()["totals"]["total"] == 2


def test_the_statistics_page_runs_a_fixed_number_of_queries(client_for, world, users, township):
    client = client_for("staff")
    url = reverse("suggestions:statistics") + "?congress_level=township"
    draft(users["admin"], world.deputy_a1_liaison, C.TOWNSHIP)
    few = count_queries(client, url)
    for n in range(8):
        draft(users["admin"], world.deputy_a1_liaison, C.TOWNSHIP, title=f"建议{n}")
    assert count_queries(client, url) == few


def test_the_list_and_the_api_filter_by_congress(client_for, three):
    client = client_for("staff")
    listed = client.get(reverse("suggestions:list"), {"congress_level": C.TOWNSHIP})
    assert {s.pk for s in listed.context["page"]} == {three["a1"].pk, three["a2"].pk}
    listed = client.get(reverse("suggestions:list"), {"congress": three["a1"].congress_id})
    assert [s.pk for s in listed.context["page"]] == [three["a1"].pk]
    api = client.get(reverse("suggestion-list"), {"congress_level": C.COUNTY}).json()
    rows = api["results"] if isinstance(api, dict) else api
    assert [row["id"] for row in rows] == [three["county"].pk]


def test_the_list_runs_a_fixed_number_of_queries(client_for, world, users, township):
    client = client_for("staff")
    url = reverse("suggestions:list") + "?congress_level=township"
    draft(users["admin"], world.deputy_a1_liaison, C.TOWNSHIP)
    few = count_queries(client, url)
    for n in range(8):
        draft(users["admin"], township["a2"], C.TOWNSHIP, title=f"建议{n}")
    assert count_queries(client, url) == few


# 不作为代表建议处理 -----------------------------------------------------------------------------


def test_not_registered_is_kept_as_an_opinion_for_reference(world, users, three):
    deputy_user = users["deputy"]
    county = three["county"]
    done = services.suggestion_not_register(
        user=users["staff"], suggestion=county, version=county.version, reason="属于个人诉求"
    )
    assert done.status == S.NOT_REGISTERED
    assert done.get_status_display() == "不作为代表建议处理(转为参考意见)"
    assert done.not_registered_reason == "属于个人诉求" and not done.number
    note = Notification.objects.get(recipient=deputy_user, kind="suggestion_not_registered")
    assert "转为参考意见" in note.body and "属于个人诉求" in note.body


def test_converting_makes_an_opinion_at_the_lead_deputys_station(world, users, three):
    county = three["county"]
    opinion = services.suggestion_convert_to_opinion(
        user=users["staff"], suggestion=county, version=county.version, reason="具体群众诉求"
    )
    county.refresh_from_db()
    assert county.status == S.CONVERTED
    assert county.get_status_display() == "不作为代表建议处理(转为群众意见)"
    assert county.converted_opinion == opinion
    assert county.not_registered_reason == "具体群众诉求"
    assert (opinion.station, opinion.status) == (world.home_a1, Opinion.Status.RECEIVED)
    assert Notification.objects.filter(
        recipient=users["deputy"], kind="suggestion_not_registered"
    ).exists()


def test_not_registering_without_a_reason_saves_nothing(users, three):
    county = three["county"]
    for perform in (services.suggestion_not_register, services.suggestion_convert_to_opinion):
        with pytest.raises(DomainError, match="请说明不作为代表建议处理的理由"):
            perform(user=users["staff"], suggestion=county, version=county.version, reason=" ")
    county.refresh_from_db()
    assert county.status == S.SUBMITTED and not Opinion.objects.exists()


def test_the_detail_page_uses_the_wording_of_deputies_suggestions(client_for, three):
    page = client_for("staff").get(reverse("suggestions:detail", args=[three["county"].pk]))
    html = page.content.decode()
    assert "不作为代表建议处理,转为参考意见" in html and "不作为代表建议处理,转为群众意见" in html
    assert "立案" not in html and "不予" not in html
    assert "县人民代表大会" in html
