"""Demo 人代会 for the county: the county congress's session of the suggestions' session year (the
one the demo suggestions were made at, January 12 to 15) with its sittings, the county deputies'
attendance — a few on approved leave, one absent without leave from a sitting —, eight motions
(some put on the agenda, some treated as suggestions, one declined), the suggestions made during
the session linked to it; and the session of the demo township's congress. Written through
plenary.services and suggestions.services, so attendance and suggestions become duty records as
on the pages."""

import datetime
import random

from django.utils import timezone

from accounts.models import Role, User
from demo.suggestions import session_year
from directory.models import Level, Mandate, Region
from plenary import services
from plenary.models import Attendance, Motion, Session
from stations.models import OpinionCategory
from suggestions.models import Suggestion, SuggestionEvent
from suggestions.services import suggestion_from_motion

# The county's 18th congress: its first session at the election (December 2021), one a year since.
FIRST_SESSION_YEAR = 2021

MOTIONS = [
    # (title, category when treated as a suggestion, decision, by a delegation)
    ("关于制定《苍溪县红军渡文化遗存保护条例》的议案", "", Motion.Decision.AGENDA, False),
    ("关于加快推进农村供水一体化建设的议案", OpinionCategory.WATER, "suggestion", False),
    ("关于建立县域医共体药品统一配送机制的议案", "", Motion.Decision.AGENDA, True),
    (
        "关于加大猕猴桃产业冷链物流设施投入的议案",
        OpinionCategory.AGRICULTURE,
        "suggestion",
        True,
    ),
    ("关于提高农村道路养护标准的议案", OpinionCategory.ROADS, "suggestion", False),
    ("关于开展嘉陵江流域生态环境保护监督的议案", "", Motion.Decision.AGENDA, False),
    ("关于增设县城公办幼儿园学位的议案", OpinionCategory.EDUCATION, "suggestion", False),
    (
        "关于撤并部分村级活动场所的议案",
        "",
        Motion.Decision.REJECTED,
        False,
    ),
]
CONTENT = (
    "案据:群众反映集中,代表在家站接待和走访中多次听到。\n"
    "方案:建议县人民政府制定实施方案,明确责任单位和完成时限,纳入年度重点工作,"
    "县人大常委会适时听取专项工作报告。"
)
REJECT_REASON = (
    "属于县人民政府职权范围内的具体事项,且已列入年度工作计划,不列入大会议程,由有关部门研究办理。"
)


def _opening(today: datetime.date) -> datetime.date:
    return datetime.date(session_year(today), 1, 12)


def _county_session(county: Region, staff: User, today: datetime.date, rng: random.Random):
    opens = _opening(today)
    session = services.session_create(
        user=staff,
        congress=county,
        term=18,
        number=opens.year - FIRST_SESSION_YEAR + 1,
        opens_on=opens,
        closes_on=opens + datetime.timedelta(days=3),
        venue="县会议中心",
        note="听取和审议县人民政府工作报告等报告,选举补选县人大常委会组成人员。",
    )
    sittings = [
        services.sitting_add(
            user=staff, session=session, date=opens, kind="plenary", title="开幕大会"
        ),
        services.sitting_add(
            user=staff,
            session=session,
            date=opens + datetime.timedelta(days=1),
            kind="group",
            title="分组审议政府工作报告",
        ),
        services.sitting_add(
            user=staff,
            session=session,
            date=opens + datetime.timedelta(days=2),
            kind="group",
            title="分组审议计划和预算报告",
        ),
        services.sitting_add(
            user=staff,
            session=session,
            date=opens + datetime.timedelta(days=3),
            kind="plenary",
            title="闭幕大会",
        ),
    ]
    delegates = list(session.delegates.order_by("deputy_id").values_list("deputy_id", flat=True))
    on_leave = set(rng.sample(delegates, 3))
    absent = rng.choice([d for d in delegates if d not in on_leave])
    for index, sitting in enumerate(sittings):
        entries = []
        for deputy_id in delegates:
            if deputy_id in on_leave:
                entries.append(
                    services.Entry(
                        deputy_id=deputy_id,
                        status=Attendance.Status.LEAVE,
                        leave_reason=rng.choice(["因病住院", "因公出差", "家中有事"]),
                        leave_approved_by="大会秘书处",
                        leave_approved_on=opens - datetime.timedelta(days=1),
                    )
                )
            elif deputy_id == absent and index == 2:
                entries.append(services.Entry(deputy_id=deputy_id, status="absent"))
            else:
                entries.append(services.Entry(deputy_id=deputy_id, status="present"))
        services.attendance_record(
            user=staff,
            sitting=sitting,
            entries=entries,
            source=Attendance.Source.SIGN_IN if index else Attendance.Source.PHONE,
        )
    return session, on_leave


