"""The deputy's suggestion pages and the public's one-time evaluation page."""

import datetime
import re

import pytest
from django.contrib.messages import get_messages
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from stations.models import Opinion
from stations.services.opinions import opinion_create
from suggestions import services as s
from suggestions.models import (
    Evaluation,
    EvaluationCode,
    PublicMeeting,
    ReplyCategory,
    Suggestion,
)
from tests.querycount import count_queries

TODAY = timezone.localdate()


def messages_of(response) -> list[str]:
    return [str(m) for m in get_messages(response.wsgi_request)]


def fresh(suggestion) -> Suggestion:
    return Suggestion.objects.get(pk=suggestion.pk)


@pytest.fixture
def draft(users, world):
    return s.suggestion_create(
        user=users["deputy"],
        lead_deputy=world.deputy_a1,
        title="关于硬化三组村道的建议",
        content="三组村道雨天泥泞。",
        category="roads",
    )


def reply_to(users, world, suggestion) -> Suggestion:
    """Staff register and assign, the unit replies (through the services)."""
    sug = s.suggestion_register(
        user=users["staff"], suggestion=suggestion, version=suggestion.version
    )
    sug = s.suggestion_assign(
        user=users["staff"], suggestion=sug, version=sug.version, lead_unit=world.unit_a
    )
    s.progress_report_add(
        user=users["unit"],
        suggestion=sug,
        date=TODAY,
        place="村委会",
        attendance=12,
        feedback="认可",
    )
    s.suggestion_reply(
        user=users["unit"],
        suggestion=sug,
        version=sug.version,
        category=ReplyCategory.objects.get(code="A"),
        text="已硬化完工。",
    )
    return fresh(sug)


@pytest.fixture
def replied(users, world, draft):
    s.public_meeting_add(
        user=users["deputy"],
        suggestion=draft,
        date=TODAY,
        place="院坝",
        people_met=5,
        summary="盼修路",
    )
    sug = s.suggestion_submit(user=users["deputy"], suggestion=draft, version=draft.version)
    return reply_to(users, world, sug)


def test_deputy_drafts_meets_the_public_and_submits(client_for, world):
    client = client_for("deputy")
    assert client.get(reverse("suggestions:new")).status_code == 200
    response = client.post(
        reverse("suggestions:new"),
        {
            "title": "关于整治河道的建议",
            "content": "河道淤塞,汛期易涝。",
            "category": "environment",
            "co_signers": [world.deputy_a2.pk],
        },
    )
    sug = Suggestion.objects.get(title="关于整治河道的建议")
    assert response.status_code == 302
    assert response["Location"] == reverse("suggestions:detail", args=[sug.pk])
    assert sug.lead_deputy == world.deputy_a1 and sug.status == Suggestion.Status.DRAFT
    assert list(sug.co_signers.all()) == [world.deputy_a2]

    url = reverse("suggestions:meeting_add", args=[sug.pk])
    assert client.get(url).status_code == 200
    response = client.post(
        url, {"date": TODAY.isoformat(), "place": "河边", "people_met": 8, "summary": "希望清淤"}
    )
    assert response.status_code == 302
    assert sug.public_meetings.count() == 1

    response = client.post(reverse("suggestions:submit", args=[sug.pk]), {"version": sug.version})
    assert response.status_code == 302
    assert fresh(sug).status == Suggestion.Status.SUBMITTED


def test_draft_links_the_stations_opinions_only(client_for, users, world):
    def opinion(station, content):
        return opinion_create(
            user=users["staff"],
            channel=Opinion.Channel.VISIT,
            township=station.township,
            station=station,
            category="roads",
            content=content,
        )

    own = opinion(world.home_a1, "村道坑洼")
    other = opinion(world.home_a2, "别处的意见")
    client = client_for("deputy")
    url = reverse("suggestions:new") + f"?opinions={own.pk},{other.pk}"
    page = client.get(url)
    assert "村道坑洼" in page.content.decode() and "别处的意见" not in page.content.decode()
    client.post(url, {"title": "来自意见", "content": "村道坑洼", "category": "roads"})
    assert list(Suggestion.objects.get(title="来自意见").from_opinions.all()) == [own]


def test_staff_drafts_for_a_chosen_lead_deputy(client_for, world):
    response = client_for("staff").post(
        reverse("suggestions:new"),
        {
            "lead_deputy": world.deputy_a2.pk,
            "title": "代录建议",
            "content": "内容",
            "category": "other",
        },
    )
    assert response.status_code == 302
    assert Suggestion.objects.get(title="代录建议").lead_deputy == world.deputy_a2


def test_draft_without_title_is_refused_and_nothing_saved(client_for):
    response = client_for("deputy").post(
        reverse("suggestions:new"), {"title": "", "content": "x", "category": "roads"}
    )
    assert response.status_code == 200
    assert not Suggestion.objects.exists()


