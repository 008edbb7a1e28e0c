"""The suggestion register (建议台账) as a workbook: the register itself with the three meetings,
reply, timeliness and evaluations of each suggestion, then the statistics of the period (overview,
by category, by unit) exactly as the statistics page shows them.

Rows stream from the database in a fixed number of queries whatever the number of suggestions:
per-suggestion figures are correlated subqueries, and the co-signers and co-handling units come
from one ordered query each, merged with the suggestions as they stream."""

import datetime
import types
from operator import itemgetter
from typing import Any

from django.db.models import Exists, F, OuterRef, Q, Subquery
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from accounts.access import can
from core.errors import DomainError
from core.exports import (
    CHUNK_SIZE,
    Column,
    Exporter,
    MergedNames,
    Sheet,
    choice_label,
    local_date,
    parse_date,
    register,
)
from core.periods import Period
from core.queries import related_count

from . import selectors
from .models import Assignment, Evaluation, ProgressReport, PublicMeeting, Reply, Suggestion
from .report import AnnualReport, annual_report
from .statistics import Figures, suggestion_statistics

FILTER_FIELDS = (
    "q",
    "status",
    "category",
    "key_supervision",
    "overdue",
    "unit",
    "year",
    "congress_level",
    "congress",
)


CATEGORY_CHOICES = Suggestion._meta.get_field("category").choices
EVALUATION_RESULTS = dict(Evaluation.Result.choices)


def _yes(value: bool) -> str:
    return _("是") if value else ""


def _original_deadline(row) -> datetime.date | None:
    """The deadline first set, shown only when it was extended."""
    original = row["original_deadline"]
    return original if original != row["deadline"] else None


def _reply(row) -> str | None:
    return f"{row['reply_code']} {row['reply_name']}" if row["reply_code"] else None


def _replied_on_time(row) -> str | None:
    if not row["replied_on"]:
        return None
    return _("按期") if row["replied_on_time"] else _("超期")


