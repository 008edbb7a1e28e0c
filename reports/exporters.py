"""The annual report workbook (年度工作报告): the overview figures of a year or any date range, then
a sheet each for deputies (score and evaluation), stations (receptions, activities, monthly
compliance), suggestions (三见面 and satisfaction), inspections and their recommendations,
supervision topics, trainings (ANNUAL_SHEETS).

Every sheet streams from the database in a fixed number of queries (per-row figures are correlated
subqueries; names of several rows are merged from one ordered query) into core.excel's
constant-memory, formula-safe writer. ID numbers and phones are masked unless the user may see
personal data and asked for them; each full export is logged per deputy."""

import datetime

from django.db.models import (
    Count,
    Exists,
    FilteredRelation,
    IntegerField,
    OuterRef,
    Q,
    Subquery,
    Sum,
    Value,
)
from django.db.models.functions import TruncMonth
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from accounts.access import can, can_read, can_view_personal_data, scoped
from core.errors import DomainError
from core.exports import CHUNK_SIZE, Exporter, MergedNames, Sheet, parse_date, register
from core.filters import query_int
from core.models import PersonalDataAccess
from deputies.selectors import training_period
from directory.models import Deputy, Level, Mandate, Station
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
from suggestions.exporters import RegisterSheet, SuggestionRegisterExporter

from .annual import Period, overview

FIRST_YEAR = 2000


def months_due(period: Period, today: datetime.date) -> int:
    """Calendar months of the period that have begun by ``today`` (a month under way counts)."""
    end = min(period.end, today)
    if end < period.start:
        return 0
    return (end.year - period.start.year) * 12 + end.month - period.start.month + 1


class AnnualSheet(Sheet):
    def title(self) -> str:
        return f"{self.exporter.title()} · {self.verbose_name}"

    @property
    def period(self) -> Period:
        return self.exporter.period()


class OverviewSheet(AnnualSheet):
    verbose_name = gettext_lazy("概况")
    headers = [
        (gettext_lazy("类别"), 12),
        (gettext_lazy("指标"), 24),
        (gettext_lazy("数值"), 12),
        (gettext_lazy("单位"), 8),
        (gettext_lazy("说明"), 40),
    ]
    num_formats = {2: "#,##0.##"}

    def figures(self):
        if not hasattr(self, "_figures"):
            self._figures = overview(user=self.user, period=self.period)
        return self._figures

    def count(self) -> int:
        return len(self.figures())

    def rows(self):
        for figure in self.figures():
            yield [figure.section, figure.label, figure.value, figure.unit, figure.note]


