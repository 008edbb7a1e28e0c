"""The annual report workbook (年度工作报告): the overview figures of a year or any date range, then
a sheet each for deputies (score and evaluation), stations (receptions, activities, monthly
compliance), suggestions (三见面 and satisfaction), inspections and their recommendations,
supervision topics, trainings (ANNUAL_SHEETS).

Every sheet streams from the database in a fixed number of queries (per-row figures are correlated
subqueries; names of several rows are merged from one ordered query) into core.excel's
constant-memory, formula-safe writer. ID numbers and phones are masked unless the user may see
personal data and asked for them; each full export is logged per deputy."""

import datetime
from operator import itemgetter

from django.db.models import (
    Count,
    Exists,
    FilteredRelation,
    OuterRef,
    Q,
    Subquery,
    Sum,
)
from django.db.models.functions import TruncMonth
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from accounts.access import can, can_read, can_view_personal_data, scoped
from core.errors import DomainError
from core.exports import (
    CHUNK_SIZE,
    Column,
    Exporter,
    MergedNames,
    Sheet,
    choice_label,
    parse_date,
    register,
)
from core.filters import query_int
from core.models import PersonalDataAccess
from core.periods import TERM_CHOICE, Period, period_from
from deputies.models import Training
from deputies.selectors import training_period
from directory.models import Deputy, Gender, Level, Mandate, Station
from directory.selectors import term_start_for
from dutyreports.models import Grade, ReportCampaign
from oversight import selectors as oversight_selectors
from oversight.exporters import (
    InspectionExporter,
    InspectionSheet,
    RecommendationSheet,
    TopicExporter,
    TopicSheet,
)
from stations.models import Reception, ReceptionDay, StationActivity
from stations.selectors.ledger import months_due, reception_months
from suggestions.exporters import RegisterSheet, SuggestionRegisterExporter

from .annual import overview

FIRST_YEAR = 2000


def _zero(value):
    """A count that is NULL when there was nothing to count, shown as 0."""
    return value or 0


class AnnualSheet(Sheet):
    def title(self) -> str:
        return f"{self.exporter.title()} · {self.verbose_name}"

    @property
    def period(self) -> Period:
        return self.exporter.period()


class OverviewSheet(AnnualSheet):
    verbose_name = gettext_lazy("概况")
    columns = (
        Column(gettext_lazy("类别"), 12, "section"),
        Column(gettext_lazy("指标"), 24, "label"),
        Column(gettext_lazy("数值"), 12, "value", num_format="#,##0.##"),
        Column(gettext_lazy("单位"), 8, "unit"),
        Column(gettext_lazy("说明"), 40, "note"),
    )

    def figures(self):
        if not hasattr(self, "_figures"):
            self._figures = overview(user=self.user, period=self.period)
        return self._figures

    def count(self) -> int:
        return len(self.figures())

    def rows(self):
        for figure in self.figures():
            yield self.cells(figure)


