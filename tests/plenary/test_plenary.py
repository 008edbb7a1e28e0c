"""人代会: the session and the deputies convened, attendance ticked on a phone or imported from a
sign-in sheet, motions with their signatures and the 主席团's decision (转为代表建议 through the
suggestions app), suggestions made during the session, the archive's first line and scoring;
who may do what; the pages' queries do not grow with the data."""

import datetime
import io
import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.http import Http404
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from core.errors import DomainError
from core.exports import run_export, start_export
from core.models import ExportJob
from deputies.models import DutyRecord, ScoringRule
from deputies.scoring import compute_scores, scheme_for
from directory.models import Mandate
from plenary import services
from plenary.models import Attendance, Motion, Session
from suggestions.models import Suggestion
from suggestions.statistics import suggestion_statistics
from tests import factories as f
from tests.plenary.builders import county_session
from tests.querycount import count_queries
from tests.tablefiles import write_table

TODAY = timezone.localdate()


def county_deputies(world, n: int) -> list:
    """n more county deputies of county A, stationed at home_a1 (delegation 甲一)."""
    return [f.make_deputy(world.home_a1, name=f"联名{i}号") for i in range(n)]


def sitting_of(session, users, kind="plenary"):
    return services.sitting_add(
        user=users["staff"], session=session, date=session.opens_on, kind=kind
    )


def leave(deputy, day) -> services.Entry:
    return services.Entry(
        deputy_id=deputy.pk, status="leave", leave_approved_by="大会秘书处", leave_approved_on=day
    )


def record(users, sitting, *entries):
    """Staff record attendance at the sitting; ``entries``: deputies present, or Entry rows."""
    return services.attendance_record(
        user=users["staff"],
        sitting=sitting,
        entries=[
            e if isinstance(e, services.Entry) else services.Entry(deputy_id=e.pk, status="present")
            for e in entries
        ],
        source="phone",
    )


# The session and who is convened --------------------------------------------------------------


def test_a_county_session_convenes_the_deputies_holding_a_county_mandate_on_the_opening_day(
    world, users
):
    opens = TODAY - datetime.timedelta(days=30)
    late = f.make_deputy(world.home_a2, name="后当选")
    Mandate.objects.filter(deputy=late).update(started_on=opens + datetime.timedelta(days=1))
    left = f.make_deputy(world.home_a2, name="已辞职")
    Mandate.objects.filter(deputy=left).update(
        is_active=False, ended_on=opens + datetime.timedelta(days=5)
    )
    session = county_session(world, users)
    convened = set(session.delegates.values_list("deputy__name", flat=True))
    # deputy_a1_liaison holds a township mandate; deputy_b1 is of county B.
    assert convened == {"张甲一", "王甲二", "已辞职"}
    assert session.title == "县第十八届人民代表大会第三次会议"
    assert session.delegates.get(deputy=world.deputy_a1).delegation == world.a1


def test_a_township_session_is_its_township_staff_s_and_convenes_its_township_deputies(
    world, users
):
    session = services.session_create(
        user=users["township"],
        congress=world.a1,
        term=18,
        number=2,
        opens_on=TODAY - datetime.timedelta(days=3),
        closes_on=TODAY - datetime.timedelta(days=3),
    )
    assert session.congress_level == "township" and session.county == world.county_a
    assert list(session.delegates.values_list("deputy", flat=True)) == [world.deputy_a1_liaison.pk]
    assert session.title == f"{world.a1.name}第十八届人民代表大会第二次会议"
    for role, congress in (("outsider", world.a1), ("township", world.county_a)):
        with pytest.raises(DomainError, match="该级人大的工作人员"):
            services.session_create(
                user=users[role],
                congress=congress,
                term=18,
                number=5,
                opens_on=TODAY,
                closes_on=TODAY,
            )


def test_the_session_form_refuses_closing_before_opening_in_chinese(world, client_for):
    response = client_for("staff").post(
        reverse("plenary:new"),
        {
            "congress": world.county_a.pk,
            "term": 18,
            "number": 3,
            "opens_on": "2026-03-05",
            "closes_on": "2026-03-01",
        },
    )
    assert response.status_code == 200
    assert "闭幕日期不能早于开幕日期" in response.content.decode()
    assert not Session.objects.exists()


# Attendance -----------------------------------------------------------------------------------