def test_meeting_in_the_future_shows_the_message(client_for, draft):
    tomorrow = TODAY + datetime.timedelta(days=1)
    response = client_for("deputy").post(
        reverse("suggestions:meeting_add", args=[draft.pk]),
        {"date": tomorrow.isoformat(), "place": "院坝", "people_met": 3, "summary": "x"},
    )
    assert "见面日期不能晚于今天。" in response.content.decode()
    assert not PublicMeeting.objects.exists()


def test_submit_without_a_public_meeting_is_refused_with_the_message(client_for, draft):
    response = client_for("deputy").post(
        reverse("suggestions:submit", args=[draft.pk]), {"version": draft.version}
    )
    assert response.status_code == 302
    assert "提交前请先登记与群众见面的情况(三见面之一)。" in messages_of(response)
    assert fresh(draft).status == Suggestion.Status.DRAFT


def test_submit_with_a_stale_version_is_a_conflict_and_nothing_changes(client_for, users, draft):
    s.public_meeting_add(
        user=users["deputy"], suggestion=draft, date=TODAY, place="院坝", people_met=5, summary="x"
    )
    response = client_for("deputy").post(
        reverse("suggestions:submit", args=[draft.pk]), {"version": draft.version + 5}
    )
    assert any("刚被其他人修改过" in m for m in messages_of(response))
    assert fresh(draft).status == Suggestion.Status.DRAFT


def test_deputy_evaluates_satisfied(client_for, replied):
    client = client_for("deputy")
    url = reverse("suggestions:deputy_evaluation", args=[replied.pk])
    page = client.get(url)
    assert page.status_code == 200 and "已硬化完工。" in page.content.decode()
    response = client.post(url, {"version": replied.version, "result": "satisfied", "comment": ""})
    assert response.status_code == 302
    assert fresh(replied).status == Suggestion.Status.EVALUATED


def test_unsatisfied_evaluation_sends_it_back_for_round_two(client_for, replied):
    response = client_for("deputy").post(
        reverse("suggestions:deputy_evaluation", args=[replied.pk]),
        {"version": replied.version, "result": "unsatisfied", "comment": "路面已开裂"},
    )
    sug = fresh(replied)
    assert sug.status == Suggestion.Status.IN_HANDLING and sug.round == 2
    assert any("重新办理(第2轮)" in m for m in messages_of(response))


def test_evaluation_with_a_stale_version_changes_nothing(client_for, replied):
    response = client_for("deputy").post(
        reverse("suggestions:deputy_evaluation", args=[replied.pk]),
        {"version": replied.version - 1, "result": "satisfied"},
    )
    assert "刚被其他人修改过" in response.content.decode()
    assert fresh(replied).status == Suggestion.Status.REPLIED
    assert not Evaluation.objects.exists()


def test_a_public_person_evaluates_once_and_a_guess_gets_the_same_refusal(client_for, replied):
    response = client_for("deputy").post(
        reverse("suggestions:codes", args=[replied.pk]), {"count": 2}
    )
    codes = list(EvaluationCode.objects.values_list("code", flat=True))
    assert len(codes) == 2 and f"/suggestions/evaluate/{codes[0]}/" in response.content.decode()

    anonymous = Client()
    url = reverse("suggestions:public_evaluation", args=[codes[0]])
    page = anonymous.get(url)
    body = page.content.decode()
    assert page.status_code == 200 and replied.title in body and "已硬化完工。" in body
    assert "张甲一" not in body  # no personal data
    assert anonymous.post(url, {"result": "satisfied", "comment": "好"}).status_code == 200
    assert Evaluation.objects.filter(kind=Evaluation.Kind.PUBLIC).count() == 1

    used = anonymous.post(url, {"result": "unsatisfied"})
    guessed = anonymous.get(reverse("suggestions:public_evaluation", args=["guessed-code"]))
    used_get = anonymous.get(url)
    assert used.status_code == guessed.status_code == used_get.status_code == 404
    assert used.content == guessed.content == used_get.content
    assert "测评码无效或已经使用过。" in guessed.content.decode()
    assert replied.title not in guessed.content.decode()
    assert Evaluation.objects.filter(kind=Evaluation.Kind.PUBLIC).count() == 1


def test_codes_before_the_reply_are_refused(client_for, draft):
    response = client_for("deputy").post(
        reverse("suggestions:codes", args=[draft.pk]), {"count": 3}
    )
    assert "建议答复后才能组织测评。" in response.content.decode()
    assert not EvaluationCode.objects.exists()


def test_mine_lists_led_and_cosigned_suggestions_with_the_next_step(client_for, users, world):
    s.suggestion_create(
        user=users["deputy"],
        lead_deputy=world.deputy_a1,
        title="我领衔的",
        content="x",
        category="other",
    )
    s.suggestion_create(
        user=users["staff"],
        lead_deputy=world.deputy_a2,
        title="我联名的",
        content="x",
        category="other",
        co_signers=[world.deputy_a1],
    )
    s.suggestion_create(
        user=users["staff"],
        lead_deputy=world.deputy_a2,
        title="别人的",
        content="x",
        category="other",
    )
    body = client_for("deputy").get(reverse("suggestions:mine")).content.decode()
    assert "我领衔的" in body and "我联名的" in body and "别人的" not in body
    assert "登记与群众见面情况,然后提交" in body and "等待领衔代表提交" in body