class DeputySheet(AnnualSheet):
    verbose_name = gettext_lazy("代表")
    # Which report figures are read (from the year's report, when the year has a campaign).
    REPORT_FIELDS = (
        "pk",
        "voter_votes",
        "peer_votes",
        "organisation_votes",
        "total_score",
        "grade",
    )
    columns = (
        Column(gettext_lazy("姓名"), 10, "name"),
        Column(gettext_lazy("性别"), 6, "gender", choice_label(Gender.choices)),
        # Full or masked, as rows() reads them: computed like the columns after them.
        Column(gettext_lazy("公民身份号码"), 20, itemgetter("id_number")),
        Column(gettext_lazy("手机号码"), 14, itemgetter("phone")),
        Column(gettext_lazy("代表层级"), 18, itemgetter("levels")),
        Column(gettext_lazy("乡镇(街道)"), 14, "station__township__name"),
        Column(gettext_lazy("进驻家站"), 24, "station__name"),
        Column(gettext_lazy("履职积分"), 10, "score__total", num_format="0.00"),
        Column(gettext_lazy("联系群众"), 10, "score__contact", num_format="0.00"),
        Column(gettext_lazy("建议质量"), 10, "score__suggestion", num_format="0.00"),
        Column(gettext_lazy("参加活动"), 10, "score__activity", num_format="0.00"),
        Column(gettext_lazy("履职记录"), 10, "score__acts", num_format="0"),
        Column(gettext_lazy("年度述职"), 10, itemgetter("filed")),
        Column(gettext_lazy("评议票数"), 10, itemgetter("votes"), num_format="0"),
        Column(gettext_lazy("评议得分"), 10, itemgetter("evaluation"), num_format="0.00"),
        Column(gettext_lazy("评议等次"), 10, itemgetter("grade")),
    )

    def queryset(self):
        return scoped(Deputy.objects.all(), self.user, "deputy")

    def count(self) -> int:
        return self.queryset().count()

    def rows(self):
        year = self.period.end.year
        reveal = self.exporter.reveal()
        # The year's score and report joined once each (a deputy has at most one of each).
        campaigns = list(ReportCampaign.objects.filter(year=year).values_list("pk", flat=True))
        deputies = self.queryset().order_by("pk")
        personal = ("id_number", "phone") if reveal else ("id_number_masked", "phone_masked")
        joins = {"score": FilteredRelation("scores", condition=Q(scores__year=year))}
        report: tuple[str, ...] = ()
        if campaigns:  # else nobody reported
            joins["report"] = FilteredRelation(
                "duty_reports", condition=Q(duty_reports__campaign__in=campaigns)
            )
            report = tuple(f"report__{name}" for name in self.REPORT_FIELDS)
        values = deputies.annotate(**joins).values("pk", *self.fields(), *personal, *report)
        # Labels translated once per sheet, not once per row.
        levels = {value: str(label) for value, label in Level.choices}
        mandates = MergedNames(
            (deputy_id, levels.get(level, level))
            for deputy_id, level in Mandate.objects.filter(
                is_active=True, deputy__in=deputies.values("pk")
            )
            .order_by("deputy_id", "level")
            .values_list("deputy_id", "level")
            .iterator(chunk_size=CHUNK_SIZE)
        )
        grades = {value: str(label) for value, label in Grade.choices}
        filed, not_filed = _("已述职"), _("未述职")
        logged = []
        for row in values.iterator(chunk_size=CHUNK_SIZE):
            pk = row["pk"]
            id_number, phone = (row[name] for name in personal)
            reported = row.get("report__pk")
            votes = None
            if reported:
                names = ("voter_votes", "peer_votes", "organisation_votes")
                votes = sum(row[f"report__{name}"] or 0 for name in names)
            grade = row.get("report__grade")
            row.update(
                id_number=id_number,
                phone=phone,
                levels=mandates.take(pk),
                filed=filed if reported else not_filed,
                votes=votes,
                evaluation=row.get("report__total_score"),
                grade=grades.get(grade, "") if grade else "",
            )
            if reveal:
                logged.append((pk, row["name"]))
                if len(logged) == CHUNK_SIZE:
                    self._log(logged)
            yield self.cells(row)
        if logged:
            self._log(logged)

    def _log(self, deputies: list) -> None:
        PersonalDataAccess.objects.bulk_create(
            PersonalDataAccess(
                user=self.user,
                action=PersonalDataAccess.Action.EXPORT,
                record_type=Deputy._meta.label,
                record_id=str(pk),
                record_repr=name[:200],
                fields="id_number,phone",
                path=f"export:{self.exporter.identifier}",
            )
            for pk, name in deputies
        )
        deputies.clear()


