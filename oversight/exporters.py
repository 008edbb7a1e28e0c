"""Excel exports of the oversight registers, each scoped to the exporting user and filtered as
the page was: inspections with their recommendations, supervision topics with the totals of
each anonymous vote and every public score, major matters with their three reports, meetings with attendance and observers."""

import types
from collections.abc import Callable

from django.db.models import Count, Q
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from accounts.access import can_read
from core.errors import DomainError
from core.exports import CHUNK_SIZE, Column, Exporter, Sheet, register

from . import selectors
from .models import (
    Ballot,
    CitizenObserver,
    InspectionMethod,
    MajorMatterReport,
    MeetingAttendance,
    PublicScore,
    SatisfactionRating,
)


class FilteredExporter(Exporter):
    """An exporter of one register: the page's FilterSet over the page's selector."""

    resource: str
    filter_class: type
    filter_fields: tuple[str, ...]
    selector: Callable  # the page's selector, wrapped in staticmethod by each register

    @classmethod
    def allowed(cls, user) -> bool:
        return can_read(user, cls.resource)

    @classmethod
    def _filterset(cls, user, filters):
        return cls.filter_class(
            filters,
            queryset=cls.selector(user=user),
            request=types.SimpleNamespace(user=user, GET=filters),
        )

    @classmethod
    def clean_params(cls, user, data) -> dict:
        filters = {name: data.get(name) for name in cls.filter_fields if data.get(name)}
        if not cls._filterset(user, filters).is_valid():
            raise DomainError(_("筛选条件有误,请检查后再导出。"))
        return {"filters": filters}

    def filtered(self):
        return self._filterset(self.user, self.params.get("filters", {})).qs


def _method_labels(methods) -> str:
    labels = dict(InspectionMethod.choices)
    return "、".join(str(labels[m]) for m in methods or [] if m in labels)


class InspectionSheet(Sheet):
    verbose_name = gettext_lazy("执法检查")
    columns = (
        Column(gettext_lazy("法律法规"), 30, "law"),
        Column(gettext_lazy("联动"), 18, lambda i: i.get_joint_display()),
        Column(gettext_lazy("开始日期"), 12, "start_date"),
        Column(gettext_lazy("结束日期"), 12, "end_date"),
        Column(gettext_lazy("检查方式"), 30, "methods", _method_labels),
        Column(gettext_lazy("检查地点"), 30, "sites"),
        Column(gettext_lazy("参加代表数"), 10, "deputy_count"),
        Column(gettext_lazy("改进建议"), 10, "recommendation_count"),
        Column(gettext_lazy("已采纳"), 10, "adopted_count"),
        Column(gettext_lazy("报告日期"), 12, "reported_on"),
    )

    def queryset(self):
        return (
            self.exporter.filtered()
            .annotate(deputy_count=Count("deputies", distinct=True))
            .order_by("-start_date", "-pk")
        )

    def count(self) -> int:
        return self.exporter.filtered().count()

    def rows(self):
        for inspection in self.queryset().iterator(chunk_size=CHUNK_SIZE):
            yield self.cells(inspection)


class RecommendationSheet(Sheet):
    verbose_name = gettext_lazy("改进建议")
    columns = (
        Column(gettext_lazy("法律法规"), 30, "inspection.law"),
        Column(gettext_lazy("责任单位"), 24, "unit.name"),
        Column(gettext_lazy("改进建议"), 50, "content"),
        Column(gettext_lazy("采纳情况"), 10, lambda r: r.get_status_display()),
        Column(gettext_lazy("说明及佐证"), 50, "evidence"),
        Column(gettext_lazy("反馈日期"), 12, "decided_on"),
    )

    def queryset(self):
        return selectors.recommendation_list(user=self.user).filter(
            inspection__in=self.exporter.filtered().values("pk")
        )

    def count(self) -> int:
        return self.queryset().count()

    def rows(self):
        for recommendation in self.queryset().iterator(chunk_size=CHUNK_SIZE):
            yield self.cells(recommendation)


@register
class InspectionExporter(FilteredExporter):
    identifier = "oversight_inspections"
    verbose_name = gettext_lazy("执法检查台账")
    sheet_classes = (InspectionSheet, RecommendationSheet)
    resource = "inspection"
    filter_class = selectors.InspectionFilter
    filter_fields = ("year", "joint", "q")
    selector = staticmethod(selectors.inspection_list)


