"""The handling unit's side of suggestions (issue 22 §3): the 交办会 with its batch of
assignments, 改办 within the window decided by staff, the unit's contact with the lead deputy
before answering, the reply letter (答复函), 见面率 and the yearly report (Word and Excel)."""

import datetime
import io
import zipfile
from xml.dom import minidom

import openpyxl
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from accounts.models import Role
from core.crypto import is_sealed
from core.errors import DomainError
from core.exports import run_export, start_export
from core.models import ExportJob, Notification
from suggestions import handling
from suggestions import services as s
from suggestions.models import (
    Assignment,
    AssignmentMeeting,
    ReassignRequest,
    Reply,
    ReplyCategory,
    Suggestion,
    SuggestionEvent,
    UnitContact,
)
from suggestions.statistics import suggestion_statistics
from tests import factories as f
from tests.querycount import count_queries

from .builders import TINY_PDF

TODAY = timezone.localdate()


def fresh(suggestion) -> Suggestion:
    return Suggestion.objects.get(pk=suggestion.pk)


def registered(users, world, title="关于硬化三组村道的建议") -> Suggestion:
    sug = s.suggestion_create(
        user=users["staff"], lead_deputy=world.deputy_a1, title=title, content="x", category="roads"
    )
    s.public_meeting_add(
        user=users["staff"], suggestion=sug, date=TODAY, place="院坝", people_met=3, summary="x"
    )
    sug = s.suggestion_submit(user=users["staff"], suggestion=sug, version=sug.version)
    return s.suggestion_register(user=users["staff"], suggestion=sug, version=sug.version)


def assigned(users, world, unit=None, *, on=None, title="关于硬化三组村道的建议") -> Suggestion:
    sug = registered(users, world, title)
    return s.suggestion_assign(
        user=users["staff"],
        suggestion=sug,
        version=sug.version,
        lead_unit=unit or world.unit_a,
        assigned_on=on,
    )


@pytest.fixture
def other_unit(world):
    return f.make_unit(world.county_a, "甲县住房和城乡建设局")