def _motions(session: Session, staff: User, on_leave: set[int], rng: random.Random) -> None:
    """Joint motions of ten deputies present (the lead's delegation first), and motions of a
    delegation led by one of its deputies (its head)."""
    present = list(
        session.delegates.exclude(deputy_id__in=on_leave)
        .select_related("deputy", "delegation")
        .order_by("deputy_id")
    )
    for title, category, decision, by_delegation in MOTIONS:
        lead = rng.choice(present)
        if by_delegation:
            signers = []
        else:
            same = [d for d in present if d.delegation_id == lead.delegation_id and d != lead]
            others = [d for d in present if d.delegation_id != lead.delegation_id]
            picked = rng.sample(same, min(len(same), 5))
            signers = picked + rng.sample(others, 9 - len(picked))
        motion = services.motion_create(
            user=staff,
            session=session,
            title=title,
            content=CONTENT,
            kind=Motion.Kind.DELEGATION if by_delegation else Motion.Kind.JOINT,
            lead_deputy=lead.deputy,
            signers=[d.deputy for d in signers],
            delegation=lead.delegation if by_delegation else None,
            submitted_on=session.opens_on + datetime.timedelta(days=1),
        )
        decided_on = session.opens_on + datetime.timedelta(days=2)
        if decision == "suggestion":
            suggestion = suggestion_from_motion(
                user=staff,
                motion=motion,
                category=category,
                decided_on=decided_on,
                reason="主席团决定不列入本次会议议程,作为代表建议交有关单位办理。",
            )
            _dated(suggestion, decided_on)
        else:
            services.motion_decide(
                user=staff,
                motion=motion,
                decision=decision,
                decided_on=decided_on,
                reason=REJECT_REASON if decision == Motion.Decision.REJECTED else "",
            )


def _dated(suggestion: Suggestion, day: datetime.date) -> None:
    """The suggestion made from a motion, drafted and submitted on the day of the decision."""
    submitted = timezone.make_aware(datetime.datetime.combine(day, datetime.time(16)))
    drafted = submitted - datetime.timedelta(minutes=10)
    draft_event, submit_event = suggestion.events.order_by("pk")
    SuggestionEvent.objects.filter(pk=draft_event.pk).update(at=drafted)
    SuggestionEvent.objects.filter(pk=submit_event.pk).update(at=submitted)
    Suggestion.objects.filter(pk=suggestion.pk).update(created_at=drafted, submitted_at=submitted)


def _link_suggestions(session: Session) -> None:
    """The demo's suggestions of the congress made during the session belong to it."""
    Suggestion.objects.filter(
        congress=session.congress,
        congress_level=session.congress_level,
        session__isnull=True,
        submitted_at__date__gte=session.opens_on,
        submitted_at__date__lte=session.closes_on,
    ).update(session=session)


def _township_session(township_user: User, today: datetime.date, rng: random.Random) -> None:
    township = township_user.township
    mandate = (
        Mandate.objects.filter(level=Level.TOWNSHIP, deputy__station__township=township)
        .order_by("pk")
        .first()
    )
    if township is None or mandate is None:
        return
    opens = _opening(today) - datetime.timedelta(days=6)
    session = services.session_create(
        user=township_user,
        congress=township,
        term=mandate.term,
        number=opens.year - FIRST_SESSION_YEAR,
        opens_on=opens,
        closes_on=opens,
        venue=f"{township.name}人民政府会议室",
    )
    sittings = [
        services.sitting_add(user=township_user, session=session, date=opens, kind=kind)
        for kind in ("plenary", "group")
    ]
    delegates = list(session.delegates.order_by("deputy_id").values_list("deputy_id", flat=True))
    away = rng.choice(delegates)
    for sitting in sittings:
        services.attendance_record(
            user=township_user,
            sitting=sitting,
            entries=[
                services.Entry(
                    deputy_id=deputy_id,
                    status="leave" if deputy_id == away else "present",
                    leave_reason="外出务工",
                    leave_approved_by="乡镇人大主席团",
                    leave_approved_on=opens - datetime.timedelta(days=2),
                )
                for deputy_id in delegates
            ],
            source=Attendance.Source.PHONE,
        )
    signers = [d for d in delegates if d != away][:5]
    if len(signers) == 5:
        motion = services.motion_create(
            user=township_user,
            session=session,
            title="关于实施场镇污水管网改造的议案",
            content=CONTENT,
            kind=Motion.Kind.JOINT,
            lead_deputy=session.delegates.get(deputy_id=signers[0]).deputy,
            signers=[session.delegates.get(deputy_id=pk).deputy for pk in signers[1:]],
            submitted_on=opens,
        )
        services.motion_decide(
            user=township_user, motion=motion, decision=Motion.Decision.AGENDA, decided_on=opens
        )
    _link_suggestions(session)


def build_plenary(county: Region, *, seed: int = 0, today: datetime.date | None = None) -> bool:
    if Session.objects.filter(county=county).exists():
        return False
    staff = User.objects.filter(role=Role.COMMITTEE_STAFF, county=county).order_by("pk").first()
    if staff is None:
        return False
    today = today or timezone.localdate()
    rng = random.Random(f"plenary-{county.code}-{seed}")
    session, on_leave = _county_session(county, staff, today, rng)
    _link_suggestions(session)
    _motions(session, staff, on_leave, rng)
    township_user = (
        User.objects.filter(role=Role.TOWNSHIP_STAFF, township__county=county)
        .select_related("township")
        .order_by("pk")
        .first()
    )
    if township_user is not None:
        _township_session(township_user, today, rng)
    return True
