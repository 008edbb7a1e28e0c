"""A deputy's duty report through its campaign — filed (evaluation open), closed (the result
fixed), published — against every action, from a table written here: allowed pairs write what
they record, any other pair is refused with a DomainError and changes nothing. Then every
service of the campaign called by every role."""

import datetime

import pytest
from django.contrib.contenttypes.models import ContentType
from django.utils import timezone

from accounts.models import Role
from core.errors import DomainError
from deputies.models import DutyRecord
from dutyreports import evaluation
from dutyreports.models import (
    BallotCode,
    DutyReport,
    ExcellentCandidate,
    Rectification,
    ReportCampaign,
    ReportEvaluation,
)
from dutyreports.services import campaign_open, report_file
from tests import factories as f

TODAY = timezone.localdate()
STATES = ["filed", "closed", "published"]
ACTIONS = [
    "file",
    "ballot_codes",
    "paper_ballots",
    "voter_vote",
    "peer_vote",
    "organisation_vote",
    "evaluation_close",
    "publish_report",
    "publish_result",
]
ALLOWED = {
    **{("filed", a): True for a in ACTIONS if a != "publish_result"},
    ("closed", "publish_report"): True,
    ("closed", "publish_result"): True,
    ("published", "publish_report"): True,
    ("published", "publish_result"): True,
}


@pytest.fixture
def peer(world):
    return f.make_user(Role.DEPUTY, "t_peer", deputy=world.deputy_a2)  # same group as deputy_a1


def _report_at(users, world, state) -> DutyReport:
    campaign = f.make_campaign(
        county=world.county_a,
        year=TODAY.year,
        deadline=TODAY + datetime.timedelta(days=20),
        opened_by=users["staff"],
    )
    report = DutyReport.objects.create(
        campaign=campaign,
        deputy=world.deputy_a1,
        written_text="一年来履职情况",
        entered_by=users["deputy"],
    )
    BallotCode.objects.create(report=report)  # a voter's code handed out while it was open
    if state != "filed":
        ReportCampaign.objects.filter(pk=campaign.pk).update(evaluation_closed_at=timezone.now())
        DutyReport.objects.filter(pk=report.pk).update(grade="competent")
    if state == "published":
        DutyReport.objects.filter(pk=report.pk).update(
            result_published_at=timezone.now(), result_published_by=users["staff"]
        )
    return DutyReport.objects.select_related("campaign").get(pk=report.pk)


def _snapshot(report) -> dict:
    source = {"source_type": ContentType.objects.get_for_model(DutyReport), "source_id": report.pk}
    return {
        "report": DutyReport.objects.filter(pk=report.pk).values().get(),
        "campaign": ReportCampaign.objects.filter(pk=report.campaign_id).values().get(),
        "ballots": list(ReportEvaluation.objects.filter(report=report).values()),
        "codes": list(BallotCode.objects.filter(report=report).values()),
        "records": list(DutyRecord.objects.filter(**source).values()),
    }


def _call(action, users, peer, report):
    staff = users["staff"]
    if action == "file":
        return report_file(
            user=users["deputy"],
            campaign=report.campaign,
            deputy=report.deputy,
            written_text="一年来履职情况(修改)",
        )
    if action == "ballot_codes":
        return evaluation.ballot_codes_issue(user=staff, report=report, count=3)
    if action == "paper_ballots":
        return evaluation.paper_ballots_enter(user=staff, report=report, counts={"excellent": 2})
    if action == "voter_vote":
        code = BallotCode.objects.get(report=report)
        return evaluation.voter_vote(code=code.code, grade="excellent")
    if action == "peer_vote":
        return evaluation.peer_vote(user=peer, report=report, grade="competent")
    if action == "organisation_vote":
        return evaluation.organisation_vote(user=staff, report=report, grade="excellent")
    if action == "evaluation_close":
        return evaluation.evaluation_close(user=staff, campaign=report.campaign)
    what = action.removeprefix("publish_")
    return evaluation.report_publish(user=staff, report=report, what=what)


