"""Reads of the 人代会, scoped to the user: county staff read the county congress's sessions,
township staff their township congress's, a deputy the sessions they were convened to, their own
attendance and the motions they signed."""

from typing import TYPE_CHECKING

import django_filters
from django.db.models import Count, Q, QuerySet
from django.utils.translation import gettext_lazy as _

from accounts.access import can, get_for_change, get_for_user, scoped
from accounts.models import Role
from core.filters import PortalFilterSet
from deputies.archive_sections import ArchiveSection
from directory.models import Deputy, Region

from .models import Attendance, Congress, Delegate, Motion, Session, Sitting
from .rules import Tally

if TYPE_CHECKING:
    from accounts.models import User

_STATUS = Attendance.Status


def _tally_annotations(prefix: str = "attendances__") -> dict:
    return {
        f"n_{status}": Count(prefix + "pk", filter=Q(**{prefix + "status": status}))
        for status in _STATUS.values
    }


# Sessions -------------------------------------------------------------------------------------


def session_list(*, user: "User") -> QuerySet[Session]:
    return (
        scoped(Session.objects.select_related("congress"), user, "plenary_session")
        .annotate(
            delegate_count=Count("delegates", distinct=True),
            sitting_count=Count("sittings", distinct=True),
            motion_count=Count("motions", distinct=True),
        )
        .order_by("-opens_on", "-pk")
    )


class SessionFilter(PortalFilterSet):
    congress_level = django_filters.ChoiceFilter(label=_("人大层级"), choices=Congress.choices)
    year = django_filters.NumberFilter(label=_("年度"), field_name="opens_on__year")

    class Meta:
        model = Session
        fields = ["congress_level", "year", "congress", "term"]


def session_get(*, user: "User", pk: int) -> Session:
    return get_for_user(
        Session.objects.select_related("congress", "county"), user, "plenary_session", pk=pk
    )


def session_get_for_change(*, user: "User", pk: int) -> Session:
    """A session staff act on: 404 outside the scope, 403 for who reads but may not keep it."""
    return get_for_change(
        Session.objects.select_related("congress", "county"),
        user,
        "plenary_session",
        "plenary.manage",
        pk=pk,
    )


def session_congresses(*, user: "User") -> QuerySet[Region]:
    """The congresses whose sessions the user enters: county staff their county's, township
    staff their township's; the administrator any county's or township's."""
    regions = Region.objects.filter(level__in=(Region.Level.COUNTY, Region.Level.TOWNSHIP))
    scope = user.scope
    if scope.unrestricted:
        return regions.order_by("code")
    if scope.role == Role.COMMITTEE_STAFF and scope.county is not None:
        return regions.filter(pk=scope.county)
    if scope.role == Role.TOWNSHIP_STAFF and scope.township is not None:
        return regions.filter(pk=scope.township)
    return regions.none()


def session_sittings(*, session: Session) -> list[Sitting]:
    """The sittings with their tallies (one query)."""
    convened = session.delegates.count()
    sittings = list(session.sittings.annotate(**_tally_annotations()).order_by("date", "kind"))
    for sitting in sittings:
        sitting.tally = Tally(  # type: ignore[attr-defined]
            convened=convened,
            present=sitting.n_present,  # type: ignore[attr-defined]
            leave=sitting.n_leave,  # type: ignore[attr-defined]
            absent=sitting.n_absent,  # type: ignore[attr-defined]
        )
    return sittings


def session_delegates(*, session: Session) -> QuerySet[Delegate]:
    return session.delegates.select_related("deputy", "delegation").order_by(
        "delegation__code", "deputy__name", "pk"
    )


def delegate_tallies(*, session: Session) -> list[tuple[Delegate, Tally]]:
    """Each convened deputy with their attendance over the session's sittings (two queries)."""
    counts = {
        row["deputy_id"]: row
        for row in Attendance.objects.filter(sitting__session=session)
        .values("deputy_id")
        .annotate(**_tally_annotations(prefix=""))
    }
    sittings = session.sittings.count()
    result = []
    for delegate in session_delegates(session=session):
        row = counts.get(delegate.deputy_id, {})
        result.append(
            (
                delegate,
                Tally(
                    convened=sittings,
                    present=row.get("n_present", 0),
                    leave=row.get("n_leave", 0),
                    absent=row.get("n_absent", 0),
                ),
            )
        )
    return result


def is_delegate(*, session: Session, deputy_id: int | None) -> bool:
    return deputy_id is not None and session.delegates.filter(deputy_id=deputy_id).exists()


def own_attendance(*, session: Session, deputy_id: int) -> QuerySet[Attendance]:
    return Attendance.objects.filter(sitting__session=session, deputy_id=deputy_id).select_related(
        "sitting"
    )


# Sittings and attendance ---------------------------------------------------------------------


def sitting_get_for_change(*, user: "User", pk: int) -> Sitting:
    return get_for_change(
        Sitting.objects.select_related("session__congress", "session__county"),
        user,
        "plenary_session",
        "plenary.manage",
        pk=pk,
    )


