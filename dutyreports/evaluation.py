"""三评 (voter, peer and organisation evaluation), the combined result, 三公开 (publication after
staff approval) and the selection of 优秀人大代表.

A ballot chooses a grade; a part's score is the mean of its ballots' points (GRADE_POINTS); the
combined score weighs the parts by the year's weights, a part without ballots leaving its weight
to the others; the grade is the band the combined score falls in. Closing the evaluation fixes
the result on each report with the votes behind each part.
"""

import datetime
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from typing import TYPE_CHECKING

from django.db import IntegrityError, transaction
from django.db.models import (
    Avg,
    Case,
    Count,
    Exists,
    F,
    IntegerField,
    OuterRef,
    Q,
    Value,
    When,
)
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.access import can
from core.errors import DomainError
from deputies.models import DutyScore
from directory.models import Deputy, Mandate

from .models import (
    GRADE_POINTS,
    BallotCode,
    DutyReport,
    ExcellentCandidate,
    Grade,
    Rectification,
    ReportCampaign,
    ReportEvaluation,
)

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise

    from accounts.models import User

CENT = Decimal("0.01")
MAX_CODES = 500
MAX_PAPER_BALLOTS = 2000

Kind = ReportEvaluation.Kind


@dataclass(frozen=True)
class Part:
    score: Decimal | None
    votes: int


@dataclass(frozen=True)
class Result:
    voter: Part
    peer: Part
    organisation: Part
    total: Decimal | None
    grade: str

    @property
    def grade_label(self) -> "StrOrPromise":
        return Grade(self.grade).label if self.grade else ""


def _points() -> Case:
    return Case(
        *(When(grade=grade, then=Value(points)) for grade, points in GRADE_POINTS.items()),
        output_field=IntegerField(),
    )


def combine(campaign: ReportCampaign, parts: dict[str, Part]) -> Result:
    """The combined score of the three parts with the campaign's weights and bands."""
    weights: dict[str, int] = {
        Kind.VOTER: campaign.voter_weight,
        Kind.PEER: campaign.peer_weight,
        Kind.ORGANISATION: campaign.organisation_weight,
    }
    present = {kind: part for kind, part in parts.items() if part.votes and weights[kind]}
    total = None
    if present:
        weight = sum(weights[kind] for kind in present)
        # A part with votes has a score, and the sum of Decimals is a Decimal.
        total = (  # type: ignore[attr-defined]
            sum(part.score * weights[kind] for kind, part in present.items()) / weight  # type: ignore[operator,misc]
        ).quantize(CENT, ROUND_HALF_UP)
    empty = Part(None, 0)
    return Result(
        voter=parts.get(Kind.VOTER, empty),
        peer=parts.get(Kind.PEER, empty),
        organisation=parts.get(Kind.ORGANISATION, empty),
        total=total,
        grade=campaign.grade_for(total),
    )


def tallies(campaign: ReportCampaign, report_ids=None) -> dict[int, Result]:
    """The live result of every report of the campaign (or of ``report_ids``): one aggregate
    query, whatever the number of reports and ballots."""
    ballots = ReportEvaluation.objects.filter(report__campaign=campaign)
    if report_ids is not None:
        ballots = ballots.filter(report_id__in=report_ids)
    rows = (
        ballots.values("report_id", "kind")
        .annotate(votes=Count("pk"), score=Avg(_points()))
        .order_by()
    )
    parts: dict[int, dict[str, Part]] = {}
    for row in rows:
        score = Decimal(str(row["score"])).quantize(CENT, ROUND_HALF_UP)
        parts.setdefault(row["report_id"], {})[row["kind"]] = Part(score, row["votes"])
    return {report_id: combine(campaign, report_parts) for report_id, report_parts in parts.items()}


def _require_staff(user: "User", campaign: ReportCampaign, message: str) -> None:
    if not can(user, "report_campaign.manage", campaign):
        raise DomainError(message)


def _require_open(campaign: ReportCampaign) -> None:
    if not campaign.evaluation_open:
        raise DomainError(_("本年度测评已经结束,不能再评议。"))


# --- settings ---------------------------------------------------------------------------------


