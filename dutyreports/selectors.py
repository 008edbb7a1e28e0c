import datetime
from typing import TYPE_CHECKING

from django.db.models import Count, Exists, F, OuterRef, Q, QuerySet
from django.http import Http404
from django.shortcuts import get_object_or_404

from accounts.access import get_for_user, scoped
from accounts.models import Role
from directory.models import Deputy, Level, Mandate, Region
from directory.selectors import term_start

from . import evaluation
from .models import (
    BallotCode,
    BatchMember,
    BatchRule,
    DutyReport,
    ExcellentCandidate,
    Grade,
    Rectification,
    ReportCampaign,
    ReportEvaluation,
)

if TYPE_CHECKING:
    from accounts.models import User


def eligible(
    *, county_id: int, level: str = Level.COUNTY, township_id: int | None = None
) -> QuerySet[Deputy]:
    """The deputies who may be asked to report: directly elected and in office at ``level``
    (county deputies for the county office; a township's deputies for its 主席团)."""
    deputies = Deputy.objects.filter(county_id=county_id).filter(
        Exists(
            Mandate.objects.filter(
                deputy_id=OuterRef("pk"), is_active=True, directly_elected=True, level=level
            )
        )
    )
    if township_id is not None:
        deputies = deputies.filter(station__township_id=township_id)
    return deputies


def campaign_eligible(campaign: ReportCampaign) -> QuerySet[Deputy]:
    return eligible(
        county_id=campaign.county_id, level=campaign.level, township_id=campaign.township_id
    )


def in_batch(campaign: ReportCampaign) -> QuerySet[Deputy]:
    """The campaign's batch: the deputies who report this year (述职名单)."""
    return Deputy.objects.filter(
        Exists(
            BatchMember.objects.filter(
                BatchMember.IN_BATCH, campaign=campaign, deputy=OuterRef("pk")
            )
        )
    )


def batch_members(campaign: ReportCampaign) -> QuerySet[BatchMember]:
    return BatchMember.objects.filter(campaign=campaign)


def reported_in_term(*, county_id: int, level: str, since: datetime.date | None) -> Exists:
    """Whether the deputy (OuterRef pk) has reported in a campaign of this term at ``level``:
    a campaign belongs to the term when its deadline falls after the term began."""
    reports = DutyReport.objects.filter(
        deputy_id=OuterRef("pk"),
        campaign__county_id=county_id,
        campaign__township__isnull=level == Level.COUNTY,
    )
    if since is not None:
        reports = reports.filter(campaign__deadline__gte=since)
    return Exists(reports)


def campaign_term_start(campaign: ReportCampaign) -> datetime.date | None:
    return term_start(
        county_id=campaign.county_id, level=campaign.level, township_id=campaign.township_id
    )


def rule_selection(
    campaign: ReportCampaign, *, rule: str, station_ids=(), township_ids=()
) -> QuerySet[Deputy]:
    """The eligible deputies a batch rule chooses."""
    deputies = campaign_eligible(campaign)
    if rule == BatchRule.NOT_REPORTED:
        deputies = deputies.exclude(
            reported_in_term(
                county_id=campaign.county_id,
                level=campaign.level,
                since=campaign_term_start(campaign),
            )
        )
    elif rule == BatchRule.STATIONS:
        deputies = deputies.filter(station_id__in=list(station_ids))
    elif rule == BatchRule.TOWNSHIPS:
        deputies = deputies.filter(station__township_id__in=list(township_ids))
    return deputies


def campaign_roll(*, user: "User", campaign: ReportCampaign) -> QuerySet[Deputy]:
    """The deputies of the campaign's batch the user may see, each with ``reported``."""
    return (
        in_batch(campaign)
        .filter(pk__in=scoped(Deputy.objects.all(), user, "deputy").values("pk"))
        .select_related("station__township")
        .annotate(
            reported=Exists(DutyReport.objects.filter(campaign=campaign, deputy=OuterRef("pk")))
        )
    )