def _written(action, report, before) -> None:
    """What an allowed action records."""
    report.refresh_from_db()
    ballots = ReportEvaluation.objects.filter(report=report)
    if action == "file":
        assert report.written_text == "一年来履职情况(修改)"
        assert DutyRecord.objects.get(kind="duty_report").deputy == report.deputy
    elif action == "ballot_codes":
        assert BallotCode.objects.filter(report=report).count() == 4
    elif action == "paper_ballots":
        assert list(ballots.values_list("kind", "grade")) == [("voter", "excellent")] * 2
    elif action == "voter_vote":
        assert list(ballots.values_list("kind", "grade")) == [("voter", "excellent")]
        assert BallotCode.objects.get(report=report).used_at is not None
    elif action == "peer_vote":
        assert list(ballots.values_list("kind", "grade")) == [("peer", "competent")]
    elif action == "organisation_vote":
        assert list(ballots.values_list("kind", "grade")) == [("organisation", "excellent")]
    elif action == "evaluation_close":
        assert report.campaign.__class__.objects.get(pk=report.campaign_id).evaluation_closed_at
        assert (report.grade, report.total_score) == ("", None)  # no ballot: no result
    else:
        what = action.removeprefix("publish_")
        assert getattr(report, f"{what}_published_at") is not None
        assert getattr(report, f"{what}_published_by") is not None


@pytest.mark.parametrize("state", STATES)
@pytest.mark.parametrize("action", ACTIONS)
def test_every_report_state_and_action(users, world, peer, state, action):
    report = _report_at(users, world, state)
    before = _snapshot(report)
    if not ALLOWED.get((state, action)):
        with pytest.raises(DomainError):
            _call(action, users, peer, report)
        assert _snapshot(report) == before
        return
    _call(action, users, peer, report)
    _written(action, report, before)


# Every role ----------------------------------------------------------------------------------

STAFF = {"admin", "staff"}
ROLES = ["admin", "staff", "member", "township", "keeper", "deputy", "unit", "outsider", "staff_b"]


def _rectification(report, users):
    return Rectification.objects.create(
        report=report,
        problem="联系选民偏少",
        measure="每月走访",
        deadline=TODAY + datetime.timedelta(days=30),
        created_by=users["staff"],
    )


def _candidate(report):
    ReportCampaign.objects.filter(pk=report.campaign_id).update(evaluation_closed_at=timezone.now())
    report.campaign.refresh_from_db()
    return ExcellentCandidate.objects.create(campaign=report.campaign, deputy=report.deputy)


# service → (the call for a user, the roles that may act)
SERVICES = {
    "campaign_open": (
        lambda u, r, a: campaign_open(
            user=u, county=r.campaign.county, year=TODAY.year - 1, deadline=TODAY
        ),
        STAFF,
    ),
    "report_file": (
        lambda u, r, a: report_file(
            user=u, campaign=r.campaign, deputy=r.deputy, written_text="述职(修改)"
        ),
        STAFF | {"deputy"},
    ),
    "settings_update": (
        lambda u, r, a: evaluation.settings_update(
            user=u,
            campaign=r.campaign,
            voter_weight=40,
            peer_weight=30,
            organisation_weight=30,
            excellent_min=90,
            competent_min=70,
            basic_min=60,
        ),
        STAFF,
    ),
    "ballot_codes_issue": (
        lambda u, r, a: evaluation.ballot_codes_issue(user=u, report=r, count=1),
        STAFF,
    ),
    "paper_ballots_enter": (
        lambda u, r, a: evaluation.paper_ballots_enter(user=u, report=r, counts={"basic": 1}),
        STAFF,
    ),
    "organisation_vote": (
        lambda u, r, a: evaluation.organisation_vote(user=u, report=r, grade="basic"),
        STAFF,
    ),
    "evaluation_close": (
        lambda u, r, a: evaluation.evaluation_close(user=u, campaign=r.campaign),
        STAFF,
    ),
    "report_publish": (
        lambda u, r, a: evaluation.report_publish(user=u, report=r, what="report"),
        STAFF,
    ),
    "rectification_add": (
        lambda u, r, a: evaluation.rectification_add(
            user=u, report=r, problem="p", measure="m", deadline=TODAY
        ),
        STAFF,
    ),
    "rectification_update": (
        lambda u, r, a: evaluation.rectification_update(
            user=u, item=_rectification(r, a), status="pending", evidence="", done_on=None
        ),
        STAFF | {"deputy"},
    ),
    "rectification_publish": (
        lambda u, r, a: evaluation.rectification_publish(user=u, item=_rectification(r, a)),
        STAFF,
    ),
    "candidates_propose": (
        lambda u, r, a: (
            _candidate(r),
            evaluation.candidates_propose(user=u, campaign=r.campaign, count=3),
        ),
        STAFF,
    ),
    "candidate_decide": (
        lambda u, r, a: evaluation.candidate_decide(
            user=u, candidate=_candidate(r), decision="selected"
        ),
        STAFF,
    ),
    "excellent_publish": (
        lambda u, r, a: (
            ExcellentCandidate.objects.filter(pk=_candidate(r).pk).update(decision="selected"),
            evaluation.excellent_publish(user=u, campaign=r.campaign),
        ),
        STAFF,
    ),
}