def settings_update(*, user: "User", campaign: ReportCampaign, **values) -> ReportCampaign:
    """The year's weights (percent, summing to 100) and grade bands (descending, 0–100)."""
    _require_staff(user, campaign, _("只有述职活动的组织单位可以设置测评权重。"))
    _require_open(campaign)
    weights = [values["voter_weight"], values["peer_weight"], values["organisation_weight"]]
    if sum(weights) != 100:
        raise DomainError(
            _("三项权重之和须为100%%,现在是%(sum)d%%。") % {"sum": sum(weights)},
            field="voter_weight",
        )
    bands = [values["excellent_min"], values["competent_min"], values["basic_min"]]
    if not all(0 <= band <= 100 for band in bands):
        raise DomainError(_("等次分数线须在0到100之间。"), field="excellent_min")
    if not bands[0] > bands[1] > bands[2]:
        raise DomainError(_("等次分数线须依次降低:优秀 > 称职 > 基本称职。"), field="excellent_min")
    for field, value in values.items():
        setattr(campaign, field, value)
    campaign.save(update_fields=list(values))
    return campaign


# --- voter evaluation -------------------------------------------------------------------------


def ballot_codes_issue(*, user: "User", report: DutyReport, count: int) -> list[BallotCode]:
    """One-time codes for the voters of a deputy's report (选民评议), one vote each."""
    _require_staff(user, report.campaign, _("只有述职活动的组织单位可以发放评议码。"))
    _require_open(report.campaign)
    if not 1 <= count <= MAX_CODES:
        raise DomainError(_("一次可发放1至%(max)d个评议码。") % {"max": MAX_CODES}, field="count")
    return BallotCode.objects.bulk_create([BallotCode(report=report) for _ in range(count)])


def voter_vote(*, code: str, grade: str, comment: str = "") -> ReportEvaluation:
    """A voter evaluates with their code; the code works once (the claim is one UPDATE)."""
    if grade not in Grade.values:
        raise DomainError(_("请选择评议等次。"), field="grade")
    with transaction.atomic():
        claimed = BallotCode.objects.filter(code=code, used_at__isnull=True).update(
            used_at=timezone.now()
        )
        if not claimed:
            raise DomainError(_("评议码无效或已经使用过。"), field="code")
        ballot = BallotCode.objects.select_related("report__campaign").get(code=code)
        if not ballot.report.campaign.evaluation_open:
            # Leaves the code unused: the transaction rolls back.
            raise DomainError(_("本年度测评已经结束,不能再评议。"))
        return ReportEvaluation.objects.create(
            report=ballot.report, kind=Kind.VOTER, grade=grade, comment=comment, code=ballot
        )


def paper_ballots_enter(*, user: "User", report: DutyReport, counts: dict[str, int]) -> int:
    """Paper evaluation forms counted by staff: the number of forms for each grade, one ballot
    row per form."""
    _require_staff(user, report.campaign, _("只有述职活动的组织单位可以录入纸质评议表。"))
    _require_open(report.campaign)
    if any(count < 0 for count in counts.values()):
        raise DomainError(_("份数不能为负数。"))
    total = sum(counts.values())
    if total == 0:
        raise DomainError(_("请至少填写一个等次的份数。"))
    if total > MAX_PAPER_BALLOTS:
        raise DomainError(_("一次最多录入%(max)d份评议表。") % {"max": MAX_PAPER_BALLOTS})
    ReportEvaluation.objects.bulk_create(
        [
            ReportEvaluation(report=report, kind=Kind.VOTER, grade=grade, entered_by=user)
            for grade, count in counts.items()
            for _ in range(count)
        ]
    )
    return total


# --- peer and organisation evaluation ---------------------------------------------------------


def peers_of(deputy: Deputy, campaign: ReportCampaign):
    """The reports of the campaign a deputy may evaluate: of deputies of the same station or of
    a group the deputy belongs to, never their own."""
    return (
        DutyReport.objects.filter(campaign=campaign)
        .filter(
            # An unstationed deputy (未进驻) has no station peers, only group ones.
            (Q(deputy__station_id=deputy.station_id) if deputy.station_id else Q(pk__in=[]))
            | Q(deputy__groups__in=deputy.groups.values("pk"))
        )
        .exclude(deputy=deputy)
        .distinct()
    )