class RegisterSheet(Sheet):
    verbose_name = gettext_lazy("建议台账")
    columns = (
        Column(gettext_lazy("编号"), 10, "number"),
        Column(gettext_lazy("标题"), 36, "title"),
        Column(gettext_lazy("类别"), 10, "category", choice_label(CATEGORY_CHOICES)),
        Column(gettext_lazy("状态"), 10, "status", choice_label(Suggestion.Status.choices)),
        Column(gettext_lazy("所属人大"), 12, "congress__name"),
        Column(
            gettext_lazy("人大层级"),
            14,
            "congress_level",
            choice_label(Suggestion.Congress.choices),
        ),
        Column(gettext_lazy("领衔代表"), 10, "lead_deputy__name"),
        Column(gettext_lazy("联名代表"), 20, itemgetter("co_signers")),  # merged in rows()
        Column(gettext_lazy("提交日期"), 12, "submitted_at", local_date),
        Column(gettext_lazy("主办单位"), 22, "lead_unit_name"),
        Column(gettext_lazy("协办单位"), 24, itemgetter("co_units")),  # merged in rows()
        Column(gettext_lazy("复杂建议"), 8, "is_complex", _yes),
        Column(gettext_lazy("重点督办"), 8, "key_supervision", _yes),
        Column(gettext_lazy("督办领导"), 10, "supervising_leader__full_name"),
        Column(gettext_lazy("交办日期"), 12, "assigned_on"),
        Column(gettext_lazy("办理期限"), 12, "deadline"),
        Column(
            gettext_lazy("原定期限"),
            12,
            _original_deadline,
            needs=("original_deadline", "deadline"),
        ),
        Column(gettext_lazy("逾期"), 6, itemgetter("overdue"), _yes),  # computed in rows()
        Column(gettext_lazy("办理轮次"), 8, "round"),
        Column(gettext_lazy("与群众见面(次)"), 10, "meetings"),
        Column(gettext_lazy("向群众汇报(次)"), 10, "reports"),
        Column(gettext_lazy("本轮答复类别"), 18, _reply, needs=("reply_code", "reply_name")),
        Column(gettext_lazy("本轮答复日期"), 12, "replied_on"),
        Column(
            gettext_lazy("按期答复"),
            8,
            _replied_on_time,
            needs=("replied_on", "replied_on_time"),
        ),
        Column(
            gettext_lazy("代表测评"),
            10,
            "deputy_result",
            lambda result: str(EVALUATION_RESULTS[result]) if result else None,
        ),
        Column(gettext_lazy("群众满意"), 8, "public_satisfied"),
        Column(gettext_lazy("群众基本满意"), 10, "public_basically"),
        Column(gettext_lazy("群众不满意"), 8, "public_unsatisfied"),
        Column(gettext_lazy("来源群众意见(条)"), 10, "opinions"),
    )

    def queryset(self):
        return self.exporter.filtered().order_by("pk")

    def count(self) -> int:
        return self.queryset().count()

    def rows(self):
        suggestions = self.queryset()
        latest_reply = Reply.objects.filter(suggestion_id=OuterRef("pk"), round=OuterRef("round"))
        due = Assignment.objects.filter(
            suggestion_id=OuterRef("suggestion_id"),
            round=OuterRef("round"),
            role=Assignment.Role.LEAD,
        ).values("deadline")[:1]
        on_time = Reply.objects.annotate(due=Subquery(due)).filter(
            suggestion_id=OuterRef("pk"), round=OuterRef("round"), replied_on__lte=F("due")
        )
        deputy_result = Evaluation.objects.filter(
            suggestion_id=OuterRef("pk"), kind=Evaluation.Kind.DEPUTY
        ).order_by("-round", "-pk")

        def votes(result):
            return related_count(
                Evaluation,
                "suggestion",
                kind=Evaluation.Kind.PUBLIC,
                result=result,
                round=OuterRef("round"),
            )

        values = suggestions.annotate(
            lead_unit_name=selectors.lead_unit_name_subquery(),
            meetings=related_count(PublicMeeting, "suggestion"),
            reports=related_count(ProgressReport, "suggestion", round=OuterRef("round")),
            reply_code=Subquery(latest_reply.values("category__code")[:1]),
            reply_name=Subquery(latest_reply.values("category__name")[:1]),
            replied_on=Subquery(latest_reply.values("replied_on")[:1]),
            replied_on_time=Exists(on_time),
            deputy_result=Subquery(deputy_result.values("result")[:1]),
            public_satisfied=votes(Evaluation.Result.SATISFIED),
            public_basically=votes(Evaluation.Result.BASICALLY),
            public_unsatisfied=votes(Evaluation.Result.UNSATISFIED),
            opinions=related_count(Suggestion.from_opinions.through, "suggestion"),
        ).values("pk", *self.fields())
        ids = suggestions.values("pk")
        co_signers = MergedNames(
            Suggestion.co_signers.through.objects.filter(suggestion_id__in=ids)
            .order_by("suggestion_id", "deputy__name")
            .values_list("suggestion_id", "deputy__name")
            .iterator(chunk_size=CHUNK_SIZE)
        )
        co_units = MergedNames(
            Assignment.objects.filter(
                suggestion_id__in=ids,
                role=Assignment.Role.CO,
                round=F("suggestion__round"),
            )
            .order_by("suggestion_id", "unit__name")
            .values_list("suggestion_id", "unit__name")
            .iterator(chunk_size=CHUNK_SIZE)
        )
        today = timezone.localdate()
        open_statuses = set(selectors.OPEN_STATUSES)
        for row in values.iterator(chunk_size=CHUNK_SIZE):
            pk, deadline = row["pk"], row["deadline"]
            row["co_signers"] = co_signers.take(pk)
            row["co_units"] = co_units.take(pk)
            row["overdue"] = bool(deadline and deadline < today and row["status"] in open_statuses)
            yield self.cells(row)