def test_the_phone_roll_call_records_present_and_approved_leave_and_the_rate(
    world, users, client_for
):
    session = county_session(world, users)
    sitting = sitting_of(session, users)
    client = client_for("staff")
    url = reverse("plenary:roll_call", args=[sitting.pk])
    page = client.get(url).content.decode()
    assert f'name="d{world.deputy_a1.pk}"' in page and "btn-lg" in page
    response = client.post(
        url,
        {
            f"d{world.deputy_a1.pk}": "present",
            f"d{world.deputy_a2.pk}": "leave",
            "leave_approved_by": "大会秘书处",
            "leave_approved_on": (session.opens_on - datetime.timedelta(days=1)).isoformat(),
        },
    )
    assert response.status_code == 302
    leave = Attendance.objects.get(sitting=sitting, deputy=world.deputy_a2)
    assert leave.status == "leave" and leave.leave_approved_by == "大会秘书处"
    assert leave.source == "phone" and leave.recorded_by == users["staff"]
    # Attending is a duty act of the present deputy only.
    records = DutyRecord.objects.filter(kind=DutyRecord.Kind.SESSION_ATTENDANCE)
    assert list(records.values_list("deputy", flat=True)) == [world.deputy_a1.pk]
    assert records.get().title == "出席县第十八届人民代表大会第三次会议"
    detail = client.get(session.get_absolute_url()).content.decode()
    assert "50.0%" in detail


def test_a_leave_without_its_approval_is_refused_and_nothing_saved(world, users, client_for):
    session = county_session(world, users)
    sitting = sitting_of(session, users)
    response = client_for("staff").post(
        reverse("plenary:roll_call", args=[sitting.pk]),
        {f"d{world.deputy_a1.pk}": "present", f"d{world.deputy_a2.pk}": "leave"},
    )
    assert response.status_code == 400
    assert "请假须登记批准人和批准日期" in response.content.decode()
    assert not Attendance.objects.exists()
    assert not DutyRecord.objects.filter(kind=DutyRecord.Kind.SESSION_ATTENDANCE).exists()


def test_attendance_of_a_deputy_not_convened_is_refused(world, users):
    session = county_session(world, users)
    sitting = sitting_of(session, users)
    with pytest.raises(DomainError, match="赵乙一 不是本次会议应出席的代表"):
        services.attendance_record(
            user=users["staff"],
            sitting=sitting,
            entries=[
                services.Entry(deputy_id=world.deputy_a1.pk, status="present"),
                services.Entry(deputy_id=world.deputy_b1.pk, status="present"),
            ],
            source="phone",
        )
    assert not Attendance.objects.exists()


def test_a_sign_in_sheet_with_typos_is_previewed_row_by_row_and_the_rest_imported(
    world, users, client_for
):
    twins = [f.make_deputy(world.home_a2, name="刘洋") for _ in range(2)]
    session = county_session(world, users)
    sitting = sitting_of(session, users)
    tail = twins[1].id_number[-4:]
    rows = [
        ["县第十八届人民代表大会第三次会议签到表", None, None, None],
        ["序号", "姓 名", "身份证后四位", "出席情况"],
        [1, "张 甲一", None, "√"],  # a space in the name: accepted with a warning
        [2, "王甲三", None, None],  # a typo: 王甲二
        [3, "刘洋", None, None],  # two deputies of that name, no ID tail
        [4, "刘洋", tail, "请假"],
        [5, "已辞职", None, "迟到"],  # neither convened nor a status
    ]
    sheet = SimpleUploadedFile("签到表.xlsx", write_table(rows, "xlsx", merge=("A1:D1",)))
    client = client_for("staff")
    url = reverse("plenary:sign_in", args=[sitting.pk])
    response = client.post(
        url,
        {
            "file": sheet,
            "leave_approved_by": "大会秘书处",
            "leave_approved_on": session.opens_on.isoformat(),
            "mark_missing_absent": "on",
        },
    )
    page = response.content.decode()
    assert response.status_code == 200
    assert "第4行:本次会议的代表中没有“王甲三”,是否为“王甲二”?" in page
    assert "第5行:有2位名为“刘洋”的代表,请在“身份证后四位”列注明" in page
    assert "第7行:出席情况“迟到”无法识别" in page
    assert "姓名中的空格已去掉" in page
    assert not Attendance.objects.exists()  # nothing saved before the confirmation

    response = client.post(reverse("plenary:sign_in_confirm", args=[sitting.pk]))
    assert response.status_code == 302
    recorded = dict(Attendance.objects.filter(sitting=sitting).values_list("deputy", "status"))
    # 张甲一 signed in, the second 刘洋 on approved leave; the rest convened are absent.
    assert recorded == {
        world.deputy_a1.pk: "present",
        twins[1].pk: "leave",
        twins[0].pk: "absent",
        world.deputy_a2.pk: "absent",
    }
    assert Attendance.objects.get(deputy=twins[1]).leave_approved_by == "大会秘书处"