def peer_vote(
    *, user: "User", report: DutyReport, grade: str, comment: str = ""
) -> ReportEvaluation:
    if not can(user, "peer_evaluation.give") or user.deputy is None:
        raise DomainError(_("只有代表可以参加代表互评。"))
    evaluator = user.deputy
    _require_open(report.campaign)
    if grade not in Grade.values:
        raise DomainError(_("请选择评议等次。"), field="grade")
    if not Mandate.objects.filter(deputy=evaluator, is_active=True).exists():
        raise DomainError(_("只有在任代表可以参加互评。"))
    if not peers_of(evaluator, report.campaign).filter(pk=report.pk).exists():
        raise DomainError(_("只能评议同一家站或同一代表小组的代表。"))
    try:
        with transaction.atomic():
            return ReportEvaluation.objects.create(
                report=report, kind=Kind.PEER, grade=grade, comment=comment, evaluator=evaluator
            )
    except IntegrityError:
        raise DomainError(_("您已经评议过这位代表。")) from None


def organisation_vote(
    *, user: "User", report: DutyReport, grade: str, comment: str = ""
) -> ReportEvaluation:
    """The organisation's evaluation (staff), one per report; it may be corrected while the
    evaluation is open."""
    _require_staff(user, report.campaign, _("只有述职活动的组织单位可以进行组织考评。"))
    _require_open(report.campaign)
    if grade not in Grade.values:
        raise DomainError(_("请选择评议等次。"), field="grade")
    evaluation, _created = ReportEvaluation.objects.update_or_create(
        report=report,
        kind=Kind.ORGANISATION,
        defaults={"grade": grade, "comment": comment, "entered_by": user},
    )
    return evaluation


# --- closing and publication ------------------------------------------------------------------


def evaluation_close(*, user: "User", campaign: ReportCampaign) -> int:
    """Fix the combined result of every report of the campaign; no ballot is taken afterwards."""
    _require_staff(user, campaign, _("只有述职活动的组织单位可以结束测评。"))
    with transaction.atomic():
        campaign = ReportCampaign.objects.select_for_update().get(pk=campaign.pk)
        _require_open(campaign)
        results = tallies(campaign)
        reports = list(DutyReport.objects.filter(campaign=campaign).only("pk"))
        empty = combine(campaign, {})
        for report in reports:
            result = results.get(report.pk, empty)
            report.voter_score, report.voter_votes = result.voter.score, result.voter.votes
            report.peer_score, report.peer_votes = result.peer.score, result.peer.votes
            report.organisation_score = result.organisation.score
            report.organisation_votes = result.organisation.votes
            report.total_score, report.grade = result.total, result.grade
        DutyReport.objects.bulk_update(
            reports,
            [
                "voter_score",
                "voter_votes",
                "peer_score",
                "peer_votes",
                "organisation_score",
                "organisation_votes",
                "total_score",
                "grade",
            ],
            batch_size=500,
        )
        campaign.evaluation_closed_at = timezone.now()
        campaign.save(update_fields=["evaluation_closed_at"])
    return len(reports)


PUBLISHABLE = ("report", "result")


def report_publish(
    *, user: "User", report: DutyReport, what: str, publish: bool = True
) -> DutyReport:
    """Staff approve (or withdraw) publication of the report or of its evaluation result."""
    _require_staff(user, report.campaign, _("只有述职活动的组织单位可以审核公开。"))
    if what not in PUBLISHABLE:
        raise DomainError(_("未知的公开事项。"))
    if what == "result" and publish and not report.grade:
        raise DomainError(_("测评结束并产生结果后才能公开评议结果。"))
    setattr(report, f"{what}_published_at", timezone.now() if publish else None)
    setattr(report, f"{what}_published_by", user if publish else None)
    report.save(update_fields=[f"{what}_published_at", f"{what}_published_by"])
    return report


def rectification_add(
    *, user: "User", report: DutyReport, problem: str, measure: str, deadline: datetime.date
) -> Rectification:
    _require_staff(user, report.campaign, _("只有述职活动的组织单位可以登记整改事项。"))
    # The opening day in the county's time: opened_at is stored in UTC.
    if deadline < timezone.localdate(report.campaign.opened_at):
        raise DomainError(_("整改期限不能早于述职活动发起日期。"), field="deadline")
    return Rectification.objects.create(
        report=report, problem=problem, measure=measure, deadline=deadline, created_by=user
    )


