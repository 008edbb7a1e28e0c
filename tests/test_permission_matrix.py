"""Every URL × every role against tests/permission_matrix.py."""

import datetime
import io
from types import SimpleNamespace

import pytest
from auditlog.models import LogEntry
from axes.models import AccessAttempt, AccessFailureLog, AccessLog
from django.apps import apps
from django.contrib.auth.models import Group
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from django_otp.plugins.otp_totp.models import TOTPDevice
from PIL import Image
from rest_framework.authtoken.models import Token

from core.exports import run_export
from core.models import ExportJob, Notification, OutboxMessage, PersonalDataAccess
from deputies.models import AidHousehold, DutyScore, ScoreRun, SmallProblem, Training
from deputies.scoring import compute_scores
from deputies.services import manual_record_propose
from directory.services import mandate_event_record
from dutyreports.models import (
    BallotCode,
    BatchMember,
    DutyReport,
    ExcellentCandidate,
    Rectification,
    ReportEvaluation,
)
from elections.models import Candidate, RegistrationCheck, RegistrationFinding, StructureTarget
from linkages.models import GroupActivity, GroupTask, KeyProject, MemberLink, ProjectProblem, Voter
from public.models import DutyStory
from rosters.jobs import import_job_upload
from rosters.models import ValueMapping

from . import factories as f
from .factories import make_campaign, make_reception_day, make_user
from .legislation.builders import legislation_objects
from .oversight.builders import oversight_objects
from .permission_matrix import EXPECTED, ROLES
from .plenary.builders import plenary_objects
from .rosters.helpers import DEPUTY_HEADER, workbook_bytes
from .suggestions.builders import unit_side_objects
from .test_url_access import all_urls

URLS = [(name or url, url) for name, url in all_urls()]


def test_every_url_has_an_entry_in_the_matrix():
    missing = sorted(key for key, _ in URLS if key not in EXPECTED)
    assert not missing, f"add these URLs to tests/permission_matrix.py: {missing}"
    stale = sorted(set(EXPECTED) - {key for key, _ in URLS})
    assert not stale, f"these matrix entries match no URL: {stale}"


