from typing import TYPE_CHECKING

from django.db.models import Count, Exists, F, OuterRef, Q, QuerySet
from django.http import Http404
from django.shortcuts import get_object_or_404

from accounts.access import get_for_user, scoped
from accounts.models import Role
from directory.models import Deputy, Mandate, Region

from . import evaluation
from .models import (
    BallotCode,
    DutyReport,
    ExcellentCandidate,
    Grade,
    Rectification,
    ReportCampaign,
    ReportEvaluation,
)

if TYPE_CHECKING:
    from accounts.models import User


def must_report(county_id: int) -> QuerySet[Deputy]:
    """The deputies who report: directly elected (county and township deputies) and in office."""
    return Deputy.objects.filter(county_id=county_id).filter(
        Exists(
            Mandate.objects.filter(deputy_id=OuterRef("pk"), is_active=True, directly_elected=True)
        )
    )


def campaign_roll(*, user: "User", campaign: ReportCampaign) -> QuerySet[Deputy]:
    """The deputies of the campaign the user may see, each with ``reported``."""
    return (
        must_report(campaign.county_id)
        .filter(pk__in=scoped(Deputy.objects.all(), user, "deputy").values("pk"))
        .select_related("station__township")
        .annotate(
            reported=Exists(DutyReport.objects.filter(campaign=campaign, deputy=OuterRef("pk")))
        )
    )


def roll_totals(campaign: ReportCampaign, roll: QuerySet[Deputy]) -> dict:
    """Required, reported and missing, and once the evaluation closed the grades (one query
    each for the roll and the reports)."""
    required = roll.count()
    counts = DutyReport.objects.filter(campaign=campaign, deputy__in=roll.values("pk")).aggregate(
        reported=Count("pk"),
        **{grade: Count("pk", filter=Q(grade=grade)) for grade in Grade.values},
    )
    reported = counts.pop("reported")
    return {
        "required": required,
        "reported": reported,
        "missing": required - reported,
        "grades": [(Grade(grade).label, grade, counts[grade]) for grade in Grade.values],
    }


def attach_reports(campaign: ReportCampaign, deputies) -> None:
    """Give each listed deputy ``report`` (or None) and ``result`` (live or fixed): two queries
    for a page of deputies."""
    reports = {
        report.deputy_id: report
        for report in DutyReport.objects.filter(
            campaign=campaign, deputy__in=[deputy.pk for deputy in deputies]
        )
    }
    live = (
        evaluation.tallies(campaign, [report.pk for report in reports.values()])
        if campaign.evaluation_open
        else {}
    )
    for deputy in deputies:
        deputy.report = report = reports.get(deputy.pk)
        deputy.result = None
        if report is not None:
            report.campaign = campaign
            deputy.result = (
                live.get(report.pk) or evaluation.combine(campaign, {})
                if campaign.evaluation_open
                else fixed_result(report)
            )


def fixed_result(report: DutyReport) -> evaluation.Result:
    part = evaluation.Part
    return evaluation.Result(
        voter=part(report.voter_score, report.voter_votes),
        peer=part(report.peer_score, report.peer_votes),
        organisation=part(report.organisation_score, report.organisation_votes),
        total=report.total_score,
        grade=report.grade,
    )


# One campaign, report, rectification ------------------------------------------------------


def campaign_get(*, user: "User", pk: int) -> ReportCampaign:
    return get_for_user(ReportCampaign.objects.all(), user, "report_campaign", pk=pk)


def campaign_for(*, county: Region, year: int) -> ReportCampaign | None:
    return ReportCampaign.objects.filter(county=county, year=year).first()


def latest_campaign(*, county_id: int) -> ReportCampaign | None:
    """The county's latest campaign (the one a deputy files for and evaluates peers in)."""
    return ReportCampaign.objects.filter(county_id=county_id).first()


def reporting_deputy_get(*, campaign: ReportCampaign, pk: int) -> Deputy:
    """A deputy who reports in the campaign (404 else), with their station."""
    return get_object_or_404(must_report(campaign.county_id).select_related("station"), pk=pk)