class StationSheet(AnnualSheet):
    verbose_name = gettext_lazy("家站")
    resource = "station"
    columns = (
        Column(gettext_lazy("家站"), 26, "name"),
        Column(gettext_lazy("类型"), 10, "kind", choice_label(Station.Kind.choices)),
        Column(gettext_lazy("乡镇(街道)"), 14, "township__name"),
        Column(gettext_lazy("地址"), 28, "address"),
        Column(gettext_lazy("进驻代表"), 10, "deputy_count", num_format="0"),
        Column(gettext_lazy("接待日(次)"), 10, "days_held", _zero, num_format="0"),
        Column(gettext_lazy("接待记录"), 10, "reception_count", _zero, num_format="0"),
        Column(gettext_lazy("接待选民(人次)"), 12, "voters", _zero, num_format="#,##0"),
        Column(gettext_lazy("家站活动(场)"), 12, "activity_count", _zero, num_format="0"),
        Column(gettext_lazy("开展接待的月份"), 12, "months_held", _zero, num_format="0"),
        Column(gettext_lazy("应开展月份"), 10, itemgetter("months_due"), num_format="0"),
        Column(
            gettext_lazy("每月接待达标"), 10, itemgetter("compliant")
        ),  # rows() computes these two
    )

    def queryset(self):
        return scoped(Station.objects.filter(is_active=True), self.user, "station")

    def count(self) -> int:
        return self.queryset().count()

    def rows(self):
        period = self.period
        span = (period.start, period.end)
        days = ReceptionDay.objects.filter(station_id=OuterRef("pk"), date__range=span).filter(
            Q(status=ReceptionDay.Status.HELD)
            | Exists(Reception.objects.filter(reception_day=OuterRef("pk")))
        )
        receptions = Reception.objects.filter(
            station_id=OuterRef("pk"), reception_day__date__range=span
        ).order_by()
        grouped = {"station_id": OuterRef("pk")}

        def aggregate(queryset, **annotation):
            (name,) = annotation
            return Subquery(
                queryset.order_by().values("station_id").annotate(**annotation).values(name)[:1]
            )

        values = (
            self.queryset()
            .annotate(
                deputy_count=Count("deputies", distinct=True),
                days_held=aggregate(days, n=Count("pk")),
                months_held=aggregate(days, months=Count(TruncMonth("date"), distinct=True)),
                reception_count=aggregate(receptions, n=Count("pk")),
                voters=aggregate(receptions, voters=Sum("voters_received")),
                activity_count=aggregate(
                    StationActivity.objects.filter(**grouped, date__range=span), n=Count("pk")
                ),
            )
            .order_by("township__code", "kind", "name", "pk")
            .values(*self.fields(), "pk")
        )
        # The compliance page's rule and reads (stations.selectors.ledger): a month is due once
        # it is over, and a station complies when every due month had a reception day.
        due = months_due(period.start, period.end, timezone.localdate())
        held = reception_months(self.queryset().values("pk"), period.start, period.end)
        met, not_met = _("达标"), _("未达标")
        for row in values.iterator(chunk_size=CHUNK_SIZE):
            months = held.get(row["pk"], set())
            row["months_due"] = len(due)
            row["compliant"] = met if all(month in months for month in due) else not_met
            yield self.cells(row)


class SuggestionSheet(RegisterSheet):
    """The suggestion register of the period (三见面, reply, satisfaction), as the register's own
    export writes it."""

    verbose_name = gettext_lazy("代表建议")
    resource = "suggestion"

    def __init__(self, exporter) -> None:
        self.annual = exporter
        period = exporter.period()
        register = SuggestionRegisterExporter(
            user=exporter.user,
            params={
                "filters": {},
                "start": period.start.isoformat(),
                "end": period.end.isoformat(),
            },
        )
        super().__init__(register)

    def title(self) -> str:
        return f"{self.annual.title()} · {self.verbose_name}"


class TrainingSheet(AnnualSheet):
    verbose_name = gettext_lazy("履职培训")
    resource = "training"
    columns = (
        Column(gettext_lazy("培训班"), 30, "name"),
        Column(gettext_lazy("类别"), 10, "kind", choice_label(Training.Kind.choices)),
        Column(gettext_lazy("方式"), 10, "mode", choice_label(Training.Mode.choices)),
        Column(gettext_lazy("开始日期"), 12, "start_date"),
        Column(gettext_lazy("结束日期"), 12, "end_date"),
        Column(gettext_lazy("学时"), 8, "hours", num_format="0.0"),
        Column(gettext_lazy("参训人次"), 10, "trainees", num_format="0"),
        Column(gettext_lazy("参训学时"), 10, "trainee_hours", _zero, num_format="0.0"),
    )

    def queryset(self):
        return training_period(user=self.user, start=self.period.start, end=self.period.end)

    def count(self) -> int:
        return self.queryset().count()

    def rows(self):
        courses = self.queryset().order_by("start_date", "name", "pk").values(*self.fields())
        for row in courses.iterator(chunk_size=CHUNK_SIZE):
            yield self.cells(row)


class _PeriodInspections(InspectionExporter):
    """The inspections register over the annual report's period (inspections begun in it)."""

    def filtered(self):
        span = (self.params["start"], self.params["end"])
        return oversight_selectors.inspection_list(user=self.user).filter(start_date__range=span)


class _PeriodTopics(TopicExporter):
    """The supervision topics of the years the period covers."""

    def filtered(self):
        years = (self.params["start"][:4], self.params["end"][:4])
        return oversight_selectors.topic_list(user=self.user).filter(year__range=years)