def test_a_file_that_is_not_a_table_is_refused_on_the_form(world, users, client_for):
    session = county_session(world, users)
    sitting = sitting_of(session, users)
    response = client_for("staff").post(
        reverse("plenary:sign_in", args=[sitting.pk]),
        {"file": SimpleUploadedFile("签到表.xlsx", b"not a workbook")},
    )
    assert response.status_code == 400
    assert not Attendance.objects.exists()


# Motions and the 主席团's decision ------------------------------------------------------------


def motion(session, users, lead, signers, **fields):
    values = {
        "title": "关于加快农村公路提档升级的议案",
        "content": "案据……方案……",
        "kind": Motion.Kind.JOINT,
        "submitted_on": session.opens_on,
    }
    values.update(fields)
    return services.motion_create(
        user=users["staff"], session=session, lead_deputy=lead, signers=signers, **values
    )


def test_a_county_motion_needs_ten_deputies_jointly(world, users):
    more = county_deputies(world, 9)
    session = county_session(world, users)
    with pytest.raises(DomainError, match=re.escape("须有10名以上代表联名(含领衔代表),现有9名")):
        motion(session, users, world.deputy_a1, more[:8])
    assert not Motion.objects.exists()
    made = motion(session, users, world.deputy_a1, more)
    assert made.number == 1 and made.signers.count() == 10


def test_a_co_signer_of_another_congress_is_refused(world, users):
    more = county_deputies(world, 9)
    session = county_session(world, users)
    with pytest.raises(DomainError, match="赵乙一、李联络 不是本次会议的代表"):
        motion(session, users, world.deputy_a1, [*more, world.deputy_b1, world.deputy_a1_liaison])
    assert not Motion.objects.exists()


def test_a_delegation_moves_at_county_level_only_and_a_township_needs_five(world, users):
    session = county_session(world, users)
    by_delegation = motion(
        session, users, world.deputy_a1, [], kind=Motion.Kind.DELEGATION, delegation=world.a1
    )
    assert by_delegation.delegation == world.a1
    with pytest.raises(DomainError, match="甲二|代表团团长"):
        motion(session, users, world.deputy_a1, [], kind="delegation", delegation=world.a2)
    township_deputies = [f.make_deputy(world.home_a1, level="township") for _ in range(4)]
    township = services.session_create(
        user=users["township"],
        congress=world.a1,
        term=18,
        number=2,
        opens_on=session.opens_on,
        closes_on=session.opens_on,
    )
    lead = world.deputy_a1_liaison
    with pytest.raises(DomainError, match="须有5名以上"):
        services.motion_create(
            user=users["township"],
            session=township,
            title="议案",
            content="内容",
            kind="joint",
            lead_deputy=lead,
            signers=township_deputies[:3],
            submitted_on=township.opens_on,
        )
    with pytest.raises(DomainError, match="乡镇人民代表大会不设代表团"):
        services.motion_create(
            user=users["township"],
            session=township,
            title="议案",
            content="内容",
            kind="delegation",
            lead_deputy=lead,
            delegation=world.a1,
            submitted_on=township.opens_on,
        )
    assert (
        services.motion_create(
            user=users["township"],
            session=township,
            title="议案",
            content="内容",
            kind="joint",
            lead_deputy=lead,
            signers=township_deputies,
            submitted_on=township.opens_on,
        ).signers.count()
        == 5
    )


def test_the_presidium_puts_a_motion_on_the_agenda_or_declines_it_with_a_reason(
    world, users, client_for
):
    session = county_session(world, users)
    first = motion(session, users, world.deputy_a1, [], kind="delegation", delegation=world.a1)
    second = motion(session, users, world.deputy_a1, [], kind="delegation", delegation=world.a1)
    client = client_for("staff")
    response = client.post(
        reverse("plenary:motion_decide", args=[second.pk]),
        {"decision": "rejected", "decided_on": TODAY.isoformat(), "reason": ""},
    )
    assert response.status_code == 400
    assert "不予列入会议议程的,请填写理由" in response.content.decode()
    client.post(
        reverse("plenary:motion_decide", args=[first.pk]),
        {"decision": "agenda", "decided_on": TODAY.isoformat()},
    )
    first.refresh_from_db()
    assert first.decision == "agenda" and first.decided_by == users["staff"]
    again = services.motion_decide
    with pytest.raises(DomainError, match="已对这件议案作出决定"):
        again(user=users["staff"], motion=first, decision="rejected", decided_on=TODAY, reason="x")


