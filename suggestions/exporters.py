"""The suggestion register (建议台账) as a workbook: the register itself with the three meetings,
reply, timeliness and evaluations of each suggestion, then the statistics of the period (overview,
by category, by unit) exactly as the statistics page shows them.

Rows stream from the database in a fixed number of queries whatever the number of suggestions:
per-suggestion figures are correlated subqueries, and the co-signers and co-handling units come
from one ordered query each, merged with the suggestions as they stream."""

import datetime
import types

from django.db.models import Exists, F, OuterRef, Q, Subquery
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from accounts.access import can
from core.errors import DomainError
from core.exports import CHUNK_SIZE, Exporter, MergedNames, Sheet, parse_date, register
from core.queries import related_count

from . import selectors
from .models import Assignment, Evaluation, ProgressReport, PublicMeeting, Reply, Suggestion
from .statistics import suggestion_statistics

FILTER_FIELDS = ("q", "status", "category", "key_supervision", "overdue", "unit", "year")


def _yes(value: bool) -> str:
    return _("是") if value else ""


class RegisterSheet(Sheet):
    verbose_name = gettext_lazy("建议台账")
    headers = [
        (gettext_lazy("编号"), 10),
        (gettext_lazy("标题"), 36),
        (gettext_lazy("类别"), 10),
        (gettext_lazy("状态"), 10),
        (gettext_lazy("领衔代表"), 10),
        (gettext_lazy("附议代表"), 20),
        (gettext_lazy("提交日期"), 12),
        (gettext_lazy("主办单位"), 22),
        (gettext_lazy("协办单位"), 24),
        (gettext_lazy("复杂建议"), 8),
        (gettext_lazy("重点督办"), 8),
        (gettext_lazy("督办领导"), 10),
        (gettext_lazy("交办日期"), 12),
        (gettext_lazy("办理期限"), 12),
        (gettext_lazy("原定期限"), 12),
        (gettext_lazy("逾期"), 6),
        (gettext_lazy("办理轮次"), 8),
        (gettext_lazy("与群众见面(次)"), 10),
        (gettext_lazy("向群众汇报(次)"), 10),
        (gettext_lazy("本轮答复类别"), 18),
        (gettext_lazy("本轮答复日期"), 12),
        (gettext_lazy("按期答复"), 8),
        (gettext_lazy("代表测评"), 10),
        (gettext_lazy("群众满意"), 8),
        (gettext_lazy("群众基本满意"), 10),
        (gettext_lazy("群众不满意"), 8),
        (gettext_lazy("来源群众意见(条)"), 10),
    ]

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
        ).values_list(
            "pk",
            "number",
            "title",
            "category",
            "status",
            "lead_deputy__name",
            "submitted_at",
            "lead_unit_name",
            "is_complex",
            "key_supervision",
            "supervising_leader__full_name",
            "assigned_on",
            "deadline",
            "original_deadline",
            "round",
            "meetings",
            "reports",
            "reply_code",
            "reply_name",
            "replied_on",
            "replied_on_time",
            "deputy_result",
            "public_satisfied",
            "public_basically",
            "public_unsatisfied",
            "opinions",
        )
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
        categories = dict(Suggestion._meta.get_field("category").choices)
        statuses = dict(Suggestion.Status.choices)
        results = dict(Evaluation.Result.choices)
        today = timezone.localdate()
        open_statuses = set(selectors.OPEN_STATUSES)
        for row in values.iterator(chunk_size=CHUNK_SIZE):
            (pk, number, title, category, status, lead, submitted_at, lead_unit, is_complex,
             key, leader, assigned_on, deadline, original, round_, meetings, reports, code,
             code_name, replied_on, replied_on_time, deputy_result, satisfied, basically,
             unsatisfied, opinions) = row  # fmt: skip
            overdue = bool(deadline and deadline < today and status in open_statuses)
            yield [
                number,
                title,
                str(categories.get(category, category)),
                str(statuses.get(status, status)),
                lead,
                co_signers.take(pk),
                timezone.localtime(submitted_at).date() if submitted_at else None,
                lead_unit,
                co_units.take(pk),
                _yes(is_complex),
                _yes(key),
                leader,
                assigned_on,
                deadline,
                original if original != deadline else None,
                _yes(overdue),
                round_,
                meetings,
                reports,
                f"{code} {code_name}" if code else None,
                replied_on,
                (_("按期") if replied_on_time else _("超期")) if replied_on else None,
                str(results[deputy_result]) if deputy_result else None,
                satisfied,
                basically,
                unsatisfied,
                opinions,
            ]


class OverviewSheet(Sheet):
    verbose_name = gettext_lazy("统计概况")
    headers = [(gettext_lazy("指标"), 28), (gettext_lazy("数值"), 14), (gettext_lazy("说明"), 60)]

    def count(self) -> int:
        return len(self._rows())

    def _rows(self) -> list[list]:
        statistics = self.exporter.statistics()
        t = statistics.totals
        rows = [
            [_("统计期间"), f"{statistics.start:%Y-%m-%d} 至 {statistics.end:%Y-%m-%d}", ""],
            [_("提出建议"), t.total, _("期间内提交的建议")],
            [_("立案"), t.registered, ""],
            [_("督办建议"), t.supervised, _("已交办承办单位的建议")],
            [_("其中重点督办"), t.key_supervision, ""],
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
        yield from self._rows()


FIGURE_HEADERS = [
    (gettext_lazy("督办"), 8),
    (gettext_lazy("推动解决"), 8),
    (gettext_lazy("代表测评"), 8),
    (gettext_lazy("满意和基本满意"), 10),
    (gettext_lazy("满意率(%)"), 10),
    (gettext_lazy("答复件次"), 8),
    (gettext_lazy("按期答复"), 8),
    (gettext_lazy("按期答复率(%)"), 10),
    (gettext_lazy("当前逾期"), 8),
    (gettext_lazy("重新办理"), 8),
]


def _figure_row(label: str, f) -> list:
    return [
        label,
        f.supervised,
        f.solved,
        f.evaluated,
        f.satisfied,
        f.satisfaction_rate,
        f.replies,
        f.on_time,
        f.on_time_rate,
        f.overdue,
        f.rehandled,
    ]


class ByCategorySheet(Sheet):
    verbose_name = gettext_lazy("按类别统计")
    headers = [(gettext_lazy("类别"), 14), *FIGURE_HEADERS]

    def count(self) -> int:
        return len(self.exporter.statistics().by_category)

    def rows(self):
        for label, figures in self.exporter.statistics().by_category:
            yield _figure_row(str(label), figures)


class ByUnitSheet(Sheet):
    verbose_name = gettext_lazy("按承办单位统计")
    headers = [(gettext_lazy("主办单位"), 26), *FIGURE_HEADERS]

    def count(self) -> int:
        return len(self.exporter.statistics().by_unit)

    def rows(self):
        for name, figures in self.exporter.statistics().by_unit:
            yield _figure_row(name, figures)


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