def _in_period(sheet_class: type[Sheet], register_class: type[Exporter], resource: str):
    """A register's sheet as a sheet of the annual report: the register's exporter over the
    report's period, titled with the report's title."""

    class PeriodSheet(sheet_class):
        def __init__(self, annual) -> None:
            self.annual = annual
            period = annual.period()
            params = {"start": period.start.isoformat(), "end": period.end.isoformat()}
            super().__init__(register_class(user=annual.user, params=params))

        def title(self) -> str:
            return f"{self.annual.title()} · {self.verbose_name}"

    PeriodSheet.__name__ = f"Annual{sheet_class.__name__}"
    PeriodSheet.resource = resource
    return PeriodSheet


# The sheets in order; a sheet with ``resource`` appears only for users who may read it.
ANNUAL_SHEETS: list[type[Sheet]] = [
    OverviewSheet,
    DeputySheet,
    StationSheet,
    SuggestionSheet,
    _in_period(InspectionSheet, _PeriodInspections, "inspection"),
    _in_period(RecommendationSheet, _PeriodInspections, "inspection_recommendation"),
    _in_period(TopicSheet, _PeriodTopics, "supervision_topic"),
    TrainingSheet,
]


@register
class AnnualReportExporter(Exporter):
    identifier = "annual_report"
    verbose_name = gettext_lazy("代表工作年度报告")

    @classmethod
    def allowed(cls, user) -> bool:
        return can(user, "annual_report.read")

    @classmethod
    def clean_params(cls, user, data) -> dict:
        today = timezone.localdate()
        start = parse_date(data.get("start"), field="start", label=_("开始日期"))
        end = parse_date(data.get("end"), field="end", label=_("结束日期"))
        params: dict = {}
        if TERM_CHOICE in (str(data.get("year") or ""), str(data.get("period") or "")):
            # 本届以来: the term to date, fixed as dates so the export reads what the page showed.
            period = period_from(
                {"year": TERM_CHOICE},
                today=today,
                term_start=term_start_for(user=user),
                first_year=FIRST_YEAR,
            )
            params.update(
                period=TERM_CHOICE, start=period.start.isoformat(), end=period.end.isoformat()
            )
        elif start or end:
            if not (start and end):
                raise DomainError(_("请同时填写开始日期和结束日期。"), field="start")
            if start > end:
                raise DomainError(_("开始日期不能晚于结束日期。"), field="start")
            # At most a year ahead (a timedelta: today.replace(year=…) fails on 29 February).
            if start.year < FIRST_YEAR or end > today + datetime.timedelta(days=365):
                raise DomainError(_("日期超出范围。"), field="start")
            params.update(start=start.isoformat(), end=end.isoformat())
        else:
            year = query_int(data.get("year") or today.year, minimum=FIRST_YEAR, maximum=today.year)
            if year is None:
                raise DomainError(
                    _("请选择%(first)d年至今年之间的年度。") % {"first": FIRST_YEAR}, field="year"
                )
            params["year"] = year
        if str(data.get("reveal") or "") in ("1", "on", "true"):
            if not can_view_personal_data(user):
                raise DomainError(_("您无权导出完整的身份证号码和手机号码。"), field="reveal")
            params["reveal"] = True
        return params

    def period(self) -> Period:
        if "year" in self.params:
            return Period.year(int(self.params["year"]))
        start = datetime.date.fromisoformat(self.params["start"])
        end = datetime.date.fromisoformat(self.params["end"])
        if self.params.get("period") == TERM_CHOICE:
            return Period.term(start, end)
        return Period(start, end)

    def reveal(self) -> bool:
        return bool(self.params.get("reveal")) and can_view_personal_data(self.user)

    def title(self) -> str:
        period = self.period()
        return _("代表工作报告(%(start)s 至 %(end)s)") % {
            "start": f"{period.start:%Y-%m-%d}",
            "end": f"{period.end:%Y-%m-%d}",
        }

    def filename(self) -> str:
        period = self.period()
        if period.is_calendar_year:
            return f"代表工作年度报告-{period.start.year}.xlsx"
        return f"代表工作报告-{period.start:%Y%m%d}-{period.end:%Y%m%d}.xlsx"

    def sheets(self) -> list[Sheet]:
        return [
            sheet_class(self)
            for sheet_class in ANNUAL_SHEETS
            if can_read(self.user, getattr(sheet_class, "resource", None) or "deputy")
        ]