def test_a_motion_turned_into_a_suggestion_is_a_suggestion_made_during_the_session(
    world, users, client_for
):
    more = county_deputies(world, 9)
    session = county_session(world, users)
    made = motion(session, users, world.deputy_a1, more)
    client = client_for("staff")
    url = reverse("suggestions:from_motion", args=[made.pk])
    assert "转为代表建议" in client.get(url).content.decode()
    response = client.post(url, {"category": "roads", "decided_on": session.closes_on.isoformat()})
    assert response.status_code == 302, response.content.decode()[-3000:]
    suggestion = Suggestion.objects.get()
    assert response.status_code == 302 and response.url == reverse(
        "suggestions:detail", args=[suggestion.pk]
    )
    made.refresh_from_db()
    assert made.decision == Motion.Decision.SUGGESTION
    assert suggestion.session == session and suggestion.from_motion == made
    assert suggestion.congress_id == world.county_a.pk and suggestion.status == "submitted"
    assert suggestion.lead_deputy == world.deputy_a1 and suggestion.co_signers.count() == 9
    assert DutyRecord.objects.filter(kind=DutyRecord.Kind.SUGGESTION).count() == 10
    page = client.get(reverse("suggestions:detail", args=[suggestion.pk])).content.decode()
    assert "大会期间(县第十八届人民代表大会第三次会议)" in page and "由议案转来" in page
    # Decided once: the page is refused for a decided motion.
    client.post(url, {"category": "roads", "decided_on": session.closes_on.isoformat()})
    assert Suggestion.objects.count() == 1


def test_suggestions_are_filtered_by_session_or_between_sessions(world, users, client_for):
    session = county_session(world, users)
    during = Suggestion.objects.create(
        title="大会期间的建议",
        content="…",
        category="roads",
        county=world.county_a,
        lead_deputy=world.deputy_a1,
        session=session,
        created_by=users["staff"],
    )
    between = Suggestion.objects.create(
        title="闭会期间的建议",
        content="…",
        category="roads",
        county=world.county_a,
        lead_deputy=world.deputy_a1,
        created_by=users["staff"],
    )
    client = client_for("staff")
    for query, expected in (
        (f"session={session.pk}", {during.pk}),
        ("made=session", {during.pk}),
        ("made=between", {between.pk}),
    ):
        data = client.get(f"/api/v1/suggestions/?{query}").json()
        assert {row["id"] for row in data["results"]} == expected, query
    page = client.get(reverse("suggestions:list") + "?made=between").content.decode()
    assert "闭会期间的建议" in page and "大会期间的建议" not in page
    # The unit reads suggestions but no session: the session filter offers none.
    assert client_for("unit").get("/api/v1/suggestions/?made=session").status_code == 200


def test_the_statistics_count_suggestions_made_during_sessions_apart(world, users):
    session = county_session(world, users)
    for title, of in (("甲", session), ("乙", None), ("丙", None)):
        Suggestion.objects.create(
            title=title,
            content="…",
            category="roads",
            county=world.county_a,
            lead_deputy=world.deputy_a1,
            session=of,
            status="submitted",
            submitted_at=timezone.now(),
            created_by=users["staff"],
        )
    period = {"start": TODAY.replace(month=1, day=1), "end": TODAY}
    figures = {
        made: suggestion_statistics(user=users["staff"], made=made, **period).totals.total
        for made in (None, "session", "between")
    }
    assert figures == {None: 3, "session": 1, "between": 2}


# The archive and scoring ---------------------------------------------------------------------


def test_attendance_is_the_first_line_of_the_archive_and_scores(world, users, client_for):
    session = county_session(world, users, days_ago=2)
    first, second = sitting_of(session, users), sitting_of(session, users, kind="group")
    record(users, first, world.deputy_a1, leave(world.deputy_a2, session.opens_on))
    absent = services.Entry(deputy_id=world.deputy_a2.pk, status="absent")
    record(users, second, world.deputy_a1, absent)
    year = session.opens_on.year
    page = client_for("staff").get(
        reverse("deputies:archive", args=[world.deputy_a2.pk]) + f"?year={year}"
    )
    text = page.content.decode()
    assert 'data-archive="plenary"' in text
    assert "请假 1 场" in text and "缺席 1 场" in text and "出席 0 场" in text
    # Attending earns points under the year's rules; absence earns none.
    scheme_for(year)
    assert ScoringRule.objects.get(scheme__year=year, kind="session_attendance").points == 5
    compute_scores(year)
    present = world.deputy_a1.scores.get(year=year)
    assert any(line.kind == "session_attendance" for line in present.lines())
    assert not world.deputy_a2.scores.filter(year=year).exists() or not any(
        line.kind == "session_attendance" for line in world.deputy_a2.scores.get(year=year).lines()
    )