@pytest.mark.parametrize("service", list(SERVICES))
@pytest.mark.parametrize("role", ROLES)
def test_every_role_on_every_campaign_service(users, world, service, role):
    actors = {
        **users,
        "staff_b": f.make_user(Role.COMMITTEE_STAFF, "t_staff_b", county=world.county_b),
    }
    report = _report_at(users, world, "filed")
    call, allowed = SERVICES[service]
    if role in allowed:
        call(actors[role], report, users)
        return
    # The records a call makes before the service refuses (a rectification, a candidate) are
    # part of the setting, not of the change.
    with pytest.raises(DomainError, match="只"):
        call(actors[role], report, users)
    report.campaign.refresh_from_db()
    assert DutyReport.objects.get(pk=report.pk).written_text == "一年来履职情况"
    assert not ReportEvaluation.objects.exists()
    assert BallotCode.objects.count() == 1
    assert ReportCampaign.objects.count() == 1
    assert not Rectification.objects.filter(published_at__isnull=False).exists()
    if service == "candidate_decide":
        assert ExcellentCandidate.objects.get().decision == "pending"
    assert not ExcellentCandidate.objects.filter(published_at__isnull=False).exists()
    assert report.campaign.voter_weight == 50


def test_a_deputy_files_and_updates_only_their_own(users, world):
    report = _report_at(users, world, "filed")
    other = f.make_user(Role.DEPUTY, "t_other", deputy=world.deputy_a2)
    with pytest.raises(DomainError, match="只能提交自己的述职"):
        report_file(user=other, campaign=report.campaign, deputy=world.deputy_a1, written_text="x")
    with pytest.raises(DomainError, match="只有代表本人"):
        evaluation.rectification_update(
            user=other,
            item=_rectification(report, users),
            status="done",
            evidence="x",
            done_on=TODAY,
        )
    assert not Rectification.objects.filter(status="done").exists()


def test_peer_votes_are_for_deputies_only(users, world):
    report = _report_at(users, world, "filed")
    for role in ROLES[:5] + ["unit", "outsider"]:
        with pytest.raises(DomainError):
            evaluation.peer_vote(user=users[role], report=report, grade="competent")
    with pytest.raises(DomainError, match="同一家站或同一代表小组"):  # their own report
        evaluation.peer_vote(user=users["deputy"], report=report, grade="competent")
    assert not ReportEvaluation.objects.exists()


# Many cases, one world: built once for the module, each case in a savepoint (tests/conftest.py).
@pytest.fixture
def world(shared_world):
    return shared_world


@pytest.fixture
def users(shared_users):
    return shared_users
