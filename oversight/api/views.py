from django.utils import timezone
from rest_framework import serializers

from core.api.views import ScopedReadOnlyViewSet
from oversight import selectors
from oversight.models import (
    CommitteeMeeting,
    Inquiry,
    InquiryQuestion,
    Inspection,
    InspectionRecommendation,
    MajorMatter,
    PlanItem,
    ReviewOpinion,
    SiteInspection,
    SupervisionTopic,
    WorkPlan,
)


class InspectionSerializer(serializers.ModelSerializer):
    recommendation_count = serializers.IntegerField(read_only=True)
    adopted_count = serializers.IntegerField(read_only=True)

    class Meta:
        model = Inspection
        fields = [
            "id",
            "law",
            "joint",
            "start_date",
            "end_date",
            "sites",
            "methods",
            "findings",
            "report",
            "reported_on",
            "recommendation_count",
            "adopted_count",
        ]


class InspectionViewSet(ScopedReadOnlyViewSet):
    """执法检查:检查的法律法规、联动、时间、方式,改进建议数和已采纳数。承办单位只看到向其提出建议的检查。"""

    scope_resource = "inspection"
    queryset = Inspection.objects.none()
    selector = staticmethod(selectors.inspection_list_latest)
    serializer_class = InspectionSerializer
    filterset_class = selectors.InspectionFilter


class RecommendationSerializer(serializers.ModelSerializer):
    unit_name = serializers.CharField(source="unit.name", read_only=True)
    law = serializers.CharField(source="inspection.law", read_only=True)

    class Meta:
        model = InspectionRecommendation
        fields = [
            "id",
            "inspection",
            "law",
            "unit",
            "unit_name",
            "content",
            "status",
            "evidence",
            "decided_on",
        ]


class RecommendationViewSet(ScopedReadOnlyViewSet):
    """执法检查改进建议及采纳情况。承办单位只看到向本单位提出的建议。"""

    scope_resource = "inspection_recommendation"
    queryset = InspectionRecommendation.objects.none()
    selector = staticmethod(selectors.recommendation_list)
    serializer_class = RecommendationSerializer
    filterset_class = selectors.RecommendationFilter


class TopicSerializer(serializers.ModelSerializer):
    unit_name = serializers.CharField(source="unit.name", read_only=True)
    opinion_count = serializers.IntegerField(read_only=True)
    research_count = serializers.IntegerField(read_only=True)
    stage = serializers.SerializerMethodField()
    result = serializers.SerializerMethodField()

    class Meta:
        model = SupervisionTopic
        fields = [
            "id",
            "year",
            "title",
            "unit",
            "unit_name",
            "opinion_count",
            "research_count",
            "stage",
            "result",
            "rectification_deadline",
            "rectified_on",
            "published_on",
        ]

    def get_stage(self, topic) -> str:
        return selectors.topic_stage(topic)

    def get_result(self, topic) -> str:
        rating = selectors.topic_rating(topic)
        return rating.result if rating is not None else ""


class TopicViewSet(ScopedReadOnlyViewSet):
    """闭环监督议题:来源意见数、调研、测评结果、整改和公开。承办单位只看到本单位被监督的议题。"""

    scope_resource = "supervision_topic"
    queryset = SupervisionTopic.objects.none()
    selector = staticmethod(selectors.topic_list)
    serializer_class = TopicSerializer
    filterset_class = selectors.TopicFilter


class MatterSerializer(serializers.ModelSerializer):
    steps_done = serializers.IntegerField(read_only=True)
    step_due = serializers.SerializerMethodField()

    class Meta:
        model = MajorMatter
        fields = ["id", "title", "description", "steps_done", "step_due", "created_at"]

    def get_step_due(self, matter) -> str:
        return selectors.step_due(matter.steps_done) or ""


class MatterViewSet(ScopedReadOnlyViewSet):
    """重大事项:事前请示、事中汇报、事后总结三个环节的报告进度。"""

    scope_resource = "major_matter"
    queryset = MajorMatter.objects.none()
    selector = staticmethod(selectors.matter_list)
    serializer_class = MatterSerializer
    filterset_class = selectors.MatterFilter


class MeetingSerializer(serializers.ModelSerializer):
    invited_count = serializers.IntegerField(read_only=True)
    attended_count = serializers.IntegerField(read_only=True)
    observer_count = serializers.IntegerField(read_only=True)

    class Meta:
        model = CommitteeMeeting
        fields = [
            "id",
            "term",
            "number",
            "date",
            "place",
            "agenda",
            "attendee_quota",
            "invited_count",
            "attended_count",
            "observer_count",
        ]


class MeetingViewSet(ScopedReadOnlyViewSet):
    """常委会会议:议程,邀请列席和实际列席的代表数,同意旁听的公民数。"""

    scope_resource = "committee_meeting"
    queryset = CommitteeMeeting.objects.none()
    selector = staticmethod(selectors.meeting_list)
    serializer_class = MeetingSerializer
    filterset_class = selectors.MeetingFilter


class ReviewOpinionSerializer(serializers.ModelSerializer):
    unit_name = serializers.CharField(source="unit.name", read_only=True)
    meeting_name = serializers.CharField(source="meeting.__str__", read_only=True)
    stage = serializers.SerializerMethodField()
    vote = serializers.SerializerMethodField()

    class Meta:
        model = ReviewOpinion
        fields = [
            "id",
            "kind",
            "inspection",
            "report_title",
            "meeting",
            "meeting_name",
            "unit",
            "unit_name",
            "document_number",
            "content",
            "sent_on",
            "deadline",
            "handling_report",
            "reported_on",
            "hearing_meeting",
            "result",
            "published_on",
            "stage",
            "vote",
        ]

    def get_stage(self, opinion) -> str:
        return selectors.review_opinion_stage(opinion)

    def get_vote(self, opinion) -> dict | None:
        """The anonymous vote's totals only."""
        vote = opinion.vote
        if vote is None or vote.counted_at is None:
            return None
        return {
            "present": vote.present_count,
            "voters": opinion.vote_voters,
            "satisfied": opinion.vote_satisfied,
            "basic": opinion.vote_basic,
            "unsatisfied": opinion.vote_unsatisfied,
        }


