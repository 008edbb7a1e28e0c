from rest_framework import serializers

from core.api.views import ScopedReadOnlyViewSet
from plenary import selectors
from plenary.models import Attendance, Motion, Session


class SessionSerializer(serializers.ModelSerializer):
    title = serializers.CharField(read_only=True)
    delegate_count = serializers.IntegerField(read_only=True)
    sitting_count = serializers.IntegerField(read_only=True)
    motion_count = serializers.IntegerField(read_only=True)

    class Meta:
        model = Session
        fields = [
            "id",
            "title",
            "county",
            "congress_level",
            "congress",
            "term",
            "number",
            "opens_on",
            "closes_on",
            "venue",
            "delegate_count",
            "sitting_count",
            "motion_count",
        ]


class SessionViewSet(ScopedReadOnlyViewSet):
    """人代会会议:县级会议本县工作人员可见,乡镇会议该乡镇工作人员可见,代表看到本人应出席的会议。"""

    scope_resource = "plenary_session"
    queryset = Session.objects.none()
    selector = staticmethod(selectors.session_list)
    serializer_class = SessionSerializer
    filterset_class = selectors.SessionFilter


class AttendanceSerializer(serializers.ModelSerializer):
    session = serializers.IntegerField(source="sitting.session_id", read_only=True)
    date = serializers.DateField(source="sitting.date", read_only=True)
    kind = serializers.CharField(source="sitting.kind", read_only=True)
    deputy_name = serializers.CharField(source="deputy.name", read_only=True)

    class Meta:
        model = Attendance
        fields = [
            "id",
            "session",
            "sitting",
            "date",
            "kind",
            "deputy",
            "deputy_name",
            "status",
            "leave_reason",
            "leave_approved_by",
            "leave_approved_on",
            "source",
            "recorded_at",
        ]


class AttendanceViewSet(ScopedReadOnlyViewSet):
    """人代会出席情况:每位应出席代表每一场次的出席、请假(批准人、批准日期)或缺席;代表看到本人的。"""

    scope_resource = "plenary_attendance"
    queryset = Attendance.objects.none()
    selector = staticmethod(selectors.attendance_list)
    serializer_class = AttendanceSerializer
    filterset_class = selectors.AttendanceFilter


class MotionSerializer(serializers.ModelSerializer):
    lead_deputy_name = serializers.CharField(source="lead_deputy.name", read_only=True)
    signer_count = serializers.IntegerField(read_only=True)

    class Meta:
        model = Motion
        fields = [
            "id",
            "session",
            "number",
            "title",
            "content",
            "kind",
            "lead_deputy",
            "lead_deputy_name",
            "delegation",
            "signer_count",
            "submitted_on",
            "decision",
            "decision_reason",
            "decided_on",
        ]


class MotionViewSet(ScopedReadOnlyViewSet):
    """议案:提出方式、领衔和联名代表人数、主席团决定;代表看到本人领衔或联名的。"""

    scope_resource = "motion"
    queryset = Motion.objects.none()
    selector = staticmethod(selectors.motion_list)
    serializer_class = MotionSerializer
    filterset_class = selectors.MotionFilter
