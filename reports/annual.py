"""The annual report's overview: the county's figures of a year (or any date range) of the kind the
seed reports, each computed by the selector behind the matching staff page, so the workbook and
the pages cannot disagree. A fixed number of aggregate queries whatever the data size."""

from dataclasses import dataclass
from decimal import Decimal
from typing import TYPE_CHECKING

from django.db.models import Count, Q
from django.utils.translation import gettext as _

from accounts.access import can_read, scoped
from core.periods import Period
from deputies.selectors import training_period, training_totals
from directory.models import Station
from dutyreports.models import ReportCampaign
from dutyreports.selectors import campaign_roll, roll_totals
from oversight.models import SatisfactionRating, SupervisionTopic
from oversight.selectors import inspection_figures, inspection_list
from suggestions.statistics import suggestion_statistics

from .selectors import area_figures, station_work

if TYPE_CHECKING:
    from accounts.models import User


@dataclass(frozen=True)
class Figure:
    key: str  # stable identifier (tests, the page's data attributes)
    section: str
    label: str
    value: int | float | Decimal | None
    unit: str = ""
    note: str = ""


def _campaigns(user: "User", year: int) -> list[ReportCampaign]:
    """The year's campaigns in scope: one for a county's users, one per county for the
    administrator (whose overview covers every county)."""
    if not can_read(user, "report_campaign"):
        return []
    return list(
        scoped(ReportCampaign.objects.all(), user, "report_campaign")
        .filter(year=year)
        .order_by("county__code", "pk")
    )


def _duty_totals(user: "User", campaigns: list[ReportCampaign]) -> dict:
    """roll_totals summed over the campaigns (two queries each)."""
    totals: dict = {"required": 0, "reported": 0, "grades": {}}
    for campaign in campaigns:
        one = roll_totals(campaign, campaign_roll(user=user, campaign=campaign))
        totals["required"] += one["required"]
        totals["reported"] += one["reported"]
        for label, grade, count in one["grades"]:
            previous = totals["grades"].get(grade, (label, 0))[1]
            totals["grades"][grade] = (label, previous + count)
    totals["grades"] = [(label, grade, n) for grade, (label, n) in totals["grades"].items()]
    return totals


def overview(*, user: "User", period: Period) -> list[Figure]:
    """The overview figures, section by section."""
    area = area_figures(user=user)
    work = station_work(user=user, start=period.start, end=period.end)
    homes, liaisons = (
        area.stations_by_kind.get(kind.label, 0)
        for kind in (Station.Kind.HOME, Station.Kind.LIAISON)
    )
    figures = [
        Figure("stations", _("家站建设"), _("代表之家、联络站"), area.station_total, _("个")),
        Figure("homes", _("家站建设"), _("其中:代表之家"), homes, _("个")),
        Figure("liaisons", _("家站建设"), _("其中:代表联络站"), liaisons, _("个")),
        Figure("deputies", _("家站建设"), _("进驻家站的代表"), area.deputy_total, _("名")),
        Figure("receptions", _("联系群众"), _("接待记录"), work.receptions, _("次")),
        Figure("voters_received", _("联系群众"), _("接待选民"), work.voters_received, _("人次")),
        Figure("activities", _("联系群众"), _("家站活动"), work.activities, _("场")),
        Figure("opinions", _("联系群众"), _("收集群众意见"), work.opinions, _("条")),
        Figure(
            "opinions_answered", _("联系群众"), _("答复群众意见"), work.opinions_answered, _("条")
        ),
        Figure("wishes", _("联系群众"), _("收集微心愿"), work.wishes, _("个")),
        Figure("wishes_fulfilled", _("联系群众"), _("实现微心愿"), work.wishes_fulfilled, _("个")),
    ]
    if can_read(user, "suggestion"):
        totals = suggestion_statistics(user=user, start=period.start, end=period.end).totals
        figures += [
            Figure("suggestions", _("代表建议"), _("提出建议"), totals.total, _("件")),
            Figure("supervised", _("代表建议"), _("交办建议"), totals.supervised, _("件")),
            Figure("solved", _("代表建议"), _("推动解决"), totals.solved, _("件")),
            Figure(
                "satisfaction_rate",
                _("代表建议"),
                _("满意率"),
                totals.satisfaction_rate,
                "%",
                _("代表测评满意和基本满意占已测评的比例"),
            ),
            Figure("on_time_rate", _("代表建议"), _("按期答复率"), totals.on_time_rate, "%"),
        ]
    if can_read(user, "training"):
        courses = training_period(user=user, start=period.start, end=period.end)
        trainings = training_totals(courses)
        figures += [
            Figure("trainings", _("履职培训"), _("培训班次"), trainings["courses"], _("期")),
            Figure("trainees", _("履职培训"), _("培训代表"), trainings["trainees"], _("人次")),
            Figure(
                "training_hours", _("履职培训"), _("培训学时"), trainings["hours"] or 0, _("学时")
            ),
        ]
    campaigns = _campaigns(user, period.end.year)
    if campaigns:
        duty = _duty_totals(user, campaigns)
        figures += [
            Figure("duty_required", _("述职评议"), _("应述职代表"), duty["required"], _("名")),
            Figure("duty_reported", _("述职评议"), _("已述职代表"), duty["reported"], _("名")),
        ]
        if not any(campaign.evaluation_open for campaign in campaigns):
            figures += [
                Figure(
                    f"grade_{grade}",
                    _("述职评议"),
                    _("评议%(grade)s") % {"grade": label},
                    count,
                    _("名"),
                )
                for label, grade, count in duty["grades"]
            ]
    figures += oversight_figures(user=user, period=period)
    return figures


def oversight_figures(*, user: "User", period: Period) -> list[Figure]:
    """Inspections that began in the period with their recommendations and adoptions (as the
    inspections page counts them), research reports filed, and the topics rated (4 queries)."""
    figures = []
    if can_read(user, "inspection"):
        inspections = inspection_list(user=user).filter(
            start_date__range=(period.start, period.end)
        )
        counts = inspection_figures(inspections=inspections, user=user)
        figures += [
            Figure("inspections", _("监督工作"), _("执法检查"), counts["inspections"], _("次")),
            Figure(
                "recommendations",
                _("监督工作"),
                _("提出改进建议"),
                counts["recommendations"],
                _("条"),
            ),
            Figure("adopted", _("监督工作"), _("建议被采纳"), counts["adopted"], _("条")),
        ]
    if can_read(user, "supervision_topic"):
        topics = scoped(SupervisionTopic.objects.all(), user, "supervision_topic")
        rated = topics.filter(
            rating__concluded_at__date__range=(period.start, period.end)
        ).aggregate(
            rated=Count("pk"),
            satisfied=Count("pk", filter=Q(rating__result=SatisfactionRating.Result.SATISFIED)),
        )
        figures += [
            Figure(
                "research_reports",
                _("监督工作"),
                _("调研报告"),
                topics.filter(research_report__filed_on__range=(period.start, period.end)).count(),
                _("篇"),
            ),
            Figure("topics_rated", _("监督工作"), _("满意度测评的议题"), rated["rated"], _("个")),
            Figure("topics_satisfied", _("监督工作"), _("测评满意"), rated["satisfied"], _("个")),
        ]
    return figures