@pytest.fixture
def objects(world, users, settings, tmp_path):
    """One record per admin model and per station-work page, so object URLs have something to
    show: all of them at home_a1, the station of the keeper and the deputy."""
    settings.MEDIA_ROOT = tmp_path
    staff = users["staff"]
    Group.objects.create(name="示例组")
    Token.objects.create(user=staff)
    # A device of a user who is not one of the roles (an enrolled user must verify first).
    TOTPDevice.objects.create(user=make_user("", "enrolled"), name="phone")
    AccessAttempt.objects.create(
        username="x", ip_address="10.0.0.1", user_agent="t", failures_since_start=1
    )
    AccessLog.objects.create(username="x", ip_address="10.0.0.1", user_agent="t")
    AccessFailureLog.objects.create(
        username="x", ip_address="10.0.0.1", user_agent="t", locked_out=False
    )
    PersonalDataAccess.objects.create(
        user=staff,
        action="view",
        record_type="directory.Deputy",
        record_id="1",
        record_repr="x",
        fields="phone",
    )
    Notification.objects.create(recipient=staff, kind="x", title="x", dedupe_key="x")
    OutboxMessage.objects.create(task_name="core.tasks.relay_outbox")
    assert LogEntry.objects.exists()
    work = station_work(world, users)
    resigned = mandate_event_record(
        user=staff,
        mandate=f.make_deputy(world.home_a1, name="辞职代表").mandates.get(),
        kind="resigned",
        occurred_on=timezone.localdate(),
        decided_by="standing_committee",
        document_number="常发〔2026〕1号",
    )
    compute_scores(timezone.localdate().year)  # a scoring scheme and scores from the work
    score_run = ScoreRun.objects.create(year=timezone.localdate().year)
    today = timezone.localdate()
    link = MemberLink.objects.create(
        member=users["member"], deputy=world.deputy_a1, started_on=timezone.localdate()
    )
    voter = Voter.objects.create(deputy=world.deputy_a1, name="王大爷", phone="13800001111")
    household = AidHousehold.objects.create(
        deputy=world.deputy_a1,
        head_name="李大娘",
        address="一组",
        difficulty="独居老人",
        help_plan="每月走访",
        since=today,
        created_by=staff,
    )
    project = KeyProject.objects.create(
        county=world.county_a, name="城区污水管网改造", leader=users["member"], started_on=today
    )
    campaign = make_campaign(
        county=world.county_a, year=today.year, deadline=today, opened_by=staff
    )
    duty_report = DutyReport.objects.create(
        campaign=campaign, deputy=world.deputy_a1, written_text="书面述职", entered_by=staff
    )
    rectification = Rectification.objects.create(
        report=duty_report,
        problem="联系选民不够",
        measure="每月进站",
        deadline=today,
        created_by=staff,
    )
    BallotCode.objects.create(report=duty_report)
    candidate = ExcellentCandidate.objects.create(campaign=campaign, deputy=world.deputy_a1)
    ReportEvaluation.objects.create(report=duty_report, kind="organisation", grade="excellent")
    course = Training.objects.create(
        county=world.county_a,
        name="新任代表履职培训班",
        kind="foundation",
        mode="classroom",
        start_date=today,
        end_date=today,
        hours=8,
    )
    problem = ProjectProblem.objects.create(
        project=project, description="征地协调", raised_on=today, updated_by=users["member"]
    )
    group_task = GroupTask.objects.create(
        group=world.group_a, year=today.year, title="调研医养结合服务", created_by=staff
    )
    group_activity = GroupActivity.objects.create(
        group=world.group_a, task=group_task, date=today, title="座谈", created_by=staff
    )
    group_activity.participants.set([world.deputy_a1])
    manual = manual_record_propose(
        user=staff,
        deputy=world.deputy_a1,
        kind="session_speech",
        occurred_on=timezone.localdate(),
        title="在县人代会上发言",
        description="",
        evidence=png("speech.png"),
    )
    roster_job = import_job_upload(
        user=staff,
        roster="deputies",
        uploaded_file=SimpleUploadedFile("名册.xlsx", workbook_bytes(DEPUTY_HEADER, [])),
    )
    ValueMapping.objects.create(
        county=world.county_a, column="occupation", raw_value="网格员", value="village_cadre"
    )
    export = ExportJob.objects.create(user=staff, exporter="suggestion_register")
    run_export(str(export.pk))
    suggestion = suggestion_with_evaluation(world, users)
    story = DutyStory.objects.create(
        county=world.county_a,
        station=world.home_a1,
        title="院坝会上听民声",
        outlet="苍溪县融媒体中心",
        published_on=today,
        text="正文",
        created_by=staff,
    )
    check = RegistrationCheck.objects.create(
        county=world.county_a, election_day=today, created_by=staff, status="done"
    )
    StructureTarget.objects.create(
        county=world.county_a, level="county", term=18, dimension="gender", category="F"
    )
    Candidate.objects.create(
        county=world.county_a,
        level="county",
        term=19,
        name="孙候选",
        gender="F",
        birth_date=datetime.date(1980, 1, 1),
    )
    finding = RegistrationFinding.objects.create(
        check_run=check, kind="missing", reason="not_registered", township=world.a1, name="钱某"
    )
    return {
        **work,
        **oversight_objects(world, users),
        **legislation_objects(world, users),
        **unit_side_objects(world, users, suggestion),
        **plenary_objects(world, users),
        "elections:check_detail": check,
        "elections:check_status": check,
        "registration-check-detail": check,
        "registration-finding-detail": finding,
        "stations:detail": world.home_a1,
        **{
            name: suggestion
            for name in (
                "suggestions:detail",
                "suggestions:register",
                "suggestions:not_register",
                "suggestions:convert",
                "suggestions:assign",
                "suggestions:paper_evaluation",
                "suggestions:close",
                "suggestions:submit",
                "suggestions:accept",
                "suggestions:meeting_add",
                "suggestions:deputy_evaluation",
                "suggestions:codes",
                "suggestions:progress_add",
                "suggestions:reply",
                "suggestions:extension_request",
                "suggestion-detail",
            )
        },
        "deputies:detail": world.deputy_a1,
        "directory:mandate_event_new": world.deputy_a1.mandates.get(),
        "directory:by_election": resigned.mandate,
        "mandate-event-detail": resigned,
        "deputies:archive": world.deputy_a1,
        "deputies:score_run_status": score_run,
        "deputies:manual_record_new": world.deputy_a1,
        "linkages:member_contact_new": link,
        "linkages:voter_contact_new": voter,
        "member-link-detail": link,
        "voter-detail": voter,
        "linkages:project_detail": project,
        "linkages:problem_update": problem,
        "key-project-detail": project,
        "linkages:group_detail": world.group_a,
        "linkages:group_task_new": world.group_a,
        "linkages:group_activity_new": world.group_a,
        "group-task-detail": group_task,
        "group-activity-detail": group_activity,
        "deputies:training_detail": course,
        "deputies:aid_household": household,
        "aid-household-detail": household,
        "small-problem-detail": SmallProblem.objects.create(
            deputy=world.deputy_a1,
            solved_on=today,
            place="一组",
            description="帮群众疏通排水沟",
            recorded_by=staff,
        ),
        "dutyreports:report_for": (campaign, world.deputy_a1),
        "duty-report-detail": duty_report,
        "duty-report-batch-detail": BatchMember.objects.get(
            campaign=campaign, deputy=world.deputy_a1
        ),
        **{
            name: duty_report
            for name in (
                "dutyreports:report_detail",
                "dutyreports:codes_issue",
                "dutyreports:codes_print",
                "dutyreports:paper_enter",
                "dutyreports:organisation_evaluate",
                "dutyreports:rectification_new",
            )
        },
        **{
            name: campaign
            for name in (
                "dutyreports:campaign_settings",
                "dutyreports:batch",
                "dutyreports:evaluation_close",
                "dutyreports:excellent",
                "dutyreports:excellent_propose",
                "dutyreports:excellent_publish",
            )
        },
        "dutyreports:rectification_progress": rectification,
        "dutyreports:rectification_publish": rectification,
        "dutyreports:excellent_decide": (campaign, candidate),
        "rectification-detail": rectification,
        "excellent-candidate-detail": candidate,
        "training-detail": course,
        "deputies:manual_record_decide": manual,
        "deputies:manual_record_evidence": manual,
        "duty-score-detail": DutyScore.objects.get(deputy=world.deputy_a1),
        "rosters:template": SimpleNamespace(pk="deputies"),
        **{
            name: roster_job
            for name in (
                "rosters:detail",
                "rosters:mapping",
                "rosters:status",
                "rosters:commit",
                "rosters:values",
            )
        },
        "export_detail": export,
        "export_status": export,
        "export_download": export,
        "station-detail": world.home_a1,
        "deputy-detail": world.deputy_a1,
        "deputy-group-detail": world.group_a,
        "handling-unit-detail": world.unit_a,
        "region-detail": world.county_a,
        "public:station_wall": world.home_a1,
        "public:story_edit": story,
        "public:story_publish": story,
        "duty-story-detail": story,
    }