@pytest.mark.parametrize("role", ["admin", "staff", "member", "township", "keeper", "unit"])
def test_mine_is_for_deputies_only(client_for, role):
    assert client_for(role).get(reverse("suggestions:mine")).status_code == 403


@pytest.mark.parametrize("role", ["member", "keeper", "unit"])
def test_the_draft_form_is_refused_to_other_roles(client_for, role):
    assert client_for(role).get(reverse("suggestions:new")).status_code == 403


@pytest.mark.parametrize("role", ["township", "outsider"])
def test_township_staff_enter_drafts_of_their_township_congress(client_for, role):
    # The 主席团's office enters a township deputy's suggestion on their behalf.
    page = client_for(role).get(reverse("suggestions:new"))
    assert page.status_code == 200
    assert "乡镇人民代表大会" in page.content.decode()


def test_anonymous_is_sent_to_login(draft):
    response = Client().get(reverse("suggestions:new"))
    assert response.status_code == 302 and "login" in response["Location"]


def test_another_deputys_suggestion_is_404(client_for, users, world):
    other = s.suggestion_create(
        user=users["staff"],
        lead_deputy=world.deputy_a2,
        title="别人的",
        content="x",
        category="other",
    )
    client = client_for("deputy")
    for name in ("meeting_add", "deputy_evaluation", "codes"):
        assert client.get(reverse(f"suggestions:{name}", args=[other.pk])).status_code == 404
    assert (
        client.post(reverse("suggestions:submit", args=[other.pk]), {"version": 1}).status_code
        == 404
    )


def test_a_cosigner_may_see_but_not_act_for_the_lead(client_for, users, world):
    cosigned = s.suggestion_create(
        user=users["staff"],
        lead_deputy=world.deputy_a2,
        title="联名",
        content="x",
        category="other",
        co_signers=[world.deputy_a1],
    )
    url = reverse("suggestions:meeting_add", args=[cosigned.pk])
    assert client_for("deputy").get(url).status_code == 403


def test_a_unit_may_not_use_the_deputys_pages(client_for, draft):
    client = client_for("unit")
    assert client.get(reverse("suggestions:new")).status_code == 403
    assert client.get(reverse("suggestions:meeting_add", args=[draft.pk])).status_code == 403


def _grow_mine(users, world, n: int) -> None:
    for i in range(n):
        sug = Suggestion.objects.create(
            title=f"建议{i}",
            content="x",
            category="other",
            county=world.county_a,
            lead_deputy=world.deputy_a1 if i % 2 else world.deputy_a2,
            created_by=users["staff"],
        )
        if not i % 2:
            sug.co_signers.add(world.deputy_a1)
        else:
            PublicMeeting.objects.create(
                suggestion=sug, date=TODAY, place="x", people_met=1, summary="x"
            )


def test_mine_query_count_does_not_grow_with_data(client_for, users, world):
    client = client_for("deputy")
    url = reverse("suggestions:mine")
    _grow_mine(users, world, 4)
    before = count_queries(client, url)
    _grow_mine(users, world, 12)
    assert count_queries(client, url) == before


def _crumb(html: str) -> tuple[str, str]:
    nav = re.search(r'<nav aria-label="breadcrumb">(.*?)</nav>', html, re.S).group(1)
    return re.search(r'<a href="([^"]+)">([^<]+)</a>', nav).groups()


def test_a_draft_leads_back_to_my_suggestions_not_the_register(client_for, draft):
    """A deputy's suggestion pages lead back to 我的建议 (a deputy sees only what they lead or
    co-sign); staff, who have no 我的建议, to the register, also from the drafting form."""
    client = client_for("deputy")
    detail = client.get(reverse("suggestions:detail", args=[draft.pk])).content.decode()
    assert _crumb(detail) == (reverse("suggestions:mine"), "我的建议")
    assert "关于硬化三组村道" in re.search(r'breadcrumb-item active">([^<]*)<', detail).group(1)
    form = client.get(reverse("suggestions:new")).content.decode()
    assert _crumb(form) == (reverse("suggestions:mine"), "我的建议")
    staff = client_for("staff")
    detail = staff.get(reverse("suggestions:detail", args=[draft.pk]))
    if detail.status_code == 200:  # staff may see a deputy's draft or not; never 我的建议
        assert _crumb(detail.content.decode()) == (reverse("suggestions:list"), "代表建议")
    assert _crumb(staff.get(reverse("suggestions:new")).content.decode()) == (
        reverse("suggestions:list"),
        "代表建议",
    )
