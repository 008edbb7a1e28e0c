"""Records of the 人代会 for the permission matrix: a past session of county A's congress with a
sitting, deputy_a1 convened and present, and a motion of the 甲一 delegation led by deputy_a1."""

import datetime

from django.utils import timezone

from plenary import services
from plenary.models import Attendance, Motion, Session


def county_session(world, users, *, days_ago: int = 30, number: int = 3) -> Session:
    opens = timezone.localdate() - datetime.timedelta(days=days_ago)
    return services.session_create(
        user=users["staff"],
        congress=world.county_a,
        term=18,
        number=number,
        opens_on=opens,
        closes_on=opens + datetime.timedelta(days=2),
        venue="县会议中心",
    )


def plenary_objects(world, users) -> dict:
    session = county_session(world, users)
    sitting = services.sitting_add(
        user=users["staff"], session=session, date=session.opens_on, kind="plenary"
    )
    services.attendance_record(
        user=users["staff"],
        sitting=sitting,
        entries=[services.Entry(deputy_id=world.deputy_a1.pk, status="present")],
        source=Attendance.Source.PHONE,
    )
    motion = services.motion_create(
        user=users["staff"],
        session=session,
        title="关于加快农村公路提档升级的议案",
        content="案据……方案……",
        kind=Motion.Kind.DELEGATION,
        lead_deputy=world.deputy_a1,
        delegation=world.a1,
        submitted_on=session.opens_on,
    )
    attendance = Attendance.objects.get(sitting=sitting, deputy=world.deputy_a1)
    return {
        "plenary:detail": session,
        "plenary:delegates_refresh": session,
        "plenary:sitting_new": session,
        "plenary:motion_new": session,
        "plenary:roll_call": sitting,
        "plenary:sign_in": sitting,
        "plenary:sign_in_confirm": sitting,
        "plenary:motion": motion,
        "plenary:motion_decide": motion,
        "suggestions:from_motion": motion,
        "plenary-session-detail": session,
        "plenary-attendance-detail": attendance,
        "motion-detail": motion,
    }