class OverviewSheet(Sheet):
    verbose_name = gettext_lazy("统计概况")
    # Figures, not records: each row of _rows() is (figure, value, note).
    columns = (
        Column(gettext_lazy("指标"), 28, itemgetter(0)),
        Column(gettext_lazy("数值"), 14, itemgetter(1)),
        Column(gettext_lazy("说明"), 60, itemgetter(2)),
    )

    def count(self) -> int:
        return len(self._rows())

    def _rows(self) -> list[list]:
        statistics = self.exporter.statistics()
        t = statistics.totals
        rows = [
            [_("统计期间"), f"{statistics.start:%Y-%m-%d} 至 {statistics.end:%Y-%m-%d}", ""],
            [_("提出建议"), t.total, _("期间内提交的建议")],
            [_("登记"), t.registered, ""],
            [_("交办建议"), t.supervised, _("已交办承办单位的建议")],
            [_("其中重点督办"), t.key_supervision, _("由领导重点督办的建议")],
            [_("推动解决问题"), t.solved, _("本轮答复为“计入问题解决”类别(默认A类)")],
            [_("代表测评件数"), t.evaluated, ""],
            [_("满意和基本满意"), t.satisfied, ""],
            [_("满意率(%)"), t.satisfaction_rate, _("(满意+基本满意)÷测评件数,按最近一轮代表测评")],
            [_("答复件次"), t.replies, ""],
            [_("按期答复"), t.on_time, ""],
            [_("按期答复率(%)"), t.on_time_rate, _("按期答复÷(答复+逾期未答复)")],
            [_("当前逾期"), t.overdue, ""],
            [_("重新办理"), t.rehandled, _("办理轮次大于1的建议")],
            [_("群众测评满意率(%)"), statistics.public_satisfaction_rate, ""],
        ]
        rows += [[_("状态:%(s)s") % {"s": label}, n, ""] for label, n in statistics.by_status]
        rows += [
            [_("答复类别:%(c)s") % {"c": label}, n, ""] for label, n in statistics.by_reply_category
        ]
        return rows

    def rows(self):
        for row in self._rows():
            yield self.cells(row)


FIGURE_COLUMNS = (
    Column(gettext_lazy("交办"), 8, "supervised"),
    Column(gettext_lazy("推动解决"), 8, "solved"),
    Column(gettext_lazy("代表测评"), 8, "evaluated"),
    Column(gettext_lazy("满意和基本满意"), 10, "satisfied"),
    Column(gettext_lazy("满意率(%)"), 10, "satisfaction_rate"),
    Column(gettext_lazy("答复件次"), 8, "replies"),
    Column(gettext_lazy("按期答复"), 8, "on_time"),
    Column(gettext_lazy("按期答复率(%)"), 10, "on_time_rate"),
    Column(gettext_lazy("当前逾期"), 8, "overdue"),
    Column(gettext_lazy("重新办理"), 8, "rehandled"),
    Column(gettext_lazy("见面率(%)"), 10, "meeting_rate"),
    Column(gettext_lazy("沟通率(%)"), 10, "contact_rate"),
)


class FiguresSheet(Sheet):
    """The statistics page's figures by one grouping (category, unit): a row per group, its name
    in the column whose source is "group", then FIGURE_COLUMNS read from its Figures."""

    def groups(self) -> list[tuple[Any, Figures]]:
        raise NotImplementedError

    def count(self) -> int:
        return len(self.groups())

    def rows(self):
        for group, figures in self.groups():
            yield self.cells(self.object_row(figures, group=str(group)))


class ByCategorySheet(FiguresSheet):
    verbose_name = gettext_lazy("按类别统计")
    columns = (Column(gettext_lazy("类别"), 14, "group"), *FIGURE_COLUMNS)

    def groups(self):
        return self.exporter.statistics().by_category


class ByUnitSheet(FiguresSheet):
    verbose_name = gettext_lazy("按承办单位统计")
    columns = (Column(gettext_lazy("主办单位"), 26, "group"), *FIGURE_COLUMNS)

    def groups(self):
        return self.exporter.statistics().by_unit