def _research_report_title(topic) -> str:
    report = selectors.topic_research_report(topic)
    return report.title if report else ""


def _rating_result(topic) -> str:
    rating = selectors.topic_rating(topic)
    return rating.get_result_display() if rating else ""


class TopicSheet(Sheet):
    verbose_name = gettext_lazy("监督议题")
    columns = (
        Column(gettext_lazy("年度"), 8, "year"),
        Column(gettext_lazy("议题"), 36, "title"),
        Column(gettext_lazy("被监督单位"), 24, "unit.name"),
        Column(gettext_lazy("来源意见数"), 10, "opinion_count"),
        Column(gettext_lazy("调研次数"), 10, "research_count"),
        Column(gettext_lazy("调研报告"), 30, _research_report_title),
        Column(gettext_lazy("进展"), 14, lambda t: str(selectors.topic_stage(t).label)),
        Column(gettext_lazy("测评结果"), 10, _rating_result),
        Column(gettext_lazy("整改期限"), 12, "rectification_deadline"),
        Column(gettext_lazy("整改报告日期"), 12, "rectified_on"),
        Column(gettext_lazy("公开日期"), 12, "published_on"),
    )

    def count(self) -> int:
        return self.exporter.filtered().count()

    def rows(self):
        for topic in self.exporter.filtered().iterator(chunk_size=CHUNK_SIZE):
            yield self.cells(topic)


class RatingSheet(Sheet):
    """The members' anonymous vote as totals (one row per rating), and every public score."""

    verbose_name = gettext_lazy("测评明细")
    columns = (
        Column(gettext_lazy("议题"), 36, "topic"),
        Column(gettext_lazy("测评人"), 16, "rater"),
        Column(gettext_lazy("类别"), 14, "kind"),
        Column(gettext_lazy("表决或评分"), 40, "given"),
    )

    def _ratings(self):
        return SatisfactionRating.objects.filter(topic__in=self.exporter.filtered().values("pk"))

    def count(self) -> int:
        ratings = self._ratings()
        return ratings.count() + PublicScore.objects.filter(rating__in=ratings).count()

    def rows(self):
        ratings = self._ratings()
        totals = {
            row["vote_id"]: row
            for row in Ballot.objects.filter(vote__satisfaction_rating__in=ratings)
            .values("vote_id")
            .annotate(
                satisfied=Count("pk", filter=Q(choice="satisfied")),
                basic=Count("pk", filter=Q(choice="basic")),
                unsatisfied=Count("pk", filter=Q(choice="unsatisfied")),
            )
            .order_by()
        }
        members = _("常委会组成人员(无记名)")
        public = _("群众代表")
        listed = ratings.select_related("topic", "vote").order_by("pk")
        for rating in listed.iterator(chunk_size=CHUNK_SIZE):
            row = totals.get(rating.vote_id, {"satisfied": 0, "basic": 0, "unsatisfied": 0})
            present = rating.vote.present_count if rating.vote is not None else None
            yield self.cells(
                {
                    "topic": rating.topic.title,
                    "rater": _("出席 %(n)s 人") % {"n": present if present is not None else "—"},
                    "kind": members,
                    "given": _("满意 %(s)d,基本满意 %(b)d,不满意 %(u)d")
                    % {
                        "s": row["satisfied"],
                        "b": row["basic"],
                        "u": row["unsatisfied"],
                    },
                }
            )
        scores = PublicScore.objects.filter(rating__in=ratings).select_related("rating__topic")
        for score in scores.order_by("rating_id", "pk").iterator(chunk_size=CHUNK_SIZE):
            yield self.cells(
                {
                    "topic": score.rating.topic.title,
                    "rater": score.representative,
                    "kind": public,
                    "given": score.score,
                }
            )


@register
class TopicExporter(FilteredExporter):
    identifier = "oversight_topics"
    verbose_name = gettext_lazy("监督议题台账")
    sheet_classes = (TopicSheet, RatingSheet)
    resource = "supervision_topic"
    filter_class = selectors.TopicFilter
    filter_fields = ("year", "unit", "q")
    selector = staticmethod(selectors.topic_list)