# Who may do what -----------------------------------------------------------------------------


def test_a_deputy_reads_their_own_attendance_and_not_the_roll(world, users, client_for):
    session = county_session(world, users)
    sitting = sitting_of(session, users)
    record(users, sitting, world.deputy_a1)
    deputy = client_for("deputy")
    page = deputy.get(session.get_absolute_url()).content.decode()
    assert "我的出席情况" in page and "应出席代表" not in page
    assert deputy.get(reverse("plenary:roll_call", args=[sitting.pk])).status_code == 403
    assert deputy.post(reverse("plenary:roll_call", args=[sitting.pk])).status_code == 403
    api = deputy.get("/api/v1/plenary-attendance/").json()
    assert [row["deputy"] for row in api["results"]] == [world.deputy_a1.pk]
    # Township staff of A1 do not see the county's session; of their own, they keep the roll.
    township = client_for("township")
    assert township.get(session.get_absolute_url()).status_code == 404
    assert township.post(reverse("plenary:sitting_new", args=[session.pk])).status_code == 404
    assert client_for("keeper").get(reverse("plenary:list")).status_code == 403


def test_a_deputy_not_convened_does_not_see_the_session(world, users):
    session = county_session(world, users)
    outsider = f.make_user("deputy", deputy=world.deputy_a1_liaison)
    client = Client()
    client.force_login(outsider)
    assert client.get(session.get_absolute_url()).status_code == 404
    assert client.get(reverse("plenary:list")).status_code == 200


# Query counts --------------------------------------------------------------------------------


def _grow_sessions(world, users, n: int, start: int) -> None:
    more = county_deputies(world, n)
    for i in range(n):
        session = county_session(world, users, days_ago=40 + start + i, number=start + i)
        record(users, sitting_of(session, users), *more)
        motion(session, users, world.deputy_a1, [], kind="delegation", delegation=world.a1)


def test_the_lists_and_the_session_page_do_not_grow_with_the_data(world, users, client_for):
    session = county_session(world, users)
    record(users, sitting_of(session, users), world.deputy_a1)
    motion(session, users, world.deputy_a1, [], kind="delegation", delegation=world.a1)
    client = client_for("staff")
    urls = [
        reverse("plenary:list"),
        reverse("plenary:motions"),
        session.get_absolute_url(),
        reverse("plenary:roll_call", args=[session.sittings.get().pk]),
        "/api/v1/plenary-sessions/",
        "/api/v1/plenary-attendance/",
        "/api/v1/motions/",
    ]
    before = [count_queries(client, url) for url in urls]
    _grow_sessions(world, users, 4, start=10)
    for _ in range(3):
        sitting_of(session, users, kind="group")
        motion(session, users, world.deputy_a1, [], kind="delegation", delegation=world.a1)
    services.delegates_refresh(user=users["staff"], session=session)
    assert [count_queries(client, url) for url in urls] == before


def test_the_attendance_exports_one_row_per_deputy_and_sitting(world, users):
    session = county_session(world, users)
    record(
        users, sitting_of(session, users), world.deputy_a1, leave(world.deputy_a2, session.opens_on)
    )
    job = start_export(
        user=users["staff"], identifier="plenary_attendance", data={"session": str(session.pk)}
    )
    assert run_export(str(job.pk)) == "done"
    workbook = load_workbook(io.BytesIO(ExportJob.objects.get(pk=job.pk).file.read()))
    rows = list(workbook["出席情况"].iter_rows(min_row=3, values_only=True))
    assert {(row[0], row[3], row[5] or "") for row in rows} == {
        ("张甲一", "出席", ""),
        ("王甲二", "请假", "大会秘书处"),
    }
    with pytest.raises(Http404):  # outside the scope, as the page
        start_export(
            user=users["outsider"], identifier="plenary_attendance", data={"session": session.pk}
        )


def test_a_committee_member_reads_the_session_without_keeping_it(world, users, client_for):
    session = county_session(world, users)
    sitting_of(session, users)
    motion(session, users, world.deputy_a1, [], kind="delegation", delegation=world.a1)
    page = client_for("member").get(session.get_absolute_url()).content.decode()
    assert "关于加快农村公路提档升级的议案" in page and "应出席代表 2 名" in page
    assert reverse("plenary:roll_call", args=[session.sittings.get().pk]) not in page
    assert reverse("plenary:motion_new", args=[session.pk]) not in page