@register
class SuggestionRegisterExporter(Exporter):
    identifier = "suggestion_register"
    verbose_name = gettext_lazy("代表建议台账")
    sheet_classes = (RegisterSheet, OverviewSheet, ByCategorySheet, ByUnitSheet)

    @classmethod
    def allowed(cls, user) -> bool:
        return can(user, "suggestion.statistics")

    @classmethod
    def clean_params(cls, user, data) -> dict:
        filters = {name: data.get(name) for name in FILTER_FIELDS if data.get(name)}
        filterset = cls._filterset(user, filters)
        if not filterset.is_valid():
            raise DomainError(_("筛选条件有误,请检查后再导出。"))
        start = parse_date(data.get("start"), field="start", label=_("开始日期"))
        end = parse_date(data.get("end"), field="end", label=_("结束日期"))
        if start and end and start > end:
            raise DomainError(_("开始日期不能晚于结束日期。"), field="start")
        params = {"filters": filters}
        if start:
            params["start"] = start.isoformat()
        if end:
            params["end"] = end.isoformat()
        return params

    @staticmethod
    def _filterset(user, filters: dict):
        return selectors.SuggestionFilter(
            filters,
            queryset=selectors.suggestion_list(user=user),
            request=types.SimpleNamespace(user=user),
        )

    def period(self) -> tuple[datetime.date, datetime.date]:
        year = self.params.get("filters", {}).get("year")
        if "start" in self.params or "end" in self.params:
            start = self.params.get("start")
            end = self.params.get("end")
            return (
                datetime.date.fromisoformat(start) if start else datetime.date(2000, 1, 1),
                datetime.date.fromisoformat(end) if end else timezone.localdate(),
            )
        if year:
            return datetime.date(int(year), 1, 1), datetime.date(int(year), 12, 31)
        return datetime.date(2000, 1, 1), timezone.localdate()

    def filtered(self):
        queryset = self._filterset(self.user, self.params.get("filters", {})).qs
        if "start" in self.params or "end" in self.params:
            start, end = self.period()
            queryset = queryset.filter(
                Q(submitted_at__date__gte=start, submitted_at__date__lte=end)
            )
        return queryset

    def statistics(self):
        if not hasattr(self, "_statistics"):
            start, end = self.period()
            self._statistics = suggestion_statistics(user=self.user, start=start, end=end)
        return self._statistics

    def title(self) -> str:
        start, end = self.period()
        return _("代表建议台账(%(start)s 至 %(end)s)") % {
            "start": f"{start:%Y-%m-%d}",
            "end": f"{end:%Y-%m-%d}",
        }

    def filename(self) -> str:
        start, end = self.period()
        return f"代表建议台账-{start:%Y%m%d}-{end:%Y%m%d}.xlsx"


# 年度代表建议办理情况报告 -----------------------------------------------------------------------


class ReportSummarySheet(Sheet):
    verbose_name = gettext_lazy("总体情况")
    columns = (
        Column(gettext_lazy("指标"), 28, itemgetter(0)),
        Column(gettext_lazy("数值"), 16, itemgetter(1)),
    )

    def _rows(self) -> list[list]:
        report = self.exporter.report()
        t = report.statistics.totals
        codes = report.totals_codes()
        return [
            [_("统计期间"), str(report.period)],
            [_("提出建议"), t.total],
            [_("交办建议"), t.supervised],
            [_("其中重点督办"), t.key_supervision],
            [_("答复件次"), t.replies],
            [_("按期答复率(%)"), t.on_time_rate],
            *[[_("%(code)s类答复") % {"code": code}, codes.get(code, 0)] for code in report.codes],
            [_("推动解决问题"), t.solved],
            [_("满意率(%)"), t.satisfaction_rate],
            [_("重新办理"), t.rehandled],
            [_("见面率(%)"), t.meeting_rate],
            [_("沟通率(%)"), t.contact_rate],
        ]

    def count(self) -> int:
        return len(self._rows())

    def rows(self):
        for row in self._rows():
            yield self.cells(row)