class MatterSheet(Sheet):
    verbose_name = gettext_lazy("重大事项")
    columns = (
        Column(gettext_lazy("重大事项"), 36, "matter.title"),
        Column(gettext_lazy("环节"), 12, lambda r: r.get_step_display()),
        Column(gettext_lazy("报送日期"), 12, "date"),
        Column(gettext_lazy("文件名称及文号"), 40, "document"),
        Column(gettext_lazy("备注"), 40, "note"),
    )

    def queryset(self):
        return MajorMatterReport.objects.filter(
            matter__in=self.exporter.filtered().values("pk")
        ).select_related("matter")

    def count(self) -> int:
        return self.queryset().count()

    def rows(self):
        for report in self.queryset().order_by("matter_id", "date", "pk").iterator(CHUNK_SIZE):
            yield self.cells(report)


@register
class MatterExporter(FilteredExporter):
    identifier = "oversight_matters"
    verbose_name = gettext_lazy("重大事项请示报告")
    sheet_classes = (MatterSheet,)
    resource = "major_matter"
    filter_class = selectors.MatterFilter
    filter_fields = ("q",)
    selector = staticmethod(selectors.matter_list)


class MeetingSheet(Sheet):
    verbose_name = gettext_lazy("常委会会议")
    columns = (
        Column(gettext_lazy("会议"), 28, str),
        Column(gettext_lazy("日期"), 12, "date"),
        Column(gettext_lazy("议程"), 50, "agenda"),
        Column(gettext_lazy("列席名额"), 10, "attendee_quota"),
        Column(gettext_lazy("邀请列席"), 10, "invited_count"),
        Column(gettext_lazy("实际列席"), 10, "attended_count"),
        Column(gettext_lazy("同意旁听"), 10, "observer_count"),
    )

    def count(self) -> int:
        return self.exporter.filtered().count()

    def rows(self):
        for meeting in self.exporter.filtered().iterator(chunk_size=CHUNK_SIZE):
            yield self.cells(meeting)


class AttendanceSheet(Sheet):
    verbose_name = gettext_lazy("列席代表")
    columns = (
        Column(gettext_lazy("会议"), 28, "meeting", str),
        Column(gettext_lazy("日期"), 12, "meeting.date"),
        Column(gettext_lazy("代表"), 12, "deputy.name"),
        Column(
            gettext_lazy("乡镇(街道)"),
            16,
            lambda a: a.deputy.station.township.name if a.deputy.station else "",
        ),
        Column(gettext_lazy("到会情况"), 10, lambda a: a.get_status_display()),
    )

    def queryset(self):
        return MeetingAttendance.objects.filter(
            meeting__in=self.exporter.filtered().values("pk")
        ).select_related("meeting", "deputy__station__township")

    def count(self) -> int:
        return self.queryset().count()

    def rows(self):
        attendances = self.queryset().order_by("-meeting__date", "deputy__name", "pk")
        for attendance in attendances.iterator(CHUNK_SIZE):
            yield self.cells(attendance)


class ObserverSheet(Sheet):
    """Names and affiliations only: phone numbers stay in the portal."""

    verbose_name = gettext_lazy("公民旁听")
    columns = (
        Column(gettext_lazy("会议"), 28, "meeting", str),
        Column(gettext_lazy("姓名"), 12, "name"),
        Column(gettext_lazy("工作单位或住址"), 30, "affiliation"),
        Column(gettext_lazy("审核"), 10, lambda o: o.get_status_display()),
        Column(
            gettext_lazy("到会"), 8, "attended", lambda attended: _("是") if attended else _("否")
        ),
    )

    def queryset(self):
        return CitizenObserver.objects.filter(
            meeting__in=self.exporter.filtered().values("pk")
        ).select_related("meeting")

    def count(self) -> int:
        return self.queryset().count()

    def rows(self):
        for observer in self.queryset().order_by("-meeting__date", "pk").iterator(CHUNK_SIZE):
            yield self.cells(observer)


@register
class MeetingExporter(FilteredExporter):
    identifier = "oversight_meetings"
    verbose_name = gettext_lazy("常委会会议列席旁听")
    sheet_classes = (MeetingSheet, AttendanceSheet, ObserverSheet)
    resource = "committee_meeting"
    filter_class = selectors.MeetingFilter
    filter_fields = ("year",)
    selector = staticmethod(selectors.meeting_list)