def filed_report(*, campaign: ReportCampaign, deputy: Deputy) -> DutyReport | None:
    return DutyReport.objects.filter(campaign=campaign, deputy=deputy).first()


def report_get(*, user: "User", pk: int) -> DutyReport:
    return get_for_user(
        DutyReport.objects.select_related("deputy__station__township", "campaign"),
        user,
        "duty_report",
        pk=pk,
    )


def rectification_get(*, user: "User", pk: int) -> Rectification:
    return get_for_user(
        Rectification.objects.select_related("report__campaign", "report__deputy"),
        user,
        "duty_report",
        pk=pk,
    )


# Evaluation (三评) ----------------------------------------------------------------------------


def code_counts(report: DutyReport) -> dict[str, int]:
    """How many evaluation codes of the report were issued and used."""
    return BallotCode.objects.filter(report=report).aggregate(
        issued=Count("pk"), used=Count("pk", filter=Q(used_at__isnull=False))
    )


def unused_codes(report: DutyReport) -> QuerySet[BallotCode]:
    return BallotCode.objects.filter(report=report, used_at__isnull=True).order_by("pk")


def open_ballot(code: str) -> BallotCode | None:
    """An unused voter's code of a campaign still evaluating (None else)."""
    return (
        BallotCode.objects.filter(
            code=code, used_at__isnull=True, report__campaign__evaluation_closed_at__isnull=True
        )
        .select_related("report__deputy__station", "report__campaign")
        .first()
    )


def peer_grades_given(*, campaign: ReportCampaign, deputy: Deputy) -> dict[int, str]:
    """The grade the deputy gave each peer's report of the campaign, by report id."""
    return dict(
        ReportEvaluation.objects.filter(
            report__campaign=campaign, kind="peer", evaluator=deputy
        ).values_list("report_id", "grade")
    )


def peer_reports(*, campaign: ReportCampaign, deputy: Deputy) -> QuerySet[DutyReport]:
    return (
        evaluation.peers_of(deputy, campaign)
        .select_related("deputy__station")
        .order_by("deputy__name", "pk")
    )


def peer_report_get(*, user: "User", pk: int) -> DutyReport:
    """A report of the deputy's county to evaluate: outside it, as get_for_user, a 404."""
    deputy = user.deputy
    if deputy is None:
        raise Http404
    report = (
        DutyReport.objects.select_related("campaign", "deputy")
        .filter(campaign__county_id=deputy.county_id, pk=pk)
        .first()
    )
    if report is None:
        raise Http404
    return report


# 优秀人大代表 ---------------------------------------------------------------------------------


def campaign_candidates(campaign: ReportCampaign) -> QuerySet[ExcellentCandidate]:
    return (
        ExcellentCandidate.objects.filter(campaign=campaign)
        .select_related("deputy__station__township", "decided_by")
        .order_by(F("duty_points").desc(nulls_last=True), "-total_score", "pk")
    )


def candidate_get(*, campaign: ReportCampaign, pk: int) -> ExcellentCandidate:
    candidate = ExcellentCandidate.objects.filter(campaign=campaign, pk=pk).first()
    if candidate is None:
        raise Http404
    return candidate


# The API --------------------------------------------------------------------------------------


def report_list(*, user: "User") -> QuerySet[DutyReport]:
    return scoped(
        DutyReport.objects.select_related("deputy", "campaign"), user, "duty_report"
    ).order_by("-campaign__year", "deputy__name", "pk")


def rectification_list(*, user: "User") -> QuerySet[Rectification]:
    return scoped(
        Rectification.objects.select_related("report__deputy", "report__campaign"),
        user,
        "duty_report",
    ).order_by("-report__campaign__year", "deadline", "pk")


def excellent_candidate_list(*, user: "User") -> QuerySet[ExcellentCandidate]:
    rows = ExcellentCandidate.objects.select_related("deputy", "campaign")
    if user.scope.role == Role.DEPUTY:
        # A deputy reads the published list only.
        rows = rows.filter(published_at__isnull=False)
    return scoped(rows, user, "excellent_candidate").order_by(
        "-campaign__year", "-duty_points", "pk"
    )