def term_coverage(
    *, user: "User", county: Region, level: str, township_id: int | None = None
) -> tuple[QuerySet[Deputy], datetime.date | None]:
    """Every directly elected deputy at ``level`` the user may see, each with ``reported``
    (has reported at least once this term), and the day the term began."""
    since = term_start(county_id=county.pk, level=level, township_id=township_id)
    deputies = (
        eligible(county_id=county.pk, level=level, township_id=township_id)
        .filter(pk__in=scoped(Deputy.objects.all(), user, "deputy").values("pk"))
        .select_related("station__township")
        .annotate(reported=reported_in_term(county_id=county.pk, level=level, since=since))
    )
    return deputies, since


def coverage_totals(deputies: QuerySet[Deputy]) -> dict:
    # Two counts: a filtered Count over an EXISTS annotation is not portable (SQLite counts 0).
    required = deputies.order_by().count()
    reported = deputies.order_by().filter(Q(reported=True)).count()
    return {"required": required, "reported": reported, "missing": required - reported}


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


def campaign_for(
    *, county: Region, year: int, township_id: int | None = None
) -> ReportCampaign | None:
    """The county office's campaign of the year, or the township's when ``township_id``."""
    return (
        ReportCampaign.objects.filter(county=county, year=year, township_id=township_id)
        .select_related("township")
        .first()
    )


def campaign_organisers(*, county: Region, year: int) -> list[Region]:
    """The townships that run a campaign of their own in the year."""
    return list(
        Region.objects.filter(
            pk__in=ReportCampaign.objects.filter(
                county=county, year=year, township__isnull=False
            ).values("township_id")
        ).order_by("code")
    )


def latest_campaign(*, deputy: Deputy) -> ReportCampaign | None:
    """The latest campaign whose batch names the deputy (the one they file for and evaluate
    peers in); with two in a year (a county and a township deputy) the county's first."""
    return (
        ReportCampaign.objects.filter(
            Exists(
                BatchMember.objects.filter(
                    BatchMember.IN_BATCH, campaign=OuterRef("pk"), deputy=deputy
                )
            )
        )
        .select_related("township")
        .order_by("-year", F("township").asc(nulls_first=True), "pk")
        .first()
    )


def peer_campaign(*, deputy: Deputy) -> ReportCampaign | None:
    """The campaign a deputy evaluates peers in: their own latest, else the county office's
    latest (a deputy not reporting this year still evaluates fellow deputies)."""
    return latest_campaign(deputy=deputy) or (
        ReportCampaign.objects.filter(county_id=deputy.county_id, township__isnull=True)
        .order_by("-year")
        .first()
    )


def reporting_deputy_get(*, campaign: ReportCampaign, pk: int) -> Deputy:
    """A deputy of the campaign's batch (404 else), with their station."""
    return get_object_or_404(in_batch(campaign).select_related("station"), pk=pk)


def batch_outside(*, campaign: ReportCampaign, user: "User") -> QuerySet[Deputy]:
    """Eligible deputies the user may see who are not on the batch (to add by hand)."""
    return (
        campaign_eligible(campaign)
        .exclude(pk__in=in_batch(campaign).values("pk"))
        .filter(pk__in=scoped(Deputy.objects.all(), user, "deputy").values("pk"))
        .select_related("station__township")
    )


def batch_removed(*, campaign: ReportCampaign) -> QuerySet[BatchMember]:
    return BatchMember.objects.filter(
        campaign=campaign, source=BatchMember.Source.REMOVED
    ).select_related("deputy", "changed_by")


def county_township(*, county: Region, pk: int) -> Region | None:
    return Region.objects.filter(county=county, level=Region.Level.TOWNSHIP, pk=pk).first()


def batch_candidate_get(*, campaign: ReportCampaign, pk: int) -> Deputy:
    """An eligible deputy of the campaign to add to its batch (404 else)."""
    return get_object_or_404(campaign_eligible(campaign), pk=pk)


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


def batch_member_list(*, user: "User") -> QuerySet[BatchMember]:
    return scoped(
        BatchMember.objects.select_related("deputy", "campaign"), user, "duty_report"
    ).order_by("-campaign__year", "campaign_id", "deputy__name", "pk")


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