def rectification_update(
    *,
    user: "User",
    item: Rectification,
    status: str,
    evidence: str,
    done_on: datetime.date | None,
    evidence_photo=None,
) -> Rectification:
    """The deputy (or staff) report progress; done needs the evidence and the date."""
    report = item.report
    if not can(user, "duty_report.file", report):
        raise DomainError(_("只有代表本人或常委会工作人员可以更新整改情况。"))
    if status == Rectification.Status.DONE:
        if not evidence.strip():
            raise DomainError(_("整改完成请填写整改成效。"), field="evidence")
        if done_on is None:
            raise DomainError(_("整改完成请填写完成日期。"), field="done_on")
        if done_on > timezone.localdate():
            raise DomainError(_("完成日期不能晚于今天。"), field="done_on")
    item.status, item.evidence = status, evidence
    item.done_on = done_on if status == Rectification.Status.DONE else None
    fields = ["status", "evidence", "done_on"]
    if evidence_photo:
        item.evidence_photo = evidence_photo
        fields.append("evidence_photo")
    item.save(update_fields=fields)
    return item


def rectification_publish(
    *, user: "User", item: Rectification, publish: bool = True
) -> Rectification:
    _require_staff(user, item.report.campaign, _("只有述职活动的组织单位可以审核公开。"))
    item.published_at = timezone.now() if publish else None
    item.published_by = user if publish else None
    item.save(update_fields=["published_at", "published_by"])
    return item


# --- 优秀人大代表 -----------------------------------------------------------------------------


def candidates_propose(*, user: "User", campaign: ReportCampaign, count: int) -> int:
    """Propose the best ``count`` deputies graded 优秀 by their duty score of the year (then by
    the combined evaluation score). Proposing again adds only new names."""
    _require_staff(user, campaign, _("只有述职活动的组织单位可以提名优秀代表。"))
    if campaign.evaluation_open:
        raise DomainError(_("请先结束测评,再按评议结果提名。"))
    if not 1 <= count <= 200:
        raise DomainError(_("提名人数须在1到200之间。"), field="count")
    score = DutyScore.objects.filter(deputy_id=OuterRef("deputy_id"), year=campaign.year)
    reports = (
        DutyReport.objects.filter(campaign=campaign, grade=Grade.EXCELLENT)
        .exclude(
            Exists(
                ExcellentCandidate.objects.filter(
                    campaign=campaign, deputy_id=OuterRef("deputy_id")
                )
            )
        )
        .annotate(points=score.values("total")[:1])
        # A deputy without a duty score last on every database (PostgreSQL sorts NULL first
        # in a descending order).
        .order_by(F("points").desc(nulls_last=True), "-total_score", "deputy_id")
    )
    existing = ExcellentCandidate.objects.filter(campaign=campaign).count()
    chosen = list(reports[: max(0, count - existing)])
    ExcellentCandidate.objects.bulk_create(
        [
            ExcellentCandidate(
                campaign=campaign,
                deputy_id=report.deputy_id,
                duty_points=report.points,
                total_score=report.total_score,
                grade=report.grade,
            )
            for report in chosen
        ],
        ignore_conflicts=True,
    )
    return len(chosen)


def candidate_decide(
    *, user: "User", candidate: ExcellentCandidate, decision: str, note: str = ""
) -> ExcellentCandidate:
    _require_staff(user, candidate.campaign, _("只有述职活动的组织单位可以评定优秀代表。"))
    if decision not in (ExcellentCandidate.Decision.SELECTED, ExcellentCandidate.Decision.DECLINED):
        raise DomainError(_("请选择评定结果。"), field="decision")
    if candidate.published_at:
        raise DomainError(_("名单已经公布,不能再改。"))
    candidate.decision, candidate.note = decision, note
    candidate.decided_by, candidate.decided_at = user, timezone.now()
    candidate.save(update_fields=["decision", "note", "decided_by", "decided_at"])
    return candidate


def excellent_publish(*, user: "User", campaign: ReportCampaign) -> int:
    """Publish the selected deputies; every candidate must have been decided first."""
    _require_staff(user, campaign, _("只有述职活动的组织单位可以公布优秀代表名单。"))
    candidates = ExcellentCandidate.objects.filter(campaign=campaign)
    if candidates.filter(decision=ExcellentCandidate.Decision.PENDING).exists():
        raise DomainError(_("还有候选人没有评定,请全部评定后再公布。"))
    selected = candidates.filter(decision=ExcellentCandidate.Decision.SELECTED)
    if not selected.exists():
        raise DomainError(_("还没有评定为优秀的代表。"))
    return selected.filter(published_at__isnull=True).update(published_at=timezone.now())