class ReviewOpinionViewSet(ScopedReadOnlyViewSet):
    """常委会审议意见及研究处理情况报告:交办单位、报告期限、办理状态(含逾期)、审议测评的计票总数。承办单位只看到交本单位研究处理的审议意见。"""

    scope_resource = "review_opinion"
    queryset = ReviewOpinion.objects.none()
    selector = staticmethod(selectors.review_opinion_list_with_totals)
    serializer_class = ReviewOpinionSerializer
    filterset_class = selectors.ReviewOpinionFilter


class WorkPlanSerializer(serializers.ModelSerializer):
    item_count = serializers.IntegerField(read_only=True)

    class Meta:
        model = WorkPlan
        fields = ["id", "year", "kind", "title", "document_number", "adopted_on", "item_count"]


class WorkPlanViewSet(ScopedReadOnlyViewSet):
    """年度计划:监督工作计划和代表工作要点,年度、文号、通过日期、事项数。"""

    scope_resource = "work_plan"
    queryset = WorkPlan.objects.none()
    selector = staticmethod(selectors.work_plan_list)
    serializer_class = WorkPlanSerializer
    filterset_class = selectors.WorkPlanFilter


class PlanItemSerializer(serializers.ModelSerializer):
    state = serializers.SerializerMethodField()
    overdue = serializers.SerializerMethodField()
    links = serializers.SerializerMethodField()

    class Meta:
        model = PlanItem
        fields = [
            "id",
            "plan",
            "ordinal",
            "kind",
            "title",
            "responsible",
            "planned_month",
            "planned_quarter",
            "state",
            "overdue",
            "links",
        ]

    def _described(self, item) -> PlanItem:
        if not hasattr(item, "state"):
            selectors.plan_item_describe(item, timezone.localdate())
        return item

    def get_state(self, item) -> str:
        return self._described(item).state

    def get_overdue(self, item) -> bool:
        return self._described(item).overdue

    def get_links(self, item) -> list[dict]:
        return [
            {"kind": relation, "id": record.pk, "name": str(record), "done": done}
            for relation, record, done in self._described(item).links
        ]


class PlanItemViewSet(ScopedReadOnlyViewSet):
    """年度计划事项:类别、责任委室、计划时间,关联的落实记录及状态(已完成、进行中、未开始,逾期)。"""

    scope_resource = "work_plan"
    queryset = PlanItem.objects.none()
    selector = staticmethod(selectors.plan_item_list)
    serializer_class = PlanItemSerializer
    filterset_class = selectors.PlanItemFilter


class SiteInspectionSerializer(serializers.ModelSerializer):
    deputy_count = serializers.IntegerField(read_only=True)

    class Meta:
        model = SiteInspection
        fields = [
            "id",
            "subject",
            "start_date",
            "end_date",
            "places",
            "findings",
            "report",
            "reported_on",
            "recommendations",
            "recommendation_bodies",
            "recommendation_deadline",
            "deputy_count",
        ]


class SiteInspectionViewSet(ScopedReadOnlyViewSet):
    """专题视察:主题、时间、地点、发现的问题、视察报告和意见建议。代表只看到本人参加的视察。"""

    scope_resource = "site_inspection"
    queryset = SiteInspection.objects.none()
    selector = staticmethod(selectors.site_inspection_list)
    serializer_class = SiteInspectionSerializer
    filterset_class = selectors.SiteInspectionFilter


class InquirySerializer(serializers.ModelSerializer):
    question_count = serializers.IntegerField(read_only=True)
    promise_count = serializers.IntegerField(read_only=True)
    overdue_count = serializers.IntegerField(read_only=True)

    class Meta:
        model = Inquiry
        fields = [
            "id",
            "subject",
            "date",
            "meeting",
            "summary",
            "publication",
            "published_on",
            "question_count",
            "promise_count",
            "overdue_count",
        ]


class InquiryViewSet(ScopedReadOnlyViewSet):
    """专题询问:主题、日期、会议,问题数、整改承诺数和逾期未落实数。承办单位只看到本单位应询的询问。"""

    scope_resource = "inquiry"
    queryset = Inquiry.objects.none()
    selector = staticmethod(selectors.inquiry_list)
    serializer_class = InquirySerializer
    filterset_class = selectors.InquiryFilter


class InquiryQuestionSerializer(serializers.ModelSerializer):
    unit_name = serializers.CharField(source="unit.name", read_only=True, default="")

    class Meta:
        model = InquiryQuestion
        fields = [
            "id",
            "inquiry",
            "ordinal",
            "asker_kind",
            "asker_name",
            "asker_deputy",
            "question",
            "unit",
            "unit_name",
            "respondent_name",
            "respondent_title",
            "answer",
            "promise",
            "promise_deadline",
            "promise_status",
            "promise_result",
        ]


class InquiryQuestionViewSet(ScopedReadOnlyViewSet):
    """专题询问的问题、应询人、答复要点和整改承诺及落实情况(可筛选逾期未落实)。承办单位只看到本单位应询的问题。"""

    scope_resource = "inquiry_question"
    queryset = InquiryQuestion.objects.none()
    selector = staticmethod(selectors.inquiry_question_list)
    serializer_class = InquiryQuestionSerializer
    filterset_class = selectors.InquiryQuestionFilter
