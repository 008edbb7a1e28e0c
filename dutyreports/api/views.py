from rest_framework import serializers

from core.api.views import ScopedReadOnlyViewSet
from dutyreports import selectors
from dutyreports.models import BatchMember, DutyReport, ExcellentCandidate, Rectification


class DutyReportSerializer(serializers.ModelSerializer):
    deputy_name = serializers.CharField(source="deputy.name", read_only=True)
    year = serializers.IntegerField(source="campaign.year", read_only=True)
    # The organiser: null for the county office, else the township whose 主席团 ran it.
    township = serializers.IntegerField(
        source="campaign.township_id", read_only=True, allow_null=True
    )
    forms_filed = serializers.ListField(child=serializers.CharField(), read_only=True)

    class Meta:
        model = DutyReport
        fields = [
            "id",
            "year",
            "township",
            "deputy",
            "deputy_name",
            "onsite_date",
            "onsite_place",
            "voters_present",
            "written_text",
            "live_link",
            "live_viewers",
            "forms_filed",
            "filed_at",
            "voter_score",
            "voter_votes",
            "peer_score",
            "peer_votes",
            "organisation_score",
            "organisation_votes",
            "total_score",
            "grade",
            "report_published_at",
            "result_published_at",
        ]


class DutyReportViewSet(ScopedReadOnlyViewSet):
    """代表述职:现场、书面、直播三种方式的述职情况。代表只看到本人的述职。"""

    scope_resource = "duty_report"
    queryset = DutyReport.objects.none()
    selector = staticmethod(selectors.report_list)
    serializer_class = DutyReportSerializer
    filterset_fields = ["deputy", "campaign__year", "grade"]


class RectificationSerializer(serializers.ModelSerializer):
    deputy = serializers.IntegerField(source="report.deputy_id", read_only=True)
    deputy_name = serializers.CharField(source="report.deputy.name", read_only=True)
    year = serializers.IntegerField(source="report.campaign.year", read_only=True)

    class Meta:
        model = Rectification
        fields = [
            "id",
            "year",
            "deputy",
            "deputy_name",
            "problem",
            "measure",
            "deadline",
            "status",
            "evidence",
            "done_on",
            "published_at",
        ]


class RectificationViewSet(ScopedReadOnlyViewSet):
    """问题整改:述职评议中发现的问题、整改措施、期限与成效。代表只看到本人的整改事项。"""

    scope_resource = "duty_report"
    queryset = Rectification.objects.none()
    selector = staticmethod(selectors.rectification_list)
    serializer_class = RectificationSerializer
    filterset_fields = {
        "report__campaign__year": ["exact"],
        "report__deputy": ["exact"],
        "status": ["exact"],
        "deadline": ["gte", "lte"],
        "published_at": ["isnull"],
    }


class ExcellentCandidateSerializer(serializers.ModelSerializer):
    deputy_name = serializers.CharField(source="deputy.name", read_only=True)
    year = serializers.IntegerField(source="campaign.year", read_only=True)

    class Meta:
        model = ExcellentCandidate
        fields = [
            "id",
            "year",
            "deputy",
            "deputy_name",
            "duty_points",
            "total_score",
            "grade",
            "decision",
            "decided_at",
            "published_at",
        ]


class ExcellentCandidateViewSet(ScopedReadOnlyViewSet):
    """优秀人大代表评选:候选人、履职积分、评议得分与评定结果。代表只看到已公布的名单。"""

    scope_resource = "excellent_candidate"
    queryset = ExcellentCandidate.objects.none()
    selector = staticmethod(selectors.excellent_candidate_list)
    serializer_class = ExcellentCandidateSerializer
    filterset_fields = ["campaign__year", "decision", "deputy"]


class BatchMemberSerializer(serializers.ModelSerializer):
    year = serializers.IntegerField(source="campaign.year", read_only=True)
    township = serializers.IntegerField(
        source="campaign.township_id", read_only=True, allow_null=True
    )
    deputy_name = serializers.CharField(source="deputy.name", read_only=True)

    class Meta:
        model = BatchMember
        fields = ["id", "campaign", "year", "township", "deputy", "deputy_name", "source"]


class BatchMemberViewSet(ScopedReadOnlyViewSet):
    """述职名单:各年度述职活动确定的述职代表(按规则选定、手动增加、手动移出)。代表只看到本人。"""

    scope_resource = "duty_report"
    queryset = BatchMember.objects.none()
    selector = staticmethod(selectors.batch_member_list)
    serializer_class = BatchMemberSerializer
    filterset_fields = ["campaign", "campaign__year", "campaign__township", "deputy", "source"]