def client_of(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def category_a():
    return ReplyCategory.objects.get(code="A")


# 交办会 ----------------------------------------------------------------------------------------


def test_staff_record_a_meeting_and_assign_a_batch_at_it(client_for, users, world, other_unit):
    first, second = registered(users, world, "一"), registered(users, world, "二")
    client = client_for("staff")
    meeting_day = TODAY - datetime.timedelta(days=3)
    response = client.post(
        reverse("suggestions:meeting_new"),
        {
            "congress": world.county_a.pk,
            "date": meeting_day.isoformat(),
            "place": "县人大常委会第一会议室",
            "chaired_by": "王副主任",
        },
    )
    meeting = AssignmentMeeting.objects.get()
    assert response.status_code == 302 and meeting.congress_level == "county"
    page = client.get(reverse("suggestions:meeting_detail", args=[meeting.pk]))
    assert "一" in page.content.decode()

    response = client.post(
        reverse("suggestions:meeting_detail", args=[meeting.pk]),
        {"suggestions": [first.pk, second.pk], "lead_unit": other_unit.pk},
    )
    assert response.status_code == 302
    rows = Assignment.objects.filter(meeting=meeting)
    assert rows.count() == 2
    assert {a.assigned_on for a in rows} == {meeting_day}
    assert fresh(first).status == Suggestion.Status.ASSIGNED
    listed = client.get(reverse("suggestions:meeting_list")).content.decode()
    assert "王副主任" in listed


def test_a_batch_with_one_suggestion_that_cannot_be_assigned_assigns_none(users, world):
    ok = registered(users, world, "可以交办")
    draft = s.suggestion_create(
        user=users["staff"],
        lead_deputy=world.deputy_a1,
        title="草稿",
        content="x",
        category="roads",
    )
    meeting = handling.meeting_create(
        user=users["staff"], congress=world.county_a, date=TODAY, place="会议室", chaired_by="主任"
    )
    with pytest.raises(DomainError, match="草稿"):
        handling.meeting_assign(
            user=users["staff"], meeting=meeting, suggestions=[ok, draft], lead_unit=world.unit_a
        )
    assert not Assignment.objects.exists()
    assert fresh(ok).status == Suggestion.Status.REGISTERED


def test_a_meeting_in_the_future_or_by_a_unit_is_refused(users, world):
    with pytest.raises(DomainError, match="不能晚于今天"):
        handling.meeting_create(
            user=users["staff"],
            congress=world.county_a,
            date=TODAY + datetime.timedelta(days=1),
            place="会议室",
            chaired_by="主任",
        )
    with pytest.raises(DomainError):
        handling.meeting_create(
            user=users["unit"],
            congress=world.county_a,
            date=TODAY,
            place="会议室",
            chaired_by="主任",
        )
    assert not AssignmentMeeting.objects.exists()


def test_the_meeting_list_keeps_its_query_count(client_for, users, world):
    client = client_for("staff")
    url = reverse("suggestions:meeting_list")
    for n in range(2):
        AssignmentMeeting.objects.create(
            county=world.county_a,
            congress=world.county_a,
            date=TODAY,
            place=f"会议室{n}",
            chaired_by="主任",
            created_by=users["staff"],
        )
    few = count_queries(client, url)
    for n in range(8):
        AssignmentMeeting.objects.create(
            county=world.county_a,
            congress=world.county_a,
            date=TODAY,
            place=f"大会议室{n}",
            chaired_by="主任",
            created_by=users["staff"],
        )
    assert count_queries(client, url) == few


# 改办 ----------------------------------------------------------------------------------------


def test_a_unit_asks_for_reassignment_and_staff_agree(client_for, users, world, other_unit):
    sug = assigned(users, world)
    unit_user = f.make_user(Role.HANDLING_UNIT, "t_unit_housing", handling_unit=other_unit)
    client = client_for("unit")
    url = reverse("suggestions:reassign_request", args=[sug.pk])
    assert client.get(url).status_code == 200
    response = client.post(
        url, {"reason": "村道建设属住建部门职责", "suggested_unit": other_unit.pk}
    )
    assert response.status_code == 302
    request = ReassignRequest.objects.get()
    assert request.status == ReassignRequest.Status.PENDING

    queue = client_for("staff").get(reverse("suggestions:reassign_queue")).content.decode()
    assert "村道建设属住建部门职责" in queue
    response = client_for("staff").post(
        reverse("suggestions:reassign_decide", args=[sug.pk, request.pk]),
        {"version": fresh(sug).version, "decision": "agree"},
    )
    assert response.status_code == 302
    request.refresh_from_db()
    assert request.status == ReassignRequest.Status.AGREED and request.new_unit == other_unit
    lead = Assignment.objects.get(suggestion=sug, role="lead")
    assert lead.unit == other_unit and lead.assigned_on == TODAY
    assert fresh(sug).deadline == s.deadline_for(TODAY, is_complex=False)
    assert SuggestionEvent.objects.filter(suggestion=sug, note__contains="同意改办").exists()
    assert Notification.objects.filter(recipient=users["unit"], kind="suggestion_reassign").exists()
    assert Notification.objects.filter(recipient=unit_user, kind="suggestion_reassign").exists()
    # The new unit answers it; the former one still reads how its request went.
    assert client_of(unit_user).get(reverse("suggestions:unit_workspace")).status_code == 200
    assert client.get(reverse("suggestions:detail", args=[sug.pk])).status_code == 200


def test_staff_refuse_with_a_reason_and_the_unit_keeps_it(users, world, other_unit):
    sug = assigned(users, world)
    request = handling.reassign_request(user=users["unit"], suggestion=sug, reason="不属本单位")
    with pytest.raises(DomainError, match="理由"):
        handling.reassign_decide(
            user=users["staff"], request=request, agree=False, version=fresh(sug).version
        )
    handling.reassign_decide(
        user=users["staff"],
        request=request,
        agree=False,
        version=fresh(sug).version,
        reason="属于本单位职责范围",
    )
    request.refresh_from_db()
    assert request.status == ReassignRequest.Status.REFUSED
    assert Assignment.objects.get(suggestion=sug, role="lead").unit == world.unit_a
    assert Notification.objects.filter(recipient=users["unit"], title__contains="未获同意").exists()


def test_reassignment_after_the_window_is_refused(users, world, settings):
    settings.SUGGESTION_REASSIGN_WINDOW_WORKDAYS = 5
    sug = assigned(users, world, on=TODAY - datetime.timedelta(days=30))
    with pytest.raises(DomainError, match="5个工作日内"):
        handling.reassign_request(user=users["unit"], suggestion=sug, reason="不属本单位")
    assert not ReassignRequest.objects.exists()
    # The window counts working days: a week-end does not use it up.
    assert handling.reassign_window_end(datetime.date(2026, 12, 4)) == datetime.date(2026, 12, 11)


def test_reassignment_after_the_window_shows_the_message_on_the_page(client_for, users, world):
    sug = assigned(users, world, on=TODAY - datetime.timedelta(days=30))
    page = client_for("unit").post(
        reverse("suggestions:reassign_request", args=[sug.pk]), {"reason": "不属本单位"}
    )
    assert page.status_code == 200 and "已超过期限" in page.content.decode()
    assert not ReassignRequest.objects.exists()


def test_a_unit_cannot_decide_and_another_unit_sees_nothing(client_for, users, world, other_unit):
    sug = assigned(users, world)
    request = handling.reassign_request(user=users["unit"], suggestion=sug, reason="不属本单位")
    response = client_for("unit").post(
        reverse("suggestions:reassign_decide", args=[sug.pk, request.pk]),
        {"version": fresh(sug).version, "decision": "agree", "new_unit": other_unit.pk},
    )
    assert response.status_code == 403
    stranger = client_of(f.make_user(Role.HANDLING_UNIT, "t_unit_x", handling_unit=other_unit))
    for name in ("reassign_request", "contact_add", "letter_upload"):
        assert stranger.get(reverse(f"suggestions:{name}", args=[sug.pk])).status_code == 404
    assert fresh(sug).status == Suggestion.Status.ASSIGNED
    with pytest.raises(DomainError):
        handling.reassign_decide(
            user=users["unit"], request=request, agree=True, version=1, new_unit=other_unit
        )


def test_the_reassign_queue_keeps_its_query_count(client_for, users, world):
    client = client_for("staff")
    url = reverse("suggestions:reassign_queue")
    for n in range(2):
        sug = assigned(users, world, title=f"建议{n}")
        request = handling.reassign_request(user=users["unit"], suggestion=sug, reason="不属")
        if n:
            handling.reassign_decide(
                user=users["staff"], request=request, agree=False, version=1, reason="属于"
            )
    few = count_queries(client, url)
    for n in range(6):
        sug = assigned(users, world, title=f"更多建议{n}")
        request = handling.reassign_request(user=users["unit"], suggestion=sug, reason="不属")
        if n % 2:
            handling.reassign_decide(
                user=users["staff"], request=request, agree=False, version=1, reason="属于"
            )
    assert count_queries(client, url) == few


# 沟通 ----------------------------------------------------------------------------------------


def test_the_unit_records_a_contact_and_its_reply_is_not_flagged(client_for, users, world):
    sug = assigned(users, world)
    client = client_for("unit")
    url = reverse("suggestions:contact_add", args=[sug.pk])
    assert client.get(url).status_code == 200
    response = client.post(
        url,
        {
            "kind": "meeting",
            "date": TODAY.isoformat(),
            "participants": "领衔代表、副局长",
            "summary": "到现场察看",
        },
    )
    assert response.status_code == 302 and UnitContact.objects.count() == 1
    reply = s.suggestion_reply(
        user=users["unit"],
        suggestion=fresh(sug),
        version=fresh(sug).version,
        category=category_a(),
        text="已完工",
    )
    assert reply.without_contact is False
    detail = client_for("staff").get(reverse("suggestions:detail", args=[sug.pk])).content
    assert "到现场察看" in detail.decode()


def test_a_reply_without_contact_is_flagged_or_refused_by_the_setting(users, world, settings):
    sug = assigned(users, world)
    settings.SUGGESTION_CONTACT_RULE = "refuse"
    with pytest.raises(DomainError, match="沟通"):
        s.suggestion_reply(
            user=users["unit"], suggestion=sug, version=sug.version, category=category_a(), text="x"
        )
    assert not Reply.objects.exists() and fresh(sug).status == Suggestion.Status.ASSIGNED
    settings.SUGGESTION_CONTACT_RULE = "flag"
    reply = s.suggestion_reply(
        user=users["unit"], suggestion=sug, version=sug.version, category=category_a(), text="x"
    )
    assert reply.without_contact is True


def test_a_contact_in_the_future_is_refused(users, world):
    sug = assigned(users, world)
    with pytest.raises(DomainError, match="不能晚于今天"):
        handling.contact_add(
            user=users["unit"],
            suggestion=sug,
            kind="phone",
            date=TODAY + datetime.timedelta(days=1),
            participants="代表",
            summary="x",
        )
    assert not UnitContact.objects.exists()


# 答复函 --------------------------------------------------------------------------------------


def test_the_reply_letter_is_sealed_and_read_by_the_deputy_staff_and_unit(client_for, users, world):
    sug = assigned(users, world)
    response = client_for("unit").post(
        reverse("suggestions:reply", args=[sug.pk]),
        {
            "version": fresh(sug).version,
            "category": category_a().pk,
            "text": "已完工",
            "letter": SimpleUploadedFile("答复函.pdf", TINY_PDF, content_type="application/pdf"),
        },
    )
    assert response.status_code == 302
    reply = Reply.objects.get(suggestion=sug)
    with reply.letter.open("rb") as stored:
        assert is_sealed(stored.read(16))
    url = reverse("suggestions:letter_download", args=[sug.pk, reply.pk])
    for role in ("deputy", "staff", "unit", "admin"):
        answer = client_for(role).get(url)
        assert answer.status_code == 200, role
        assert b"".join(answer.streaming_content) == TINY_PDF
    for role in ("keeper", "member", "township", "outsider"):
        assert client_for(role).get(url).status_code == 404, role
    page = client_for("deputy").get(reverse("suggestions:detail", args=[sug.pk])).content.decode()
    assert url in page


@pytest.mark.parametrize(
    ("content", "message"), [(b"<html>not a pdf</html>", "PDF"), (TINY_PDF * 50, "文件过大")]
)
def test_a_bad_letter_is_refused_and_nothing_is_saved(
    client_for, users, world, settings, content, message
):
    settings.UPLOAD_MAX_BYTES = 1024
    sug = assigned(users, world)
    page = client_for("unit").post(
        reverse("suggestions:reply", args=[sug.pk]),
        {
            "version": fresh(sug).version,
            "category": category_a().pk,
            "text": "已完工",
            "letter": SimpleUploadedFile("答复函.pdf", content),
        },
    )
    assert page.status_code == 200 and message in page.content.decode()
    assert not Reply.objects.exists() and fresh(sug).status == Suggestion.Status.ASSIGNED


def test_the_letter_can_be_added_after_the_reply(client_for, users, world):
    sug = assigned(users, world)
    s.suggestion_reply(
        user=users["unit"], suggestion=sug, version=sug.version, category=category_a(), text="x"
    )
    url = reverse("suggestions:letter_upload", args=[sug.pk])
    client = client_for("unit")
    bad = client.post(url, {"letter": SimpleUploadedFile("a.pdf", b"GIF89a")})
    assert bad.status_code == 200 and not Reply.objects.get().letter
    client.post(url, {"letter": SimpleUploadedFile("答复函.pdf", TINY_PDF)})
    reply = Reply.objects.get()
    assert reply.letter and reply.letter_name == "答复函.pdf"


# 见面率 and the yearly report --------------------------------------------------------------


def _replied(users, world, title, contacts) -> Suggestion:
    sug = assigned(users, world, title=title)
    for kind in contacts:
        handling.contact_add(
            user=users["unit"],
            suggestion=sug,
            kind=kind,
            date=TODAY,
            participants="代表",
            summary="x",
        )
    s.suggestion_reply(
        user=users["unit"],
        suggestion=fresh(sug),
        version=fresh(sug).version,
        category=category_a(),
        text="x",
    )
    return sug


@pytest.fixture
def three_replies(users, world):
    _replied(users, world, "见面的", ["phone", "meeting"])
    _replied(users, world, "电话的", ["phone"])
    _replied(users, world, "没有沟通的", [])


def test_the_meeting_and_contact_rates_are_exact(users, world, three_replies):
    statistics = suggestion_statistics(
        user=users["staff"], start=TODAY.replace(month=1, day=1), end=TODAY
    )
    t = statistics.totals
    assert (t.replies, t.met, t.contacted) == (3, 1, 2)
    assert str(t.meeting_rate) == "33.3" and str(t.contact_rate) == "66.7"
    ((name, unit),) = statistics.by_unit
    assert name == world.unit_a.name and str(unit.meeting_rate) == "33.3"


def test_the_statistics_page_and_api_show_the_meeting_rate(client_for, three_replies):
    page = client_for("staff").get(reverse("suggestions:statistics")).content.decode()
    assert "见面率" in page and "33.3%" in page
    api = client_for("staff").get(reverse("suggestion-statistics-list")).json()
    assert api["totals"]["meeting_rate"] == "33.3" and api["totals"]["contact_rate"] == "66.7"


def test_the_word_report_is_a_valid_document_with_the_figures(client_for, world, three_replies):
    response = client_for("staff").get(
        reverse("suggestions:annual_report_docx"), {"year": TODAY.year}
    )
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    package = zipfile.ZipFile(io.BytesIO(response.content))
    assert package.testzip() is None
    for name in package.namelist():
        minidom.parseString(package.read(name))  # every part is well-formed XML
    text = package.read("word/document.xml").decode()
    assert "代表建议办理情况报告" in text
    assert "见面率33.3%" in text and "沟通率66.7%" in text
    assert "A类3件" in text and world.unit_a.name in text


def test_the_word_report_is_for_the_offices_only(client_for, three_replies):
    url = reverse("suggestions:annual_report_docx")
    assert client_for("unit").get(url).status_code == 403
    assert client_for("deputy").get(url).status_code == 403


def test_the_excel_report_goes_through_the_export_registry(
    users, world, three_replies, settings, tmp_path
):
    settings.MEDIA_ROOT = tmp_path
    job = start_export(
        user=users["staff"],
        identifier="suggestion_annual_report",
        data={"start": f"{TODAY.year}-01-01", "end": TODAY.isoformat()},
    )
    assert run_export(str(job.pk)) == "done"
    job = ExportJob.objects.get(pk=job.pk)
    workbook = openpyxl.load_workbook(io.BytesIO(job.file.read()))
    assert workbook.sheetnames == ["总体情况", "各承办单位", "按建议类别"]
    cells = [c.value for row in workbook["各承办单位"].iter_rows() for c in row]
    assert world.unit_a.name in cells
    with pytest.raises(DomainError):
        start_export(user=users["unit"], identifier="suggestion_annual_report", data={})


def test_the_meetings_api_lists_the_offices_meetings_with_their_counts(client_for, users, world):
    sug = registered(users, world)
    meeting = handling.meeting_create(
        user=users["staff"], congress=world.county_a, date=TODAY, place="会议室", chaired_by="主任"
    )
    handling.meeting_assign(
        user=users["staff"], meeting=meeting, suggestions=[sug], lead_unit=world.unit_a
    )
    url = reverse("suggestion-meeting-list")
    data = client_for("staff").get(url).json()
    assert [(row["id"], row["assigned"]) for row in data["results"]] == [(meeting.pk, 1)]
    assert client_for("township").get(url).json()["results"] == []
    assert client_for("unit").get(url).status_code == 403


def test_a_township_congress_holds_its_meeting_and_decides_its_own_reassignments(users, world):
    """Township staff keep their township congress's 交办会 and 改办; county staff do not decide
    them, nor may a meeting take another congress's suggestion."""
    government = f.make_unit(world.county_a, f"{world.a1.name}人民政府", township=world.a1)
    office = f.make_unit(world.county_a, f"{world.a1.name}农业综合服务中心", township=world.a1)
    township_unit = f.make_user(Role.HANDLING_UNIT, "t_unit_town", handling_unit=government)
    f.make_deputy(world.home_a1, name="周乡一", level="township")
    sug = s.suggestion_create(
        user=users["township"],
        lead_deputy=world.deputy_a1_liaison,
        title="关于修缮村道的建议",
        content="x",
        category="roads",
        congress_level=Suggestion.Congress.TOWNSHIP,
    )
    Suggestion.objects.filter(pk=sug.pk).update(status=Suggestion.Status.REGISTERED)
    sug = fresh(sug)
    county_one = registered(users, world, "县级建议")
    meeting = handling.meeting_create(
        user=users["township"], congress=world.a1, date=TODAY, place="镇政府", chaired_by="主席"
    )
    assert (meeting.congress_level, meeting.county_id) == ("township", world.county_a.pk)
    with pytest.raises(DomainError, match="不属于本次交办会"):
        handling.meeting_assign(
            user=users["township"], meeting=meeting, suggestions=[county_one], lead_unit=government
        )
    (sug,) = handling.meeting_assign(
        user=users["township"], meeting=meeting, suggestions=[sug], lead_unit=government
    )
    request = handling.reassign_request(
        user=township_unit, suggestion=sug, reason="属农业服务中心职责", suggested_unit=office
    )
    with pytest.raises(DomainError, match="工作人员"):
        handling.reassign_decide(
            user=users["staff"], request=request, agree=True, version=fresh(sug).version
        )
    handling.reassign_decide(
        user=users["township"], request=request, agree=True, version=fresh(sug).version
    )
    assert Assignment.objects.get(suggestion=sug, role="lead").unit == office
