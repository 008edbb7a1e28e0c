from typing import TYPE_CHECKING

from django.db.models import Count, Exists, OuterRef, Q, QuerySet

from accounts.access import scoped
from directory.models import Deputy

from . import evaluation
from .models import DutyReport, Grade, ReportCampaign
from .services import must_report

if TYPE_CHECKING:
    from accounts.models import User


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
