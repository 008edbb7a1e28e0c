"""Excel exports of the oversight registers, each scoped to the exporting user and filtered as
the page was: inspections with their recommendations, supervision topics with every vote and
score, major matters with their three reports, meetings with attendance and observers."""

import types
from collections.abc import Callable

from django.db.models import Count
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from accounts.access import can_read
from core.errors import DomainError
from core.exports import CHUNK_SIZE, Exporter, Sheet, register

from . import selectors
from .models import (
    CitizenObserver,
    CommitteeVote,
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
    headers = [
        (gettext_lazy("法律法规"), 30),
        (gettext_lazy("联动"), 18),
        (gettext_lazy("开始日期"), 12),
        (gettext_lazy("结束日期"), 12),
        (gettext_lazy("检查方式"), 30),
        (gettext_lazy("检查地点"), 30),
        (gettext_lazy("参加代表数"), 10),
        (gettext_lazy("改进建议"), 10),
        (gettext_lazy("已采纳"), 10),
        (gettext_lazy("报告日期"), 12),
    ]

    def queryset(self):
        return (
            self.exporter.filtered()
            .annotate(deputy_count=Count("deputies", distinct=True))
            .order_by("-start_date", "-pk")
        )

    def count(self) -> int:
        return self.exporter.filtered().count()

    def rows(self):
        for i in self.queryset().iterator(chunk_size=CHUNK_SIZE):
            yield [
                i.law,
                i.get_joint_display(),
                i.start_date,
                i.end_date,
                _method_labels(i.methods),
                i.sites,
                i.deputy_count,
                i.recommendation_count,
                i.adopted_count,
                i.reported_on,
            ]


class RecommendationSheet(Sheet):
    verbose_name = gettext_lazy("改进建议")
    headers = [
        (gettext_lazy("法律法规"), 30),
        (gettext_lazy("责任单位"), 24),
        (gettext_lazy("改进建议"), 50),
        (gettext_lazy("采纳情况"), 10),
        (gettext_lazy("说明及佐证"), 50),
        (gettext_lazy("反馈日期"), 12),
    ]

    def queryset(self):
        return selectors.recommendation_list(user=self.user).filter(
            inspection__in=self.exporter.filtered().values("pk")
        )

    def count(self) -> int:
        return self.queryset().count()

    def rows(self):
        for r in self.queryset().iterator(chunk_size=CHUNK_SIZE):
            yield [
                r.inspection.law,
                r.unit.name,
                r.content,
                r.get_status_display(),
                r.evidence,
                r.decided_on,
            ]


@register
class InspectionExporter(FilteredExporter):
    identifier = "oversight_inspections"
    verbose_name = gettext_lazy("执法检查台账")
    sheet_classes = (InspectionSheet, RecommendationSheet)
    resource = "inspection"
    filter_class = selectors.InspectionFilter
    filter_fields = ("year", "joint", "q")
    selector = staticmethod(selectors.inspection_list)


class TopicSheet(Sheet):
    verbose_name = gettext_lazy("监督议题")
    headers = [
        (gettext_lazy("年度"), 8),
        (gettext_lazy("议题"), 36),
        (gettext_lazy("被监督单位"), 24),
        (gettext_lazy("来源意见数"), 10),
        (gettext_lazy("调研次数"), 10),
        (gettext_lazy("调研报告"), 30),
        (gettext_lazy("进展"), 14),
        (gettext_lazy("测评结果"), 10),
        (gettext_lazy("整改期限"), 12),
        (gettext_lazy("整改报告日期"), 12),
        (gettext_lazy("公开日期"), 12),
    ]

    def count(self) -> int:
        return self.exporter.filtered().count()

    def rows(self):
        for t in self.exporter.filtered().iterator(chunk_size=CHUNK_SIZE):
            rating = selectors.topic_rating(t)
            report = selectors.topic_research_report(t)
            yield [
                t.year,
                t.title,
                t.unit.name,
                t.opinion_count,
                t.research_count,
                report.title if report else "",
                str(selectors.topic_stage(t).label),
                rating.get_result_display() if rating else "",
                t.rectification_deadline,
                t.rectified_on,
                t.published_on,
            ]


class RatingSheet(Sheet):
    """Every vote and every score, as kept."""

    verbose_name = gettext_lazy("测评明细")
    headers = [
        (gettext_lazy("议题"), 36),
        (gettext_lazy("测评人"), 16),
        (gettext_lazy("类别"), 14),
        (gettext_lazy("表决或评分"), 12),
    ]

    def _ratings(self):
        return SatisfactionRating.objects.filter(topic__in=self.exporter.filtered().values("pk"))

    def count(self) -> int:
        ratings = self._ratings()
        return (
            CommitteeVote.objects.filter(rating__in=ratings).count()
            + PublicScore.objects.filter(rating__in=ratings).count()
        )

    def rows(self):
        ratings = self._ratings()
        votes = CommitteeVote.objects.filter(rating__in=ratings).select_related(
            "rating__topic", "member"
        )
        for v in votes.order_by("rating_id", "pk").iterator(chunk_size=CHUNK_SIZE):
            yield [v.rating.topic.title, str(v.member), _("常委会组成人员"), v.get_choice_display()]
        scores = PublicScore.objects.filter(rating__in=ratings).select_related("rating__topic")
        for s in scores.order_by("rating_id", "pk").iterator(chunk_size=CHUNK_SIZE):
            yield [s.rating.topic.title, s.representative, _("群众代表"), s.score]


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
    headers = [
        (gettext_lazy("重大事项"), 36),
        (gettext_lazy("环节"), 12),
        (gettext_lazy("报送日期"), 12),
        (gettext_lazy("文件名称及文号"), 40),
        (gettext_lazy("备注"), 40),
    ]

    def queryset(self):
        return MajorMatterReport.objects.filter(
            matter__in=self.exporter.filtered().values("pk")
        ).select_related("matter")

    def count(self) -> int:
        return self.queryset().count()

    def rows(self):
        for r in self.queryset().order_by("matter_id", "date", "pk").iterator(CHUNK_SIZE):
            yield [r.matter.title, r.get_step_display(), r.date, r.document, r.note]


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
    headers = [
        (gettext_lazy("会议"), 28),
        (gettext_lazy("日期"), 12),
        (gettext_lazy("议程"), 50),
        (gettext_lazy("列席名额"), 10),
        (gettext_lazy("邀请列席"), 10),
        (gettext_lazy("实际列席"), 10),
        (gettext_lazy("同意旁听"), 10),
    ]

    def count(self) -> int:
        return self.exporter.filtered().count()

    def rows(self):
        for m in self.exporter.filtered().iterator(chunk_size=CHUNK_SIZE):
            yield [
                str(m),
                m.date,
                m.agenda,
                m.attendee_quota,
                m.invited_count,
                m.attended_count,
                m.observer_count,
            ]


class AttendanceSheet(Sheet):
    verbose_name = gettext_lazy("列席代表")
    headers = [
        (gettext_lazy("会议"), 28),
        (gettext_lazy("日期"), 12),
        (gettext_lazy("代表"), 12),
        (gettext_lazy("乡镇(街道)"), 16),
        (gettext_lazy("到会情况"), 10),
    ]

    def queryset(self):
        return MeetingAttendance.objects.filter(
            meeting__in=self.exporter.filtered().values("pk")
        ).select_related("meeting", "deputy__station__township")

    def count(self) -> int:
        return self.queryset().count()

    def rows(self):
        for a in (
            self.queryset().order_by("-meeting__date", "deputy__name", "pk").iterator(CHUNK_SIZE)
        ):
            yield [
                str(a.meeting),
                a.meeting.date,
                a.deputy.name,
                a.deputy.station.township.name if a.deputy.station else "",
                a.get_status_display(),
            ]


class ObserverSheet(Sheet):
    """Names and affiliations only: phone numbers stay in the portal."""

    verbose_name = gettext_lazy("公民旁听")
    headers = [
        (gettext_lazy("会议"), 28),
        (gettext_lazy("姓名"), 12),
        (gettext_lazy("工作单位或住址"), 30),
        (gettext_lazy("审核"), 10),
        (gettext_lazy("到会"), 8),
    ]

    def queryset(self):
        return CitizenObserver.objects.filter(
            meeting__in=self.exporter.filtered().values("pk")
        ).select_related("meeting")

    def count(self) -> int:
        return self.queryset().count()

    def rows(self):
        for o in self.queryset().order_by("-meeting__date", "pk").iterator(CHUNK_SIZE):
            yield [
                str(o.meeting),
                o.name,
                o.affiliation,
                o.get_status_display(),
                _("是") if o.attended else _("否"),
            ]


@register
class MeetingExporter(FilteredExporter):
    identifier = "oversight_meetings"
    verbose_name = gettext_lazy("常委会会议列席旁听")
    sheet_classes = (MeetingSheet, AttendanceSheet, ObserverSheet)
    resource = "committee_meeting"
    filter_class = selectors.MeetingFilter
    filter_fields = ("year",)
    selector = staticmethod(selectors.meeting_list)
