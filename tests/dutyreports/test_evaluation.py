"""三评 (voter codes and paper forms, peers, the organisation), the combined score with the year's
weights and bands, closing, 三公开 after approval, rectifications and 优秀人大代表."""

import datetime
from decimal import Decimal

import pytest
from django.contrib.messages import get_messages
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from accounts.models import Role
from core.errors import DomainError
from deputies.models import DutyScore
from directory.models import Deputy
from dutyreports import evaluation
from dutyreports.models import (
    BallotCode,
    BatchMember,
    DutyReport,
    ExcellentCandidate,
    Grade,
    Rectification,
    ReportCampaign,
    ReportEvaluation,
)
from tests import factories as f
from tests.querycount import count_queries

TODAY = timezone.localdate()
CAMPAIGN = reverse("dutyreports:campaign")
PEERS = reverse("dutyreports:peers")
INVALID_CODE = "评议码无效或已经使用过"
CLOSED = "本年度测评已经结束"


def message(response) -> str:
    return " ".join(str(m) for m in get_messages(response.wsgi_request))


def login(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def deputy_client(deputy) -> Client:
    return login(f.make_user(Role.DEPUTY, deputy=deputy))


def url(name: str, *args) -> str:
    return reverse(f"dutyreports:{name}", args=args)


@pytest.fixture
def campaign(users, world):
    return f.make_campaign(
        county=world.county_a,
        year=TODAY.year,
        deadline=TODAY + datetime.timedelta(days=20),
        opened_by=users["staff"],
    )


@pytest.fixture
def make_report(users, campaign):
    def make(deputy, target=None) -> DutyReport:
        # A report is filed by a deputy on the campaign's batch.
        BatchMember.objects.get_or_create(
            campaign=target or campaign, deputy=deputy, defaults={"source": "added"}
        )
        return DutyReport.objects.create(
            campaign=target or campaign,
            deputy=deputy,
            written_text="一年来履职情况",
            entered_by=users["staff"],
        )

    return make


@pytest.fixture
def report(world, make_report):
    """deputy_a1's report (users["deputy"] is deputy_a1)."""
    return make_report(world.deputy_a1)


def ballots(report, kind: str, *grades: str) -> None:
    for grade in grades:
        ReportEvaluation.objects.create(report=report, kind=kind, grade=grade)


def close(users, campaign) -> None:
    evaluation.evaluation_close(user=users["staff"], campaign=campaign)
    campaign.refresh_from_db()


# --- 1. voter codes --------------------------------------------------------------------------


def test_a_code_votes_once(world, report):
    code = BallotCode.objects.create(report=report)
    link = url("evaluate", code.code)
    voter = Client()  # no account
    page = voter.get(link)
    assert page.status_code == 200 and world.deputy_a1.name in page.content.decode()
    done = voter.post(link, {"grade": Grade.COMPETENT, "comment": "联系群众多"})
    assert done.status_code == 200 and "感谢您的评议" in done.content.decode()
    ballot = ReportEvaluation.objects.get()
    assert (ballot.report, ballot.kind, ballot.grade, ballot.code) == (
        report,
        "voter",
        Grade.COMPETENT,
        code,
    )
    assert ballot.comment == "联系群众多"
    code.refresh_from_db()
    assert code.used_at is not None

    for again in (voter.post(link, {"grade": Grade.EXCELLENT}), voter.get(link)):
        assert again.status_code == 404 and INVALID_CODE in again.content.decode()
    assert ReportEvaluation.objects.count() == 1


def test_an_unknown_code_gets_the_same_404(report):
    BallotCode.objects.create(report=report)
    response = Client().post(url("evaluate", "no-such-code"), {"grade": Grade.EXCELLENT})
    assert response.status_code == 404 and INVALID_CODE in response.content.decode()
    assert not ReportEvaluation.objects.exists()


def test_a_vote_without_a_grade_is_asked_again_and_keeps_the_code(report):
    code = BallotCode.objects.create(report=report)
    response = Client().post(url("evaluate", code.code), {"grade": ""})
    assert response.status_code == 200 and "该字段是必填项。" in response.content.decode()
    code.refresh_from_db()
    assert code.used_at is None and not ReportEvaluation.objects.exists()


def test_a_code_after_closing_is_refused_and_stays_unused(users, campaign, report):
    code = BallotCode.objects.create(report=report)
    close(users, campaign)
    link = url("evaluate", code.code)
    for response in (Client().get(link), Client().post(link, {"grade": Grade.EXCELLENT})):
        assert response.status_code == 404 and INVALID_CODE in response.content.decode()
    # The service itself refuses too and rolls the claim back.
    with pytest.raises(DomainError, match=CLOSED):
        evaluation.voter_vote(code=code.code, grade=Grade.EXCELLENT)
    code.refresh_from_db()
    assert code.used_at is None and not ReportEvaluation.objects.exists()


def test_the_service_claims_a_code_once(report):
    code = BallotCode.objects.create(report=report)
    evaluation.voter_vote(code=code.code, grade=Grade.BASIC)
    with pytest.raises(DomainError, match=INVALID_CODE):
        evaluation.voter_vote(code=code.code, grade=Grade.EXCELLENT)
    assert list(ReportEvaluation.objects.values_list("grade", flat=True)) == [Grade.BASIC]


def test_staff_issue_codes_and_print_only_unused_ones(client_for, report):
    client = client_for("staff")
    client.post(url("codes_issue", report.pk), {"count": 3})
    codes = list(BallotCode.objects.filter(report=report).order_by("pk"))
    assert len(codes) == 3 and len({c.code for c in codes}) == 3
    evaluation.voter_vote(code=codes[0].code, grade=Grade.EXCELLENT)
    sheet = client.get(url("codes_print", report.pk)).content.decode()
    assert codes[0].code not in sheet and codes[1].code in sheet and codes[2].code in sheet
    client.post(url("codes_issue", report.pk), {"count": evaluation.MAX_CODES + 1})
    assert BallotCode.objects.count() == 3


# --- 2. paper ballots ------------------------------------------------------------------------


def test_paper_counts_make_that_many_ballots(client_for, users, report):
    counts = {"excellent": 2, "competent": 1, "basic": 0, "incompetent": 3}
    response = client_for("staff").post(url("paper_enter", report.pk), counts)
    assert response.status_code == 302 and "已录入" in message(response)
    rows = ReportEvaluation.objects.filter(report=report)
    assert rows.count() == 6
    assert {r.kind for r in rows} == {"voter"} and {r.entered_by for r in rows} == {users["staff"]}
    for grade, count in counts.items():
        assert rows.filter(grade=grade).count() == count


@pytest.mark.parametrize(
    ("counts", "error"),
    [
        ({"excellent": 0, "competent": 0, "basic": 0, "incompetent": 0}, "至少填写一个等次"),
        ({"excellent": 3, "competent": -1, "basic": 0, "incompetent": 0}, "0"),
    ],
)
def test_empty_or_negative_paper_counts_save_nothing(client_for, report, counts, error):
    response = client_for("staff").post(url("paper_enter", report.pk), counts)
    assert response.status_code == 302 and error in message(response)
    assert not ReportEvaluation.objects.exists()


def test_the_service_refuses_a_negative_paper_count(users, report):
    with pytest.raises(DomainError, match="不能为负数"):
        evaluation.paper_ballots_enter(
            user=users["staff"], report=report, counts={"excellent": 5, "basic": -1}
        )
    assert not ReportEvaluation.objects.exists()


@pytest.mark.parametrize(
    ("role", "status"),
    [("member", 403), ("township", 403), ("deputy", 403), ("unit", 403), ("outsider", 404)],
)
def test_only_county_staff_enter_paper_ballots(client_for, report, role, status):
    data = {"excellent": 5, "competent": 0, "basic": 0, "incompetent": 0}
    assert client_for(role).post(url("paper_enter", report.pk), data).status_code == status
    assert client_for(role).post(url("codes_issue", report.pk), {"count": 5}).status_code == status
    org = {"org-grade": Grade.EXCELLENT}
    assert client_for(role).post(url("organisation_evaluate", report.pk), org).status_code == status
    assert not ReportEvaluation.objects.exists() and not BallotCode.objects.exists()


# --- 3. peers --------------------------------------------------------------------------------


@pytest.fixture
def peers(world, make_report):
    """deputy_a1's peers: one at the same station, deputy_a2 by group; the liaison deputy of the
    same township shares neither."""
    same_station = f.make_deputy(world.home_a1, name="钱同站")
    return {
        "own": make_report(world.deputy_a1),
        "station": make_report(same_station),
        "group": make_report(world.deputy_a2),
        "stranger": make_report(world.deputy_a1_liaison),
    }


def test_the_peer_list_holds_station_and_group_fellows_only(client_for, world, peers):
    listed = client_for("deputy").get(PEERS).context["reports"]
    assert {r.pk for r in listed} == {peers["station"].pk, peers["group"].pk}


def test_an_unstationed_deputy_has_group_peers_only(world, peers, make_report):
    other_unstationed = f.make_deputy(None, name="孙未站", county=world.county_a)
    make_report(other_unstationed)
    Deputy.objects.filter(pk=world.deputy_a1.pk).update(station=None)
    deputy = Deputy.objects.get(pk=world.deputy_a1.pk)
    listed = evaluation.peers_of(deputy, peers["own"].campaign)
    assert {r.pk for r in listed} == {peers["group"].pk}


@pytest.mark.parametrize("which", ["station", "group"])
def test_a_peer_evaluates_once(client_for, world, peers, which):
    client = client_for("deputy")
    target = peers[which]
    first = client.post(url("peer_evaluate", target.pk), {"grade": Grade.EXCELLENT})
    assert first.status_code == 302 and "已评议" in message(first)
    again = client.post(url("peer_evaluate", target.pk), {"grade": Grade.BASIC})
    assert "已经评议过" in message(again)
    ballot = ReportEvaluation.objects.get(report=target)
    assert (ballot.kind, ballot.grade, ballot.evaluator) == (
        "peer",
        Grade.EXCELLENT,
        world.deputy_a1,
    )
    page = client.get(PEERS)
    marked = {r.pk: r.my_grade for r in page.context["reports"]}
    assert marked[target.pk] == Grade.EXCELLENT


def test_a_deputy_of_another_station_and_group_is_refused(client_for, peers):
    response = client_for("deputy").post(
        url("peer_evaluate", peers["stranger"].pk), {"grade": Grade.EXCELLENT}
    )
    assert "只能评议同一家站或同一代表小组" in message(response)
    assert not ReportEvaluation.objects.exists()


def test_a_deputy_cannot_evaluate_themselves(client_for, peers):
    response = client_for("deputy").post(
        url("peer_evaluate", peers["own"].pk), {"grade": Grade.EXCELLENT}
    )
    assert response.status_code == 302 and "只能评议" in message(response)
    assert not ReportEvaluation.objects.exists()


def test_another_countys_report_and_non_deputies_are_refused(
    client_for, users, world, peers, make_report
):
    other = f.make_campaign(
        county=world.county_b, year=TODAY.year, deadline=TODAY, opened_by=users["admin"]
    )
    foreign = make_report(world.deputy_b1, other)
    deputy = client_for("deputy")
    # Another county's report is outside the deputy's scope: it does not exist for them.
    assert deputy.post(url("peer_evaluate", foreign.pk), {"grade": "excellent"}).status_code == 404
    for role in ("staff", "township", "keeper"):
        client = client_for(role)
        assert client.get(PEERS).status_code == 403
        data = {"grade": "excellent"}
        assert client.post(url("peer_evaluate", peers["station"].pk), data).status_code == 403
    assert not ReportEvaluation.objects.exists()


# --- 4. organisation -------------------------------------------------------------------------


def test_the_organisation_evaluates_once_and_may_correct(client_for, users, report):
    client = client_for("staff")
    link = url("organisation_evaluate", report.pk)
    client.post(link, {"org-grade": Grade.COMPETENT, "org-comment": "初评"})
    response = client.post(link, {"org-grade": Grade.EXCELLENT, "org-comment": "复核"})
    assert "组织考评已保存" in message(response)
    ballot = ReportEvaluation.objects.get(report=report)
    assert (ballot.kind, ballot.grade, ballot.comment) == ("organisation", "excellent", "复核")
    assert ballot.entered_by == users["staff"]
    detail = client.get(url("report_detail", report.pk))
    assert detail.context["result"].organisation.votes == 1


# --- 5. weights and bands --------------------------------------------------------------------


def test_the_combined_score_weighs_the_three_parts(client_for, campaign, report):
    campaign.voter_weight, campaign.peer_weight, campaign.organisation_weight = 50, 20, 30
    campaign.save()
    ballots(report, "voter", Grade.EXCELLENT, Grade.COMPETENT)
    ballots(report, "peer", Grade.BASIC)
    ballots(report, "organisation", Grade.EXCELLENT)
    result = evaluation.tallies(campaign)[report.pk]
    assert (result.voter.score, result.voter.votes) == (Decimal("90.00"), 2)
    assert (result.peer.score, result.peer.votes) == (Decimal("60.00"), 1)
    assert (result.organisation.score, result.organisation.votes) == (Decimal("100.00"), 1)
    assert result.total == Decimal("87.00") and result.grade == Grade.COMPETENT
    page = client_for("staff").get(url("report_detail", report.pk))
    assert page.context["result"] == result
    assert "87.00" in page.content.decode() and "称职" in page.content.decode()


def test_other_weights_change_the_score(campaign, report):
    campaign.voter_weight, campaign.peer_weight, campaign.organisation_weight = 20, 20, 60
    campaign.save()
    ballots(report, "voter", Grade.EXCELLENT, Grade.COMPETENT)  # 90
    ballots(report, "peer", Grade.BASIC)  # 60
    ballots(report, "organisation", Grade.INCOMPETENT)  # 0
    result = evaluation.tallies(campaign)[report.pk]
    assert result.total == Decimal("30.00") and result.grade == Grade.INCOMPETENT


def test_a_missing_part_leaves_its_weight_to_the_others(campaign, report):
    ballots(report, "voter", Grade.EXCELLENT, Grade.COMPETENT)  # 90, weight 50
    ballots(report, "organisation", Grade.EXCELLENT)  # 100, weight 30
    result = evaluation.tallies(campaign)[report.pk]
    assert result.peer.votes == 0 and result.peer.score is None
    # (50 * 90 + 30 * 100) / 80 = 93.75
    assert result.total == Decimal("93.75") and result.grade == Grade.EXCELLENT


def test_a_part_with_no_weight_does_not_count(campaign, report):
    campaign.voter_weight, campaign.peer_weight, campaign.organisation_weight = 70, 0, 30
    campaign.save()
    ballots(report, "voter", Grade.COMPETENT)
    ballots(report, "peer", Grade.INCOMPETENT)
    result = evaluation.tallies(campaign)[report.pk]
    assert result.peer.votes == 1 and result.total == Decimal("80.00")


def test_part_scores_round_half_up_to_cents(campaign, report):
    ballots(report, "voter", Grade.EXCELLENT, Grade.EXCELLENT, Grade.COMPETENT)  # 93.333…
    result = evaluation.tallies(campaign)[report.pk]
    assert result.voter.score == Decimal("93.33") and result.total == Decimal("93.33")


@pytest.mark.parametrize(
    ("score", "grade"),
    [
        ("100", Grade.EXCELLENT),
        ("90", Grade.EXCELLENT),
        ("89.99", Grade.COMPETENT),
        ("75", Grade.COMPETENT),
        ("74.99", Grade.BASIC),
        ("60", Grade.BASIC),
        ("59.99", Grade.INCOMPETENT),
        ("0", Grade.INCOMPETENT),
    ],
)
def test_grade_bands_include_their_lower_bound(campaign, score, grade):
    assert campaign.grade_for(Decimal(score)) == grade


def test_a_report_without_ballots_has_no_grade(campaign):
    assert campaign.grade_for(None) == ""
    assert evaluation.combine(campaign, {}).total is None


def test_exactly_ninety_by_ballots_is_excellent(campaign, report):
    ballots(report, "voter", Grade.EXCELLENT, Grade.COMPETENT)
    result = evaluation.tallies(campaign)[report.pk]
    assert result.total == Decimal("90.00") and result.grade == Grade.EXCELLENT


SETTINGS = {
    "voter_weight": 40,
    "peer_weight": 30,
    "organisation_weight": 30,
    "excellent_min": "85",
    "competent_min": "70",
    "basic_min": "50",
}


def test_staff_set_weights_and_bands(client_for, campaign, report):
    response = client_for("staff").post(url("campaign_settings", campaign.pk), SETTINGS)
    assert response.status_code == 302
    campaign.refresh_from_db()
    assert (campaign.voter_weight, campaign.peer_weight, campaign.organisation_weight) == (
        40,
        30,
        30,
    )
    assert campaign.excellent_min == Decimal("85") and campaign.basic_min == Decimal("50")
    ballots(report, "voter", Grade.EXCELLENT, Grade.BASIC, Grade.COMPETENT)  # 80
    ballots(report, "organisation", Grade.EXCELLENT)  # 100
    # (40 * 80 + 30 * 100) / 70 = 88.571… → 优秀 with the new bands
    result = evaluation.tallies(campaign)[report.pk]
    assert result.total == Decimal("88.57") and result.grade == Grade.EXCELLENT


@pytest.mark.parametrize(
    ("change", "error"),
    [
        ({"organisation_weight": 20}, "三项权重之和须为100%,现在是90%"),
        ({"competent_min": "90"}, "依次降低"),
        ({"excellent_min": "70", "competent_min": "80"}, "依次降低"),
        ({"excellent_min": "120"}, "0到100之间"),
        ({"voter_weight": ""}, "该字段是必填项。"),
    ],
)
def test_bad_settings_are_refused_and_nothing_saved(client_for, campaign, change, error):
    response = client_for("staff").post(url("campaign_settings", campaign.pk), SETTINGS | change)
    assert response.status_code == 200 and error in response.content.decode()
    campaign.refresh_from_db()
    assert (campaign.voter_weight, campaign.peer_weight, campaign.organisation_weight) == (
        50,
        20,
        30,
    )
    assert campaign.excellent_min == Decimal("90") and campaign.competent_min == Decimal("75")


@pytest.mark.parametrize(("role", "status"), [("member", 403), ("township", 403), ("deputy", 403)])
def test_only_staff_open_the_settings(client_for, campaign, role, status):
    client = client_for(role)
    assert client.get(url("campaign_settings", campaign.pk)).status_code == status
    assert client.post(url("campaign_settings", campaign.pk), SETTINGS).status_code == status
    campaign.refresh_from_db()
    assert campaign.voter_weight == 50


# --- 6. closing ------------------------------------------------------------------------------


def test_closing_fixes_the_result_on_every_report(client_for, world, campaign, make_report):
    rated = make_report(world.deputy_a1)
    silent = make_report(world.deputy_a2)
    ballots(rated, "voter", Grade.EXCELLENT, Grade.COMPETENT)
    ballots(rated, "peer", Grade.BASIC)
    ballots(rated, "organisation", Grade.EXCELLENT)
    response = client_for("staff").post(url("evaluation_close", campaign.pk))
    assert "2份述职的评议结果已确定" in message(response)
    campaign.refresh_from_db()
    assert campaign.evaluation_closed_at is not None
    rated.refresh_from_db()
    assert (rated.voter_score, rated.voter_votes) == (Decimal("90.00"), 2)
    assert (rated.peer_score, rated.peer_votes) == (Decimal("60.00"), 1)
    assert (rated.organisation_score, rated.organisation_votes) == (Decimal("100.00"), 1)
    assert rated.total_score == Decimal("87.00") and rated.grade == Grade.COMPETENT
    silent.refresh_from_db()
    assert silent.grade == "" and silent.total_score is None
    assert (silent.voter_votes, silent.peer_votes, silent.organisation_votes) == (0, 0, 0)
    # The page shows the fixed result, whatever is added to the table afterwards.
    ballots(rated, "voter", Grade.INCOMPETENT, Grade.INCOMPETENT)
    page = client_for("staff").get(url("report_detail", rated.pk))
    assert page.context["result"].total == Decimal("87.00")
    assert page.context["result"].voter.votes == 2


def test_no_ballot_is_taken_after_closing(client_for, users, world, campaign, make_report):
    own = make_report(world.deputy_a1)
    fellow = make_report(world.deputy_a2)  # deputy_a1's group fellow
    code = BallotCode.objects.create(report=own)
    close(users, campaign)
    staff = client_for("staff")
    link = url("evaluate", code.code)
    assert Client().post(link, {"grade": Grade.EXCELLENT}).status_code == 404
    paper = {"excellent": 1, "competent": 0, "basic": 0, "incompetent": 0}
    assert CLOSED in message(staff.post(url("paper_enter", own.pk), paper))
    org = {"org-grade": Grade.EXCELLENT}
    assert CLOSED in message(staff.post(url("organisation_evaluate", own.pk), org))
    assert CLOSED in message(staff.post(url("codes_issue", own.pk), {"count": 2}))
    peer = client_for("deputy").post(url("peer_evaluate", fellow.pk), {"grade": "excellent"})
    assert CLOSED in message(peer)
    settings_page = staff.post(url("campaign_settings", campaign.pk), SETTINGS)
    assert CLOSED in settings_page.content.decode()
    assert not ReportEvaluation.objects.exists()
    assert BallotCode.objects.count() == 1 and BallotCode.objects.get().used_at is None
    campaign.refresh_from_db()
    assert campaign.voter_weight == 50


def test_closing_twice_is_refused(client_for, campaign, report):
    client = client_for("staff")
    client.post(url("evaluation_close", campaign.pk))
    campaign.refresh_from_db()
    closed_at = campaign.evaluation_closed_at
    again = client.post(url("evaluation_close", campaign.pk))
    assert CLOSED in message(again)
    campaign.refresh_from_db()
    assert campaign.evaluation_closed_at == closed_at


@pytest.mark.parametrize("role", ["member", "township"])
def test_only_staff_close(client_for, campaign, report, role):
    response = client_for(role).post(url("evaluation_close", campaign.pk))
    assert response.status_code == 403
    campaign.refresh_from_db()
    assert campaign.evaluation_open


# --- 7. 三公开 -------------------------------------------------------------------------------


def test_staff_publish_and_withdraw_the_report(client_for, users, report):
    client = client_for("staff")
    client.post(url("report_publish", report.pk, "report"), {"publish": "1"})
    report.refresh_from_db()
    assert report.report_published_at is not None and report.report_published_by == users["staff"]
    assert report.result_published_at is None
    client.post(url("report_publish", report.pk, "report"), {"publish": "0"})
    report.refresh_from_db()
    assert report.report_published_at is None and report.report_published_by is None


def test_the_result_is_published_only_after_closing(client_for, users, campaign, report):
    client = client_for("staff")
    ballots(report, "organisation", Grade.EXCELLENT)
    early = client.post(url("report_publish", report.pk, "result"), {"publish": "1"})
    assert "测评结束并产生结果后才能公开" in message(early)
    report.refresh_from_db()
    assert report.result_published_at is None
    close(users, campaign)
    client.post(url("report_publish", report.pk, "result"), {"publish": "1"})
    report.refresh_from_db()
    assert report.result_published_at is not None and report.result_published_by == users["staff"]
    client.post(url("report_publish", report.pk, "result"), {"publish": "0"})
    report.refresh_from_db()
    assert report.result_published_at is None and report.result_published_by is None


def test_a_result_without_ballots_is_not_published(client_for, users, campaign, report):
    close(users, campaign)
    response = client_for("staff").post(url("report_publish", report.pk, "result"), {"publish": 1})
    assert "才能公开" in message(response)
    report.refresh_from_db()
    assert report.result_published_at is None


def test_an_unknown_publication_is_refused(client_for, report):
    response = client_for("staff").post(url("report_publish", report.pk, "deputy"), {"publish": 1})
    assert "未知的公开事项" in message(response)


@pytest.mark.parametrize(
    ("role", "status"), [("township", 403), ("deputy", 403), ("member", 403), ("outsider", 404)]
)
def test_others_cannot_publish(client_for, users, campaign, report, role, status):
    ballots(report, "organisation", Grade.EXCELLENT)
    close(users, campaign)
    item = Rectification.objects.create(
        report=report,
        problem="联系群众少",
        measure="每月接待",
        deadline=TODAY,
        created_by=users["staff"],
    )
    client = client_for(role)
    for what in ("report", "result"):
        assert client.post(
            url("report_publish", report.pk, what), {"publish": "1"}
        ).status_code == (status)
    response = client.post(url("rectification_publish", item.pk), {"publish": "1"})
    assert response.status_code == status
    report.refresh_from_db()
    item.refresh_from_db()
    assert report.report_published_at is None and report.result_published_at is None
    assert item.published_at is None


def test_staff_publish_and_withdraw_a_rectification(client_for, users, report):
    item = Rectification.objects.create(
        report=report,
        problem="联系群众少",
        measure="每月接待",
        deadline=TODAY,
        created_by=users["staff"],
    )
    client = client_for("staff")
    client.post(url("rectification_publish", item.pk), {"publish": "1"})
    item.refresh_from_db()
    assert item.published_at is not None and item.published_by == users["staff"]
    client.post(url("rectification_publish", item.pk), {"publish": "0"})
    item.refresh_from_db()
    assert item.published_at is None and item.published_by is None


# --- 8. rectifications -----------------------------------------------------------------------


def rectification_data(deadline) -> dict:
    return {"problem": "联系群众少", "measure": "每月到家站接待", "deadline": deadline.isoformat()}


def test_staff_add_a_rectification(client_for, users, report):
    deadline = TODAY + datetime.timedelta(days=60)
    response = client_for("staff").post(
        url("rectification_new", report.pk), rectification_data(deadline)
    )
    assert "整改事项已登记" in message(response)
    item = Rectification.objects.get()
    assert (item.report, item.deadline, item.status) == (report, deadline, "pending")
    assert item.created_by == users["staff"] and item.published_at is None


def test_a_deadline_before_the_campaign_opened_is_refused(client_for, campaign, report):
    before = TODAY - datetime.timedelta(days=1)
    response = client_for("staff").post(
        url("rectification_new", report.pk), rectification_data(before)
    )
    assert "不能早于述职活动发起日期" in message(response)
    assert not Rectification.objects.exists()


def test_the_opening_date_is_the_local_one(users, campaign, report):
    # Opened at 02:00 in Beijing, which is still the day before in UTC.
    opened = datetime.datetime(
        2026, 3, 10, 2, 0, tzinfo=datetime.timezone(datetime.timedelta(hours=8))
    )
    ReportCampaign.objects.filter(pk=campaign.pk).update(opened_at=opened)
    report = DutyReport.objects.select_related("campaign").get(pk=report.pk)
    with pytest.raises(DomainError, match="不能早于"):
        evaluation.rectification_add(
            user=users["staff"],
            report=report,
            problem="x",
            measure="y",
            deadline=datetime.date(2026, 3, 9),
        )
    evaluation.rectification_add(
        user=users["staff"], report=report, problem="x", measure="y", deadline=opened.date()
    )
    assert Rectification.objects.count() == 1


@pytest.mark.parametrize("role", ["township", "member", "deputy"])
def test_only_staff_add_rectifications(client_for, report, role):
    data = rectification_data(TODAY + datetime.timedelta(days=30))
    assert client_for(role).post(url("rectification_new", report.pk), data).status_code == 403
    assert not Rectification.objects.exists()


@pytest.fixture
def item(users, report):
    return Rectification.objects.create(
        report=report,
        problem="联系群众少",
        measure="每月到家站接待",
        deadline=TODAY + datetime.timedelta(days=30),
        created_by=users["staff"],
    )


def test_the_deputy_reports_progress_on_their_own_item(client_for, item):
    client = client_for("deputy")
    link = url("rectification_progress", item.pk)
    assert client.get(link).status_code == 200
    response = client.post(
        link, {"status": "done", "evidence": "已接待群众12次", "done_on": TODAY.isoformat()}
    )
    assert response.status_code == 302 and response["Location"] == reverse("dutyreports:mine")
    item.refresh_from_db()
    assert (item.status, item.evidence, item.done_on) == ("done", "已接待群众12次", TODAY)
    # Back to pending: the date goes, the evidence stays.
    client.post(link, {"status": "pending", "evidence": "继续整改", "done_on": TODAY.isoformat()})
    item.refresh_from_db()
    assert (item.status, item.done_on) == ("pending", None)


@pytest.mark.parametrize(
    ("data", "error"),
    [
        ({"status": "done", "evidence": "", "done_on": TODAY.isoformat()}, "请填写整改成效"),
        ({"status": "done", "evidence": "  ", "done_on": TODAY.isoformat()}, "请填写整改成效"),
        ({"status": "done", "evidence": "已整改", "done_on": ""}, "请填写完成日期"),
        (
            {
                "status": "done",
                "evidence": "已整改",
                "done_on": (TODAY + datetime.timedelta(days=1)).isoformat(),
            },
            "不能晚于今天",
        ),
    ],
)
def test_done_needs_evidence_and_a_past_date(client_for, item, data, error):
    response = client_for("deputy").post(url("rectification_progress", item.pk), data)
    assert response.status_code == 200 and error in response.content.decode()
    item.refresh_from_db()
    assert (item.status, item.evidence, item.done_on) == ("pending", "", None)


def test_another_deputy_cannot_touch_the_item(world, item):
    other = deputy_client(world.deputy_a2)
    link = url("rectification_progress", item.pk)
    assert other.get(link).status_code == 404
    data = {"status": "done", "evidence": "x", "done_on": TODAY.isoformat()}
    assert other.post(link, data).status_code == 404
    item.refresh_from_db()
    assert item.status == "pending"


@pytest.mark.parametrize(("role", "status"), [("township", 403), ("outsider", 404), ("unit", 403)])
def test_others_cannot_report_progress(client_for, item, role, status):
    data = {"status": "done", "evidence": "x", "done_on": TODAY.isoformat()}
    assert client_for(role).post(url("rectification_progress", item.pk), data).status_code == status
    item.refresh_from_db()
    assert item.status == "pending"


# --- 9. 优秀人大代表 -------------------------------------------------------------------------


def score(deputy, year: int, total: str) -> DutyScore:
    return DutyScore.objects.create(
        deputy=deputy,
        year=year,
        total=Decimal(total),
        contact=Decimal("0"),
        suggestion=Decimal("0"),
        activity=Decimal("0"),
        acts=1,
        computed_at=timezone.now(),
    )


@pytest.fixture
def graded(world, campaign, make_report):
    """Four deputies graded 优秀 with duty scores 70, 95, 80 and none; one graded 称职 with the
    best duty score of all."""
    deputies = {key: f.make_deputy(world.home_a1, name=key) for key in "ABCDE"}
    for key, points in {"A": "70", "B": "95", "C": "80", "E": "99"}.items():
        score(deputies[key], campaign.year, points)
    score(deputies["A"], campaign.year - 1, "500")  # another year does not count
    for key in "ABCD":
        ballots(make_report(deputies[key]), "organisation", Grade.EXCELLENT)
    ballots(make_report(deputies["E"]), "organisation", Grade.COMPETENT)
    return deputies


def candidates(campaign) -> list[str]:
    return list(
        ExcellentCandidate.objects.filter(campaign=campaign)
        .order_by("pk")
        .values_list("deputy__name", flat=True)
    )


def test_proposing_before_closing_is_refused(client_for, campaign, graded):
    response = client_for("staff").post(url("excellent_propose", campaign.pk), {"count": 3})
    assert "请先结束测评" in message(response)
    assert not ExcellentCandidate.objects.exists()


def test_proposal_takes_the_excellent_by_duty_score(client_for, users, campaign, graded):
    close(users, campaign)
    client = client_for("staff")
    client.post(url("excellent_propose", campaign.pk), {"count": 2})
    assert candidates(campaign) == ["B", "C"]
    first = ExcellentCandidate.objects.get(deputy=graded["B"])
    assert first.duty_points == Decimal("95.00") and first.total_score == Decimal("100.00")
    assert first.grade == Grade.EXCELLENT and first.decision == "pending"
    client.post(url("excellent_propose", campaign.pk), {"count": 2})  # nothing new
    assert candidates(campaign) == ["B", "C"]
    client.post(url("excellent_propose", campaign.pk), {"count": 4})
    # A deputy without a duty score comes last; 称职 never comes.
    assert candidates(campaign) == ["B", "C", "A", "D"]
    client.post(url("excellent_propose", campaign.pk), {"count": 10})
    assert candidates(campaign) == ["B", "C", "A", "D"]
    page = client.get(url("excellent", campaign.pk))
    assert [c.deputy.name for c in page.context["candidates"]] == ["B", "C", "A", "D"]


def test_decide_and_publish_the_selected_only(client_for, users, campaign, graded):
    close(users, campaign)
    client = client_for("staff")
    client.post(url("excellent_propose", campaign.pk), {"count": 3})
    b, c, a = (ExcellentCandidate.objects.get(deputy=graded[k]) for k in "BCA")
    client.post(
        url("excellent_decide", campaign.pk, b.pk), {"decision": "selected", "note": "突出"}
    )
    client.post(url("excellent_decide", campaign.pk, c.pk), {"decision": "declined"})
    b.refresh_from_db()
    assert (b.decision, b.note, b.decided_by) == ("selected", "突出", users["staff"])
    early = client.post(url("excellent_publish", campaign.pk))
    assert "还有候选人没有评定" in message(early)
    assert not ExcellentCandidate.objects.filter(published_at__isnull=False).exists()
    client.post(url("excellent_decide", campaign.pk, a.pk), {"decision": "selected"})
    response = client.post(url("excellent_publish", campaign.pk))
    assert "已公布2名优秀人大代表" in message(response)
    published = ExcellentCandidate.objects.filter(published_at__isnull=False)
    assert {p.deputy.name for p in published} == {"A", "B"}
    late = client.post(url("excellent_decide", campaign.pk, b.pk), {"decision": "declined"})
    assert "已经公布" in message(late)
    b.refresh_from_db()
    assert b.decision == "selected" and b.published_at is not None


def test_a_pending_decision_is_not_a_choice(client_for, users, campaign, graded):
    close(users, campaign)
    client = client_for("staff")
    client.post(url("excellent_propose", campaign.pk), {"count": 1})
    candidate = ExcellentCandidate.objects.get()
    client.post(url("excellent_decide", campaign.pk, candidate.pk), {"decision": "pending"})
    candidate.refresh_from_db()
    assert candidate.decision == "pending" and candidate.decided_by is None


def test_publishing_with_none_selected_is_refused(client_for, users, campaign, graded):
    close(users, campaign)
    client = client_for("staff")
    client.post(url("excellent_propose", campaign.pk), {"count": 1})
    candidate = ExcellentCandidate.objects.get()
    client.post(url("excellent_decide", campaign.pk, candidate.pk), {"decision": "declined"})
    assert "还没有评定为优秀" in message(client.post(url("excellent_publish", campaign.pk)))


def test_a_deputy_may_not_see_the_selection(client_for, users, campaign, graded):
    close(users, campaign)
    assert client_for("deputy").get(url("excellent", campaign.pk)).status_code == 403


@pytest.mark.parametrize("role", ["member", "township"])
def test_only_staff_propose_decide_and_publish(client_for, users, campaign, graded, role):
    close(users, campaign)
    client = client_for(role)
    response = client.post(url("excellent_propose", campaign.pk), {"count": 3})
    assert response.status_code == 403
    assert not ExcellentCandidate.objects.exists()
    evaluation.candidates_propose(user=users["staff"], campaign=campaign, count=1)
    candidate = ExcellentCandidate.objects.get()
    decide = url("excellent_decide", campaign.pk, candidate.pk)
    assert client.post(decide, {"decision": "selected"}).status_code == 403
    assert client.post(url("excellent_publish", campaign.pk)).status_code == 403
    candidate.refresh_from_db()
    assert candidate.decision == "pending" and candidate.published_at is None


# --- 10. query counts ------------------------------------------------------------------------


def test_the_report_page_query_count_does_not_grow(client_for, users, world, campaign, report):
    staff, deputy = client_for("staff"), client_for("deputy")
    link = url("report_detail", report.pk)
    ballots(report, "voter", Grade.EXCELLENT)
    Rectification.objects.create(
        report=report, problem="p", measure="m", deadline=TODAY, created_by=users["staff"]
    )
    before = count_queries(staff, link), count_queries(deputy, link)
    BallotCode.objects.bulk_create([BallotCode(report=report) for _ in range(5)])
    ballots(report, "voter", Grade.COMPETENT, Grade.BASIC, Grade.INCOMPETENT)
    ballots(report, "organisation", Grade.EXCELLENT)
    for n in range(3):
        ballots(report, "peer", Grade.COMPETENT)
        Rectification.objects.create(
            report=report,
            problem=f"p{n}",
            measure="m",
            deadline=TODAY,
            created_by=users["staff"],
            published_at=timezone.now(),
            published_by=users["staff"],
        )
    assert (count_queries(staff, link), count_queries(deputy, link)) == before
    close(users, campaign)
    closed = count_queries(staff, link)
    Rectification.objects.create(
        report=report, problem="p9", measure="m", deadline=TODAY, created_by=users["staff"]
    )
    assert count_queries(staff, link) == closed


@pytest.mark.parametrize("closed", [False, True])
def test_the_campaign_page_query_count_does_not_grow(
    client_for, users, world, campaign, make_report, closed
):
    client = client_for("staff")
    ballots(make_report(world.deputy_a1), "voter", Grade.EXCELLENT)
    if closed:
        close(users, campaign)
    before = count_queries(client, CAMPAIGN)
    for i in range(6):
        added = make_report(f.make_deputy(world.home_a1 if i % 2 else world.home_a2))
        ballots(added, "voter", Grade.COMPETENT, Grade.BASIC)
        ballots(added, "peer", Grade.EXCELLENT)
        ballots(added, "organisation", Grade.EXCELLENT)
    if closed:
        # Fix results on the new reports as closing would.
        for added in DutyReport.objects.exclude(deputy=world.deputy_a1):
            added.grade, added.total_score = Grade.COMPETENT, Decimal("80")
            added.save()
    page = client.get(CAMPAIGN)
    assert len([d for d in page.context["page"] if d.report]) == 7
    assert count_queries(client, CAMPAIGN) == before


def test_the_excellent_and_peer_pages_query_count_does_not_grow(
    client_for, users, world, campaign, make_report
):
    make_report(world.deputy_a2)
    close(users, campaign)
    staff, deputy = client_for("staff"), client_for("deputy")
    excellent = url("excellent", campaign.pk)
    before = count_queries(staff, excellent), count_queries(deputy, PEERS)
    for _ in range(4):
        added = f.make_deputy(world.home_a1)
        make_report(added)
        ExcellentCandidate.objects.create(
            campaign=campaign, deputy=added, decided_by=users["staff"], decision="selected"
        )
    assert (count_queries(staff, excellent), count_queries(deputy, PEERS)) == before
