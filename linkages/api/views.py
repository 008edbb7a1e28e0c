import django_filters
from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from core.api.views import ScopedReadOnlyViewSet
from core.filters import PortalFilterSet
from linkages import selectors
from linkages.models import GroupActivity, GroupTask, KeyProject, MemberLink, Voter


class MemberLinkSerializer(serializers.ModelSerializer):
    member_name = serializers.CharField(source="member.get_full_name", read_only=True)
    deputy_name = serializers.CharField(source="deputy.name", read_only=True)
    contacts_this_year = serializers.IntegerField(read_only=True)
    last_contact = serializers.DateField(read_only=True, allow_null=True)

    class Meta:
        model = MemberLink
        fields = [
            "id",
            "member",
            "member_name",
            "deputy",
            "deputy_name",
            "started_on",
            "ended_on",
            "contacts_this_year",
            "last_contact",
        ]


class MemberLinkFilter(PortalFilterSet):
    active = django_filters.BooleanFilter(
        label=_("在结对"), field_name="ended_on", lookup_expr="isnull"
    )

    class Meta:
        model = MemberLink
        fields = ["member", "deputy", "active"]


class MemberLinkViewSet(ScopedReadOnlyViewSet):
    """结对联系代表(三联):组成人员与代表的结对,及今年的联系次数。代表只看到本人的结对。"""

    scope_resource = "member_link"
    queryset = MemberLink.objects.none()
    selector = staticmethod(selectors.member_link_list)
    serializer_class = MemberLinkSerializer
    filterset_class = MemberLinkFilter


class VoterSerializer(serializers.ModelSerializer):
    contact_count = serializers.IntegerField(read_only=True)
    last_contact = serializers.DateField(read_only=True, allow_null=True)

    class Meta:
        model = Voter
        fields = [
            "id",
            "deputy",
            "name_masked",
            "phone_masked",
            "village",
            "is_active",
            "contact_count",
            "last_contact",
        ]


class VoterViewSet(ScopedReadOnlyViewSet):
    """代表联系的选民(姓名、电话脱敏)。代表只看到本人联系的选民。"""

    scope_resource = "voter"
    queryset = Voter.objects.none()
    selector = staticmethod(selectors.voter_list)
    serializer_class = VoterSerializer
    filterset_fields = ["deputy", "village", "is_active"]


class KeyProjectSerializer(serializers.ModelSerializer):
    leader_name = serializers.CharField(source="leader.get_full_name", read_only=True)
    problems_total = serializers.IntegerField(read_only=True)
    problems_solved = serializers.IntegerField(read_only=True)

    class Meta:
        model = KeyProject
        fields = [
            "id",
            "name",
            "county",
            "leader",
            "leader_name",
            "started_on",
            "status",
            "problems_total",
            "problems_solved",
        ]


class KeyProjectViewSet(ScopedReadOnlyViewSet):
    """常委会领导联系重点项目,及协调解决问题的件数。"""

    scope_resource = "key_project"
    queryset = KeyProject.objects.none()
    selector = staticmethod(selectors.project_list)
    serializer_class = KeyProjectSerializer
    filterset_fields = ["leader", "status", "county"]


class GroupTaskSerializer(serializers.ModelSerializer):
    group_name = serializers.CharField(source="group.name", read_only=True)
    activity_count = serializers.IntegerField(read_only=True)

    class Meta:
        model = GroupTask
        fields = ["id", "group", "group_name", "year", "title", "description", "activity_count"]


class GroupTaskViewSet(ScopedReadOnlyViewSet):
    """代表小组的年度专题任务。代表只看到本人所在小组的。"""

    scope_resource = "group_work"
    queryset = GroupTask.objects.none()
    selector = staticmethod(selectors.group_task_list)
    serializer_class = GroupTaskSerializer
    filterset_fields = ["group", "year"]


class GroupActivitySerializer(serializers.ModelSerializer):
    group_name = serializers.CharField(source="group.name", read_only=True)
    participants = serializers.PrimaryKeyRelatedField(many=True, read_only=True)

    class Meta:
        model = GroupActivity
        fields = [
            "id",
            "group",
            "group_name",
            "task",
            "date",
            "title",
            "place",
            "summary",
            "participants",
        ]


class GroupActivityFilter(PortalFilterSet):
    year = django_filters.NumberFilter(label=_("年度"), field_name="date", lookup_expr="year")
    date_after = django_filters.DateFilter(
        label=_("起始日期"), field_name="date", lookup_expr="gte"
    )
    date_before = django_filters.DateFilter(
        label=_("截止日期"), field_name="date", lookup_expr="lte"
    )

    class Meta:
        model = GroupActivity
        fields = ["group", "task", "year", "date_after", "date_before"]


class GroupActivityViewSet(ScopedReadOnlyViewSet):
    """代表小组活动及参加的代表。代表只看到本人所在小组的。"""

    scope_resource = "group_work"
    queryset = GroupActivity.objects.none()
    selector = staticmethod(selectors.group_activity_list)
    serializer_class = GroupActivitySerializer
    filterset_class = GroupActivityFilter