def sitting_roll(*, sitting: Sitting) -> list[tuple[Delegate, Attendance | None]]:
    """The roll call of a sitting: every convened deputy with their attendance (two queries)."""
    recorded = {a.deputy_id: a for a in sitting.attendances.all()}
    return [
        (delegate, recorded.get(delegate.deputy_id))
        for delegate in session_delegates(session=sitting.session)
    ]


def attendance_list(*, user: "User") -> QuerySet[Attendance]:
    return scoped(
        Attendance.objects.select_related("sitting__session", "deputy"),
        user,
        "plenary_attendance",
    ).order_by("sitting__date", "sitting_id", "deputy__name", "pk")


class AttendanceFilter(PortalFilterSet):
    status = django_filters.ChoiceFilter(label=_("出席情况"), choices=_STATUS.choices)
    session = django_filters.NumberFilter(label=_("会议"), field_name="sitting__session")

    class Meta:
        model = Attendance
        fields = ["session", "sitting", "status", "deputy"]


def delegates_by_name(*, session: Session) -> dict[str, list[Deputy]]:
    """The convened deputies by name (a sign-in sheet names them so), with the ID number's masked
    form to tell namesakes apart."""
    found: dict[str, list[Deputy]] = {}
    for delegate in session.delegates.select_related("deputy"):
        found.setdefault(delegate.deputy.name, []).append(delegate.deputy)
    return found


# Motions --------------------------------------------------------------------------------------


def motion_list(*, user: "User") -> QuerySet[Motion]:
    return (
        scoped(
            Motion.objects.select_related("session__congress", "lead_deputy", "delegation"),
            user,
            "motion",
        )
        .annotate(signer_count=Count("signers", distinct=True))
        .order_by("-session__opens_on", "session_id", "number")
    )


class MotionFilter(PortalFilterSet):
    decision = django_filters.ChoiceFilter(label=_("主席团决定"), choices=Motion.Decision.choices)
    kind = django_filters.ChoiceFilter(label=_("提出方式"), choices=Motion.Kind.choices)
    q = django_filters.CharFilter(label=_("案由"), field_name="title", lookup_expr="icontains")

    class Meta:
        model = Motion
        fields = ["session", "decision", "kind", "q"]


def motion_get(*, user: "User", pk: int) -> Motion:
    return get_for_user(
        Motion.objects.select_related(
            "session__congress", "session__county", "lead_deputy", "delegation", "decided_by"
        ),
        user,
        "motion",
        pk=pk,
    )


def motion_get_for_change(*, user: "User", pk: int) -> Motion:
    return get_for_change(
        Motion.objects.select_related("session__congress", "session__county", "lead_deputy"),
        user,
        "motion",
        "plenary.manage",
        pk=pk,
    )


def motion_signers(*, motion: Motion) -> QuerySet[Deputy]:
    return motion.signers.select_related("station__township").order_by("name", "pk")


def session_motions(*, session: Session) -> QuerySet[Motion]:
    return (
        session.motions.select_related("lead_deputy", "delegation")
        .annotate(signer_count=Count("signers", distinct=True))
        .order_by("number")
    )


def session_delegations(*, session: Session) -> QuerySet[Region]:
    """The delegations (代表团) of a session: the townships its deputies sit with."""
    return Region.objects.filter(
        pk__in=session.delegates.exclude(delegation=None).values("delegation_id")
    ).order_by("code")


def may_manage(*, user: "User", session: Session) -> bool:
    return can(user, "plenary.manage", session)


# The deputy's archive ------------------------------------------------------------------------


def archive_attendance(deputy: Deputy, year: int) -> ArchiveSection | None:
    """The first line of the 履职档案: the sessions of the year the deputy was convened to, each
    with the sittings attended, on leave and absent without leave (two queries)."""
    sessions = list(
        Session.objects.filter(opens_on__year=year, delegates__deputy=deputy)
        .select_related("congress")
        .annotate(sitting_count=Count("sittings", distinct=True))
        .order_by("opens_on", "pk")
    )
    if not sessions:
        return None
    counts: dict[int, dict[str, int]] = {}
    for row in (
        Attendance.objects.filter(deputy=deputy, sitting__session__in=sessions)
        .values("sitting__session_id", "status")
        .annotate(n=Count("pk"))
    ):
        counts.setdefault(row["sitting__session_id"], {})[row["status"]] = row["n"]
    lines = []
    for session in sessions:
        found = counts.get(session.pk, {})
        tally = Tally(
            convened=session.sitting_count,
            present=found.get(_STATUS.PRESENT, 0),
            leave=found.get(_STATUS.LEAVE, 0),
            absent=found.get(_STATUS.ABSENT, 0),
        )
        lines.append({"session": session, "tally": tally})
    return ArchiveSection("plenary/_archive_attendance.html", {"lines": lines})


def session_deputies(*, session: Session) -> QuerySet[Deputy]:
    """The deputies convened to the session (a motion's lead and signers are chosen among them)."""
    return Deputy.objects.filter(pk__in=session.delegates.values("deputy_id"))