class DeputySheet(AnnualSheet):
    verbose_name = gettext_lazy("代表")
    headers = [
        (gettext_lazy("姓名"), 10),
        (gettext_lazy("性别"), 6),
        (gettext_lazy("公民身份号码"), 20),
        (gettext_lazy("手机号码"), 14),
        (gettext_lazy("代表层级"), 18),
        (gettext_lazy("乡镇(街道)"), 14),
        (gettext_lazy("进驻家站"), 24),
        (gettext_lazy("履职积分"), 10),
        (gettext_lazy("联系群众"), 10),
        (gettext_lazy("建议质量"), 10),
        (gettext_lazy("参加活动"), 10),
        (gettext_lazy("履职记录"), 10),
        (gettext_lazy("年度述职"), 10),
        (gettext_lazy("评议票数"), 10),
        (gettext_lazy("评议得分"), 10),
        (gettext_lazy("评议等次"), 10),
    ]
    num_formats = {7: "0.00", 8: "0.00", 9: "0.00", 10: "0.00", 11: "0", 13: "0", 14: "0.00"}

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
        report_fields = ("pk", "voter_votes", "peer_votes", "organisation_votes", "total_score")
        joins = {"score": FilteredRelation("scores", condition=Q(scores__year=year))}
        if campaigns:
            joins["report"] = FilteredRelation(
                "duty_reports", condition=Q(duty_reports__campaign__in=campaigns)
            )
            report = [f"report__{name}" for name in (*report_fields, "grade")]
        else:  # no campaign that year: nobody reported
            joins.update(no_report=Value(None, output_field=IntegerField()))
            report = ["no_report"] * (len(report_fields) + 1)
        values = deputies.annotate(**joins).values_list(
            "pk",
            "name",
            "gender",
            *personal,
            "station__township__name",
            "station__name",
            "score__total",
            "score__contact",
            "score__suggestion",
            "score__activity",
            "score__acts",
            *report,
        )
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
        genders = {v: str(label) for v, label in Deputy._meta.get_field("gender").choices}
        grades = {value: str(label) for value, label in Grade.choices}
        filed, not_filed = _("已述职"), _("未述职")
        logged = []
        for row in values.iterator(chunk_size=CHUNK_SIZE):
            (pk, name, gender, id_number, phone, township, station) = row[:7]
            (points, contact, suggestion, activity, acts, reported) = row[7:13]
            votes = sum(n or 0 for n in row[13:16]) if reported else None
            evaluation, grade = row[16:18]
            if reveal:
                logged.append((pk, name))
                if len(logged) == CHUNK_SIZE:
                    self._log(logged)
            yield [
                name,
                genders.get(gender, gender),
                id_number,
                phone,
                mandates.take(pk),
                township,
                station,
                points,
                contact,
                suggestion,
                activity,
                acts,
                filed if reported else not_filed,
                votes,
                evaluation,
                grades.get(grade, "") if grade else "",
            ]
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
    headers = [
        (gettext_lazy("家站"), 26),
        (gettext_lazy("类型"), 10),
        (gettext_lazy("乡镇(街道)"), 14),
        (gettext_lazy("地址"), 28),
        (gettext_lazy("进驻代表"), 10),
        (gettext_lazy("接待日(次)"), 10),
        (gettext_lazy("接待记录"), 10),
        (gettext_lazy("接待选民(人次)"), 12),
        (gettext_lazy("家站活动(场)"), 12),
        (gettext_lazy("开展接待的月份"), 12),
        (gettext_lazy("应开展月份"), 10),
        (gettext_lazy("每月接待达标"), 10),
    ]
    num_formats = {4: "0", 5: "0", 6: "0", 7: "#,##0", 8: "0", 9: "0", 10: "0"}

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
            .values_list(
                "name",
                "kind",
                "township__name",
                "address",
                "deputy_count",
                "days_held",
                "reception_count",
                "voters",
                "activity_count",
                "months_held",
            )
        )
        kinds = dict(Station.Kind.choices)
        due = months_due(period, timezone.localdate())
        for row in values.iterator(chunk_size=CHUNK_SIZE):
            name, kind, township, address, deputies, days, count, voters, activities, months = row
            months = months or 0
            yield [
                name,
                str(kinds.get(kind, kind)),
                township,
                address,
                deputies,
                days or 0,
                count or 0,
                voters or 0,
                activities or 0,
                months,
                due,
                _("达标") if months >= due else _("未达标"),
            ]


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
    headers = [
        (gettext_lazy("培训班"), 30),
        (gettext_lazy("类别"), 10),
        (gettext_lazy("方式"), 10),
        (gettext_lazy("开始日期"), 12),
        (gettext_lazy("结束日期"), 12),
        (gettext_lazy("学时"), 8),
        (gettext_lazy("参训人次"), 10),
        (gettext_lazy("参训学时"), 10),
    ]
    num_formats = {5: "0.0", 6: "0", 7: "0.0"}

    def queryset(self):
        return training_period(user=self.user, start=self.period.start, end=self.period.end)

    def count(self) -> int:
        return self.queryset().count()

    def rows(self):
        from deputies.models import Training

        kinds, modes = dict(Training.Kind.choices), dict(Training.Mode.choices)
        courses = (
            self.queryset()
            .order_by("start_date", "name", "pk")
            .values_list(
                "name",
                "kind",
                "mode",
                "start_date",
                "end_date",
                "hours",
                "trainees",
                "trainee_hours",
            )
        )
        for name, kind, mode, start, end, hours, trainees, trainee_hours in courses.iterator(
            chunk_size=CHUNK_SIZE
        ):
            yield [
                name,
                str(kinds.get(kind, kind)),
                str(modes.get(mode, mode)),
                start,
                end,
                hours,
                trainees,
                trainee_hours or 0,
            ]


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
        if start or end:
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
        return Period(
            datetime.date.fromisoformat(self.params["start"]),
            datetime.date.fromisoformat(self.params["end"]),
        )

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
