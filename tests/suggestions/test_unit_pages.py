"""The handling unit's workspace: accept, progress report, reply, extension request."""

import datetime

import pytest
from django.contrib.messages import get_messages
from django.urls import reverse
from django.utils import timezone

from suggestions import services as s
from suggestions.models import (
    Assignment,
    DeadlineExtension,
    ProgressReport,
    Reply,
    ReplyCategory,
    Suggestion,
)
from tests import factories as f
from tests.querycount import count_queries

TODAY = timezone.localdate()


def fresh(suggestion) -> Suggestion:
    return Suggestion.objects.get(pk=suggestion.pk)


def assigned_to(users, world, unit, title="关于硬化三组村道的建议") -> Suggestion:
    sug = s.suggestion_create(
        user=users["staff"], lead_deputy=world.deputy_a1, title=title, content="x", category="roads"
    )
    s.public_meeting_add(
        user=users["staff"], suggestion=sug, date=TODAY, place="院坝", people_met=3, summary="x"
    )
    sug = s.suggestion_submit(user=users["staff"], suggestion=sug, version=sug.version)
    sug = s.suggestion_register(user=users["staff"], suggestion=sug, version=sug.version)
    return s.suggestion_assign(
        user=users["staff"], suggestion=sug, version=sug.version, lead_unit=unit
    )


@pytest.fixture
def assigned(users, world):
    return assigned_to(users, world, world.unit_a)


def reply_data(suggestion) -> dict:
    return {
        "version": fresh(suggestion).version,
        "category": ReplyCategory.objects.get(code="A").pk,
        "text": "已列入计划并完工。",
    }


def test_the_unit_accepts_reports_progress_and_replies(client_for, assigned):
    client = client_for("unit")
    workspace = client.get(reverse("suggestions:unit_workspace"))
    assert workspace.status_code == 200 and assigned.title in workspace.content.decode()

    response = client.post(
        reverse("suggestions:accept", args=[assigned.pk]), {"version": assigned.version}
    )
    assert response.status_code == 302
    assert fresh(assigned).status == Suggestion.Status.IN_HANDLING

    url = reverse("suggestions:progress_add", args=[assigned.pk])
    assert client.get(url).status_code == 200
    client.post(
        url, {"date": TODAY.isoformat(), "place": "村委会", "attendance": 20, "feedback": "认可"}
    )
    assert ProgressReport.objects.filter(suggestion=assigned, round=1).count() == 1

    page = client.get(reverse("suggestions:reply", args=[assigned.pk]))
    assert "未向群众汇报" not in page.content.decode()
    response = client.post(reverse("suggestions:reply", args=[assigned.pk]), reply_data(assigned))
    assert response.status_code == 302
    assert fresh(assigned).status == Suggestion.Status.REPLIED
    assert Reply.objects.get(suggestion=assigned).without_progress_report is False


def test_a_reply_without_progress_report_warns_and_is_flagged(client_for, assigned):
    client = client_for("unit")
    url = reverse("suggestions:reply", args=[assigned.pk])
    assert "未向群众汇报" in client.get(url).content.decode()
    client.post(url, reply_data(assigned))
    assert Reply.objects.get(suggestion=assigned).without_progress_report is True


def test_a_reply_with_a_stale_version_is_a_conflict_and_nothing_saved(client_for, assigned):
    data = reply_data(assigned) | {"version": assigned.version - 1}
    response = client_for("unit").post(reverse("suggestions:reply", args=[assigned.pk]), data)
    assert "刚被其他人修改过" in response.content.decode()
    assert not Reply.objects.exists()
    assert fresh(assigned).status == Suggestion.Status.ASSIGNED


def test_an_empty_reply_is_refused(client_for, assigned):
    data = reply_data(assigned) | {"text": " "}
    response = client_for("unit").post(reverse("suggestions:reply", args=[assigned.pk]), data)
    assert response.status_code == 200
    assert not Reply.objects.exists()


def test_accept_twice_shows_the_refusal(client_for, assigned):
    client = client_for("unit")
    url = reverse("suggestions:accept", args=[assigned.pk])
    client.post(url, {"version": assigned.version})
    response = client.post(url, {"version": fresh(assigned).version})
    messages = [str(m) for m in get_messages(response.wsgi_request)]
    assert any("不能开始办理" in m for m in messages)


def test_extension_request(client_for, assigned):
    url = reverse("suggestions:extension_request", args=[assigned.pk])
    client = client_for("unit")
    assert client.get(url).status_code == 200
    later = assigned.deadline + datetime.timedelta(days=30)
    response = client.post(url, {"requested_deadline": later.isoformat(), "reason": "雨季施工"})
    assert response.status_code == 302
    extension = DeadlineExtension.objects.get(suggestion=assigned)
    assert extension.requested_deadline == later
    assert fresh(assigned).deadline == assigned.deadline  # unchanged until approved