def concrete_url(key: str, url: str, objects) -> str:
    """Replace the placeholder ids of the walked URL with a real record."""
    if key in objects:
        records = objects[key] if isinstance(objects[key], tuple) else (objects[key],)
        return reverse(key, args=[record.pk for record in records])
    object_actions = ("_change", "_delete", "_history", "_password_change", "_config", "_qrcode")
    model = _admin_model(key) if key.endswith(object_actions) else None
    if model is not None:
        return reverse(key, args=[model._default_manager.order_by("pk").first().pk])
    if key.startswith("/admin/") and key.endswith("/x/"):
        app_label, model_name = key.strip("/").split("/")[1:3]
        obj = apps.get_model(app_label, model_name)._default_manager.order_by("pk").first()
        return f"/admin/{app_label}/{model_name}/{obj.pk}/"
    if key == "admin:app_list":
        return reverse(key, kwargs={"app_label": "stations"})
    return url


def _admin_model(key: str):
    """The model of an admin URL name such as admin:deputies_deputy_change, or None."""
    if not key.startswith("admin:"):
        return None
    if key == "admin:auth_user_password_change":  # Django's UserAdmin names it after auth.User
        return apps.get_model("accounts", "user")
    label = key.removeprefix("admin:")
    for model in apps.get_models():
        if label.startswith(f"{model._meta.app_label}_{model._meta.model_name}_"):
            return model
    return None


def test_every_url_answers_every_role_as_the_matrix_says(objects, users):
    clients = {"anonymous": Client()}
    for role in ROLES[1:]:
        clients[role] = Client()
        clients[role].force_login(users[role])
    mismatches = []
    for key, url in URLS:
        target = concrete_url(key, url, objects)
        for role in ROLES:
            status = clients[role].get(target).status_code
            if status != EXPECTED[key][role]:
                mismatches.append(
                    f"{key} {target} as {role}: {status}, expected {EXPECTED[key][role]}"
                )
    assert not mismatches, "\n".join(mismatches)