class ReportRowsSheet(Sheet):
    """A row per group of the report (unit or category), with its A/B/C/D counts."""

    first_label: Any = ""

    def report_rows(self) -> list:
        raise NotImplementedError

    def column_headers(self) -> list[tuple[str, int]]:
        codes = self.exporter.report().codes
        return [
            (str(self.first_label), 26),
            (_("交办"), 8),
            (_("答复件次"), 8),
            (_("按期答复率(%)"), 12),
            *[(_("%(code)s类") % {"code": code}, 6) for code in codes],
            (_("满意率(%)"), 10),
            (_("重新办理"), 8),
            (_("见面率(%)"), 10),
            (_("沟通率(%)"), 10),
        ]

    def column_formats(self) -> dict[int, str]:
        return {}

    def count(self) -> int:
        return len(self.report_rows())

    def rows(self):
        codes = self.exporter.report().codes
        for row in self.report_rows():
            f = row.figures
            yield [
                row.name,
                f.supervised,
                f.replies,
                f.on_time_rate,
                *[row.codes.get(code, 0) for code in codes],
                f.satisfaction_rate,
                f.rehandled,
                f.meeting_rate,
                f.contact_rate,
            ]


class ReportByUnitSheet(ReportRowsSheet):
    verbose_name = gettext_lazy("各承办单位")
    first_label = gettext_lazy("主办单位")
    columns = ()

    def report_rows(self) -> list:
        return self.exporter.report().by_unit


class ReportByCategorySheet(ReportRowsSheet):
    verbose_name = gettext_lazy("按建议类别")
    first_label = gettext_lazy("类别")
    columns = ()

    def report_rows(self) -> list:
        return self.exporter.report().by_category


@register
class SuggestionAnnualReportExporter(Exporter):
    """年度代表建议办理情况报告 as a workbook: the headline figures, then per unit and per
    category (the Word document of the same report: suggestions.report)."""

    identifier = "suggestion_annual_report"
    verbose_name = gettext_lazy("年度代表建议办理情况报告")
    sheet_classes = (ReportSummarySheet, ReportByUnitSheet, ReportByCategorySheet)

    @classmethod
    def allowed(cls, user) -> bool:
        return can(user, "suggestion.statistics")

    @classmethod
    def clean_params(cls, user, data) -> dict:
        start = parse_date(data.get("start"), field="start", label=_("开始日期"))
        end = parse_date(data.get("end"), field="end", label=_("结束日期"))
        if start is None or end is None:
            raise DomainError(_("请先选择统计期间(年度或本届以来)。"), field="start")
        if start > end:
            raise DomainError(_("开始日期不能晚于结束日期。"), field="start")
        params: dict[str, Any] = {"start": start.isoformat(), "end": end.isoformat()}
        congress = str(data.get("congress") or "")
        if congress:
            if (
                not congress.isdigit()
                or not selectors.congress_choices(user=user).filter(pk=int(congress)).exists()
            ):
                raise DomainError(_("所选人大不在您的范围内。"), field="congress")
            params["congress"] = int(congress)
        level = data.get("congress_level") or ""
        if level:
            if level not in Suggestion.Congress.values:
                raise DomainError(_("人大层级有误。"), field="congress_level")
            params["congress_level"] = level
        return params

    def report(self) -> AnnualReport:
        if not hasattr(self, "_report"):
            self._report = annual_report(
                user=self.user,
                period=Period(
                    datetime.date.fromisoformat(self.params["start"]),
                    datetime.date.fromisoformat(self.params["end"]),
                ),
                congress_id=self.params.get("congress"),
                congress_level=self.params.get("congress_level"),
            )
        return self._report

    def title(self) -> str:
        return self.report().title

    def filename(self) -> str:
        start, end = self.params["start"], self.params["end"]
        return f"代表建议办理情况报告-{start.replace('-', '')}-{end.replace('-', '')}.xlsx"