def test_an_extension_earlier_than_the_deadline_is_refused(client_for, assigned):
    url = reverse("suggestions:extension_request", args=[assigned.pk])
    response = client_for("unit").post(
        url, {"requested_deadline": assigned.deadline.isoformat(), "reason": "x"}
    )
    assert "延期后的期限应晚于现在的期限。" in response.content.decode()
    assert not DeadlineExtension.objects.exists()


def test_a_co_handling_unit_may_not_reply(client_for, users, world):
    lead = f.make_unit(world.county_a, "甲县水务局")
    sug = s.suggestion_create(
        user=users["staff"],
        lead_deputy=world.deputy_a1,
        title="协办的",
        content="x",
        category="water",
    )
    s.public_meeting_add(
        user=users["staff"], suggestion=sug, date=TODAY, place="x", people_met=1, summary="x"
    )
    sug = s.suggestion_submit(user=users["staff"], suggestion=sug, version=sug.version)
    sug = s.suggestion_register(user=users["staff"], suggestion=sug, version=sug.version)
    sug = s.suggestion_assign(
        user=users["staff"],
        suggestion=sug,
        version=sug.version,
        lead_unit=lead,
        co_units=[world.unit_a],
    )
    response = client_for("unit").post(reverse("suggestions:reply", args=[sug.pk]), reply_data(sug))
    assert "只有主办单位可以答复。" in response.content.decode()
    assert not Reply.objects.exists()


def test_the_deadline_is_red_when_less_than_seven_days_are_left(client_for, assigned):
    Assignment.objects.filter(suggestion=assigned).update(
        deadline=TODAY + datetime.timedelta(days=3)
    )
    body = client_for("unit").get(reverse("suggestions:unit_workspace")).content.decode()
    assert "text-danger" in body and "剩余 3 天" in body


@pytest.mark.parametrize(
    "role", ["admin", "staff", "member", "township", "keeper", "deputy", "outsider"]
)
def test_the_workspace_is_for_handling_units_only(client_for, role):
    assert client_for(role).get(reverse("suggestions:unit_workspace")).status_code == 403


def test_a_deputy_may_not_use_the_unit_forms(client_for, assigned):
    client = client_for("deputy")
    for name in ("progress_add", "reply", "extension_request"):
        assert client.get(reverse(f"suggestions:{name}", args=[assigned.pk])).status_code == 403


def test_another_units_suggestion_is_404(client_for, users, world):
    other_unit = f.make_unit(world.county_a, "甲县教育局")
    other = assigned_to(users, world, other_unit, title="别的单位的")
    client = client_for("unit")
    for name in ("progress_add", "reply", "extension_request"):
        assert client.get(reverse(f"suggestions:{name}", args=[other.pk])).status_code == 404
    response = client.post(
        reverse("suggestions:accept", args=[other.pk]), {"version": other.version}
    )
    assert response.status_code == 404
    assert "别的单位的" not in client.get(reverse("suggestions:unit_workspace")).content.decode()


def _grow(users, world, n: int) -> None:
    for i in range(n):
        sug = Suggestion.objects.create(
            title=f"建议{i}",
            content="x",
            category="other",
            county=world.county_a,
            lead_deputy=world.deputy_a1,
            created_by=users["staff"],
            status=Suggestion.Status.ASSIGNED,
            deadline=TODAY + datetime.timedelta(days=i),
        )
        Assignment.objects.create(
            suggestion=sug,
            unit=world.unit_a,
            role=Assignment.Role.LEAD if i % 2 else Assignment.Role.CO,
            round=1,
            assigned_on=TODAY,
            deadline=TODAY + datetime.timedelta(days=i - 3),
        )


def test_workspace_query_count_does_not_grow_with_data(client_for, users, world):
    client = client_for("unit")
    url = reverse("suggestions:unit_workspace")
    _grow(users, world, 4)
    before = count_queries(client, url)
    _grow(users, world, 12)
    assert count_queries(client, url) == before


def test_the_workspace_shows_open_work_first_and_answered_work_apart(client_for, users, world):
    open_one = assigned_to(users, world, world.unit_a, title="待办的建议")
    done = assigned_to(users, world, world.unit_a, title="已答复的建议")
    Suggestion.objects.filter(pk=done.pk).update(status=Suggestion.Status.CLOSED)
    Assignment.objects.filter(suggestion=done).update(deadline=TODAY - datetime.timedelta(days=200))
    client = client_for("unit")
    todo = client.get(reverse("suggestions:unit_workspace")).content.decode()
    assert open_one.title in todo and done.title not in todo and "待办 1" in todo
    answered = client.get(reverse("suggestions:unit_workspace"), {"show": "done"}).content.decode()
    assert done.title in answered and open_one.title not in answered
    assert "已超期" not in answered and "已答复 1" in answered