def station_work(world, users) -> dict:
    from public.models import OnlineOpinion
    from stations.models import ActivityPhoto, Mailbox, ReceptionPhoto
    from stations.services.ledger import activity_save
    from stations.services.opinions import opinion_create
    from stations.services.receptions import reception_log
    from stations.services.visits import mailbox_open, visit_day_plan
    from stations.services.wishes import wish_claim, wish_create

    keeper = users["keeper"]
    day = make_reception_day(world.home_a1, timezone.localdate() - datetime.timedelta(days=3))
    reception = reception_log(user=keeper, day=day, deputy=world.deputy_a1, voters_received=4)
    reception_photo = ReceptionPhoto.objects.create(reception=reception, image=png("r.png"))
    opinion = opinion_create(
        user=keeper,
        channel="mailbox",
        township=world.a1,
        station=world.home_a1,
        category="roads",
        content="村道",
    )
    OnlineOpinion.objects.create(opinion=opinion, photo=png("o.png"))
    activity = activity_save(
        user=keeper,
        station=world.home_a1,
        kind="themed",
        date=day.date,
        theme="乡村振兴宣讲",
        deputies=[world.deputy_a1],
        people_reached=30,
    )
    activity_photo = ActivityPhoto.objects.create(activity=activity, image=png("a.png"))
    wish = wish_create(user=keeper, station=world.home_a1, person_name="李婆婆", content="取暖器")
    wish = wish_claim(user=keeper, wish=wish, deputy=world.deputy_a1)
    wish.photo = png("w.png")
    wish.save()
    visit_day = visit_day_plan(
        user=keeper, station=world.home_a1, date=day.date, deputies=[world.deputy_a1]
    )
    mailbox = Mailbox.objects.create(
        township=world.a1, station=world.home_a1, location="甲一镇便民服务中心"
    )
    opening = mailbox_open(
        user=keeper, mailbox=mailbox, opened_on=day.date, opener=None, letters=[]
    )
    return {
        "stations:visit_day_edit": visit_day,
        "stations:visit_day_hold": visit_day,
        "visit-day-detail": visit_day,
        "stations:mailbox_detail": mailbox,
        "mailbox-detail": mailbox,
        "mailbox-opening-detail": opening,
        "stations:reception_detail": reception,
        "stations:reception_photo": reception_photo,
        "stations:reception_day_edit": day,
        "reception-day-detail": day,
        "reception-detail": reception,
        "stations:opinion_detail": opinion,
        "stations:opinion_forward": opinion,
        "stations:opinion_answer": opinion,
        "stations:opinion_close": opinion,
        "opinion-detail": opinion,
        "public:opinion_photo": opinion,
        "stations:activity_detail": activity,
        "stations:activity_edit": activity,
        "stations:activity_delete": activity,
        "stations:activity_photo": activity_photo,
        "activity-detail": activity,
        "stations:wish_detail": wish,
        "stations:wish_claim": wish,
        "stations:wish_fulfil": wish,
        "stations:wish_photo": wish,
        "small-wish-detail": wish,
    }


def png(name: str) -> SimpleUploadedFile:
    buffer = io.BytesIO()
    Image.new("RGB", (8, 8), "blue").save(buffer, format="PNG")
    return SimpleUploadedFile(name, buffer.getvalue(), content_type="image/png")


def suggestion_with_evaluation(world, users):
    from suggestions import services
    from suggestions.models import ReplyCategory

    deputy, staff, unit = users["deputy"], users["staff"], users["unit"]
    sug = services.suggestion_create(
        user=deputy, lead_deputy=world.deputy_a1, title="建议", content="内容", category="roads"
    )
    services.public_meeting_add(
        user=deputy,
        suggestion=sug,
        date=timezone.localdate(),
        place="院坝",
        people_met=9,
        summary="意见",
    )
    sug = services.suggestion_submit(user=deputy, suggestion=sug, version=sug.version)
    sug = services.suggestion_register(user=staff, suggestion=sug, version=sug.version)
    sug = services.suggestion_assign(
        user=staff, suggestion=sug, version=sug.version, lead_unit=world.unit_a
    )
    services.suggestion_reply(
        user=unit,
        suggestion=sug,
        version=sug.version,
        category=ReplyCategory.objects.get(code="A"),
        text="已办",
    )
    sug.refresh_from_db()
    return services.deputy_evaluation(
        user=deputy, suggestion=sug, version=sug.version, result="satisfied"
    )
