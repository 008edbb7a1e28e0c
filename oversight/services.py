"""Oversight writes: each checks the state, raises a DomainError a user can read, and writes a
deputy's participation as a duty record in the same transaction (参加视察调研 for inspections and
research, 列席会议 for attending a meeting)."""

import datetime
import random
from collections.abc import Iterable
from decimal import ROUND_HALF_UP, Decimal

from django.db import IntegrityError, transaction
from django.db.models import Count, Max, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.access import can, county_record
from accounts.models import Role, User
from core.errors import DomainError
from deputies.models import DutyRecord, Training
from deputies.services import duty_records_sync
from directory.models import Deputy, HandlingUnit
from dutyreports.models import ReportCampaign
from stations.models import Opinion

from .models import (
    STEP_ORDER,
    Ballot,
    CitizenObserver,
    CommitteeMeeting,
    Inquiry,
    InquiryQuestion,
    Inspection,
    InspectionMethod,
    InspectionRecommendation,
    MajorMatter,
    MajorMatterReport,
    MeetingAttendance,
    MeetingMember,
    MeetingVote,
    PlanItem,
    PublicScore,
    ResearchReport,
    ReviewOpinion,
    SatisfactionRating,
    SiteInspection,
    SupervisionTopic,
    TopicResearch,
    VoteParticipation,
    WorkPlan,
)
from .rules import APPROVING, RotationCandidate, rotation_order, vote_passed
from .selectors import rotation_pool

# The rating rule (a local rule, kept in one place): the body is rated satisfactory when the
# members' 满意 and 基本满意 ballots are more than half of the members present at the meeting
# (rules.vote_passed) and the public representatives' average score, if any were given, is at
# least PASS_SCORE.
PASS_SCORE = Decimal(60)


def require_county_staff(user: "User", county_id: int) -> None:
    if not can(user, "oversight.manage", county_record(county_id)):
        raise DomainError(_("只有本县常委会工作人员可以办理此事项。"))


def _check_deputies(county_id: int, deputies: Iterable[Deputy]) -> list[Deputy]:
    deputies = list(deputies)
    if any(deputy.county_id != county_id for deputy in deputies):
        raise DomainError(_("参加的代表须是本县进驻家站的代表。"), field="deputies")
    return deputies


def _check_members(county_id: int, members: Iterable[User]) -> list[User]:
    members = list(members)
    if any(m.role != Role.COMMITTEE_MEMBER or m.county_id != county_id for m in members):
        raise DomainError(_("组成人员须是本县常委会组成人员。"), field="members")
    return members


def _check_unit(county_id: int, unit: HandlingUnit) -> None:
    if unit.county_id != county_id:
        raise DomainError(_("所选单位不属于本县。"), field="unit")


# Inspections --------------------------------------------------------------------------------


def inspection_save(
    *,
    user: "User",
    county,
    inspection: Inspection | None = None,
    deputies: Iterable[Deputy] = (),
    members: Iterable[User] = (),
    **fields,
) -> Inspection:
    """Create or edit an inspection; its deputies' participation is a duty act each."""
    require_county_staff(user, county.pk)
    if fields["end_date"] < fields["start_date"]:
        raise DomainError(_("结束日期不能早于开始日期。"), field="end_date")
    if fields.get("reported_on") and fields["reported_on"] < fields["start_date"]:
        raise DomainError(_("报告日期不能早于检查开始日期。"), field="reported_on")
    unknown = set(fields.get("methods") or []) - set(InspectionMethod.values)
    if unknown:
        raise DomainError(_("检查方式有误。"), field="methods")
    return _visit_save(
        inspection or Inspection(county=county, created_by=user),
        fields,
        deputies=_check_deputies(county.pk, deputies),
        members=_check_members(county.pk, members),
        title=lambda saved: _("参加执法检查:%(law)s") % {"law": saved.law},
    )


def _visit_save(record, fields: dict, *, deputies: list[Deputy], members: list[User], title):
    """Save an inspection or a 专题视察 with the deputies and members taking part; each deputy's
    participation is a duty record (参加视察调研) dated at the start."""
    with transaction.atomic():
        for name, value in fields.items():
            setattr(record, name, value)
        record.save()
        record.deputies.set(deputies)
        record.members.set(members)
        duty_records_sync(
            source=record,
            kind=DutyRecord.Kind.RESEARCH,
            deputies=deputies,
            occurred_on=record.start_date,
            title=title(record),
        )
    return record


def recommendation_add(
    *, user: "User", inspection: Inspection, unit: HandlingUnit, content: str
) -> InspectionRecommendation:
    require_county_staff(user, inspection.county_id)
    _check_unit(inspection.county_id, unit)
    if not content.strip():
        raise DomainError(_("请填写改进建议。"), field="content")
    return InspectionRecommendation.objects.create(
        inspection=inspection, unit=unit, content=content.strip()
    )


def recommendation_decide(
    *,
    user: "User",
    recommendation: InspectionRecommendation,
    status: str,
    evidence: str,
    decided_on: datetime.date,
) -> InspectionRecommendation:
    """The body addressed (or staff on its behalf) records whether it adopted the
    recommendation, with what it did as evidence."""
    if not can(user, "inspection_recommendation.answer", recommendation):
        raise DomainError(_("只有责任单位或常委会工作人员可以反馈采纳情况。"))
    S = InspectionRecommendation.Status
    if status not in (S.ADOPTED, S.NOT_ADOPTED):
        raise DomainError(_("请选择已采纳或未采纳。"), field="status")
    if not evidence.strip():
        raise DomainError(_("请说明采纳情况并提供佐证。"), field="evidence")
    if decided_on > timezone.localdate():
        raise DomainError(_("反馈日期不能晚于今天。"), field="decided_on")
    if decided_on < recommendation.inspection.start_date:
        raise DomainError(_("反馈日期不能早于执法检查开始日期。"), field="decided_on")
    recommendation.status = status
    recommendation.evidence = evidence.strip()
    recommendation.decided_on = decided_on
    recommendation.decided_by = user
    recommendation.save(update_fields=["status", "evidence", "decided_on", "decided_by"])
    return recommendation


# Supervision topics -------------------------------------------------------------------------


def topic_create(
    *,
    user: "User",
    county,
    year: int,
    title: str,
    unit: HandlingUnit,
    description: str = "",
    opinions: Iterable[Opinion] = (),
) -> SupervisionTopic:
    require_county_staff(user, county.pk)
    _check_unit(county.pk, unit)
    opinions = list(opinions)
    if any(opinion.county_id != county.pk for opinion in opinions):
        raise DomainError(_("来源群众意见须是本县的意见。"), field="opinions")
    with transaction.atomic():
        topic = SupervisionTopic.objects.create(
            county=county,
            year=year,
            title=title,
            unit=unit,
            description=description,
            created_by=user,
        )
        topic.opinions.set(opinions)
    return topic


def research_add(
    *,
    user: "User",
    topic: SupervisionTopic,
    date: datetime.date,
    place: str,
    deputies: Iterable[Deputy] = (),
    public_participants: str = "",
    public_count: int = 0,
) -> TopicResearch:
    """Research goes to the people: a visit needs members of the public taking part."""
    require_county_staff(user, topic.county_id)
    if SatisfactionRating.objects.filter(topic=topic).exists():
        raise DomainError(_("已进入满意度测评,不能再登记调研。"))
    if date > timezone.localdate():
        raise DomainError(_("调研日期不能晚于今天。"), field="date")
    if not public_count or not public_participants.strip():
        raise DomainError(
            _("调研须有群众参与:请填写参加的群众及人数。"), field="public_participants"
        )
    deputies = _check_deputies(topic.county_id, deputies)
    with transaction.atomic():
        research = TopicResearch.objects.create(
            topic=topic,
            date=date,
            place=place,
            public_participants=public_participants.strip(),
            public_count=public_count,
            entered_by=user,
        )
        research.deputies.set(deputies)
        duty_records_sync(
            source=research,
            kind=DutyRecord.Kind.RESEARCH,
            deputies=deputies,
            occurred_on=date,
            title=_("参加监督议题调研:%(title)s") % {"title": topic.title},
        )
    return research


def research_report_file(
    *, user: "User", topic: SupervisionTopic, title: str, filed_on: datetime.date, summary: str
) -> ResearchReport:
    require_county_staff(user, topic.county_id)
    if not topic.researches.exists():
        raise DomainError(_("请先登记调研,再提交调研报告。"))
    if hasattr(topic, "rating"):
        raise DomainError(_("已进入满意度测评,调研报告不能再修改。"))
    report, _created = ResearchReport.objects.update_or_create(
        topic=topic,
        defaults={"title": title, "filed_on": filed_on, "summary": summary, "filed_by": user},
    )
    return report


def rating_open(
    *, user: "User", topic: SupervisionTopic, meeting: CommitteeMeeting
) -> SatisfactionRating:
    require_county_staff(user, topic.county_id)
    if meeting.county_id != topic.county_id:
        raise DomainError(_("测评会议须是本县常委会会议。"), field="meeting")
    if not ResearchReport.objects.filter(topic=topic).exists():
        raise DomainError(_("请先提交调研报告,再进行满意度测评。"))
    try:
        with transaction.atomic():
            vote = MeetingVote.objects.create(
                meeting=meeting,
                subject=_("%(title)s 满意度测评") % {"title": topic.title},
            )
            return SatisfactionRating.objects.create(
                topic=topic, meeting=meeting, vote=vote, opened_by=user
            )
    except IntegrityError:
        raise DomainError(_("这个议题已经进行过满意度测评。")) from None


def _open_rating(user: "User", rating: SatisfactionRating) -> None:
    require_county_staff(user, rating.topic.county_id)
    if rating.concluded_at is not None:
        raise DomainError(_("满意度测评已经结束,不能再录入。"))


def public_score_record(
    *, user: "User", rating: SatisfactionRating, representative: str, score: int
) -> PublicScore:
    _open_rating(user, rating)
    representative = representative.strip()
    if not representative:
        raise DomainError(_("请填写群众代表姓名。"), field="representative")
    if not 0 <= score <= 100:
        raise DomainError(_("评分应在0至100分之间。"), field="score")
    try:
        with transaction.atomic():
            return PublicScore.objects.create(
                rating=rating, representative=representative, score=score, recorded_by=user
            )
    except IntegrityError:
        raise DomainError(
            _("群众代表 %(name)s 已经评过分,同一人的评分只计一次。") % {"name": representative},
            field="representative",
        ) from None


def rating_figures(rating: SatisfactionRating) -> dict:
    """The ballots' totals against the members present, and the public scores: three queries.
    Never who voted what."""
    votes = vote_figures(rating.vote) if rating.vote is not None else _NO_VOTE
    scores = list(rating.public_scores.values_list("score", flat=True))
    average = (
        (Decimal(sum(scores)) / len(scores)).quantize(Decimal("0.1"), ROUND_HALF_UP)
        if scores
        else None
    )
    passed = votes["passed"] and (average is None or average >= PASS_SCORE)
    return {**votes, "scores": len(scores), "average": average, "passed": passed}


def rating_conclude(
    *, user: "User", rating: SatisfactionRating, rectification_deadline: datetime.date | None = None
) -> SatisfactionRating:
    """Fix the result from the kept votes and scores. An unsatisfactory body gets a
    rectification deadline after the rating."""
    _open_rating(user, rating)
    figures = rating_figures(rating)
    if not figures["counted"]:
        raise DomainError(_("还没有录入组成人员的无记名表决结果,不能结束测评。"))
    topic = rating.topic
    if not figures["passed"]:
        if rectification_deadline is None:
            raise DomainError(
                _("测评结果为不满意,请确定整改期限。"), field="rectification_deadline"
            )
        if rectification_deadline <= rating.meeting.date:
            raise DomainError(
                _("整改期限须晚于测评日期(%(date)s)。")
                % {"date": f"{rating.meeting.date:%Y-%m-%d}"},
                field="rectification_deadline",
            )
    with transaction.atomic():
        R = SatisfactionRating.Result
        rating.result = R.SATISFIED if figures["passed"] else R.UNSATISFIED
        rating.concluded_at = timezone.now()
        rating.save(update_fields=["result", "concluded_at"])
        if not figures["passed"]:
            topic.rectification_deadline = rectification_deadline
            topic.save(update_fields=["rectification_deadline"])
    return rating


def rectification_file(
    *, user: "User", topic: SupervisionTopic, rectification: str, rectified_on: datetime.date
) -> SupervisionTopic:
    if not can(user, "supervision_topic.answer", topic):
        raise DomainError(_("只有被监督单位或常委会工作人员可以提交整改情况。"))
    if topic.rectification_deadline is None:
        raise DomainError(_("这个议题没有整改要求。"))
    if topic.published_on is not None:
        raise DomainError(_("整改结果已经公开,不能再修改。"))
    if not rectification.strip():
        raise DomainError(_("请填写整改情况。"), field="rectification")
    if rectified_on > timezone.localdate():
        raise DomainError(_("整改报告日期不能晚于今天。"), field="rectified_on")
    topic.rectification = rectification.strip()
    topic.rectified_on = rectified_on
    topic.save(update_fields=["rectification", "rectified_on"])
    return topic


def result_publish(
    *, user: "User", topic: SupervisionTopic, publication: str, published_on: datetime.date
) -> SupervisionTopic:
    """Publish the result: the rating, and for an unsatisfactory body its rectification."""
    require_county_staff(user, topic.county_id)
    rating = SatisfactionRating.objects.filter(topic=topic).first()
    if rating is None or rating.concluded_at is None:
        raise DomainError(_("满意度测评结束后才能公开结果。"))
    if rating.result == SatisfactionRating.Result.UNSATISFIED and topic.rectified_on is None:
        raise DomainError(_("被监督单位提交整改情况后才能公开结果。"))
    if not publication.strip():
        raise DomainError(_("请填写公开内容。"), field="publication")
    topic.publication = publication.strip()
    topic.published_on = published_on
    topic.save(update_fields=["publication", "published_on"])
    return topic


# Major matters ------------------------------------------------------------------------------


def matter_create(*, user: "User", county, title: str, description: str = "") -> MajorMatter:
    require_county_staff(user, county.pk)
    return MajorMatter.objects.create(
        county=county, title=title, description=description, created_by=user
    )


def matter_step_record(
    *,
    user: "User",
    matter: MajorMatter,
    step: str,
    date: datetime.date,
    document: str,
    note: str = "",
) -> MajorMatterReport:
    """Record the next of the three reports: before, then during, then after, dates in order."""
    require_county_staff(user, matter.county_id)
    done = list(matter.reports.order_by("date", "pk"))
    due = STEP_ORDER[len(done)] if len(done) < len(STEP_ORDER) else None
    if due is None:
        raise DomainError(_("三个环节均已报告。"))
    if step != due:
        raise DomainError(_("下一步应报送“%(step)s”。") % {"step": due.label}, field="step")
    if done and date < done[-1].date:
        raise DomainError(
            _("报送日期不能早于上一环节(%(date)s)。") % {"date": f"{done[-1].date:%Y-%m-%d}"},
            field="date",
        )
    if not document.strip():
        raise DomainError(_("请填写文件名称及文号。"), field="document")
    return MajorMatterReport.objects.create(
        matter=matter, step=step, date=date, document=document.strip(), note=note, entered_by=user
    )


# Meetings, 列席 and 旁听 -----------------------------------------------------------------------


def meeting_create(*, user: "User", county, **fields) -> CommitteeMeeting:
    require_county_staff(user, county.pk)
    try:
        with transaction.atomic():
            return CommitteeMeeting.objects.create(county=county, created_by=user, **fields)
    except IntegrityError:
        raise DomainError(_("本届已经登记过这次会议。"), field="number") from None


def rotation_pick(
    *, county_id: int, term: int, count: int, exclude: Iterable[int] = ()
) -> list[Deputy]:
    """The next ``count`` deputies of the pool to invite, by rules.rotation_order over the
    invitations of this term's meetings. One query."""
    this_term = Q(
        meeting_attendances__meeting__term=term,
        meeting_attendances__meeting__county_id=county_id,
    )
    pool = {
        deputy.pk: deputy
        for deputy in rotation_pool(county_id)
        .exclude(pk__in=list(exclude))
        .annotate(
            turns=Count("meeting_attendances", filter=this_term),
            last=Max("meeting_attendances__invited_at", filter=this_term),
        )
    }
    order = rotation_order(
        [
            RotationCandidate(pk=d.pk, occupation=d.occupation, turns=d.turns, last=d.last)
            for d in pool.values()
        ],
        count,
    )
    return [pool[pk] for pk in order]


def attendees_invite(*, user: "User", meeting: CommitteeMeeting) -> list[MeetingAttendance]:
    """Fill the meeting's places for attending deputies by the rotation."""
    require_county_staff(user, meeting.county_id)
    with transaction.atomic():
        # Lock the meeting: two staff pressing the button at once invite one set.
        CommitteeMeeting.objects.select_for_update().filter(pk=meeting.pk).first()
        invited = set(meeting.attendances.values_list("deputy_id", flat=True))
        places = meeting.attendee_quota - len(invited)
        if places <= 0:
            raise DomainError(_("列席代表名额已满。"))
        deputies = rotation_pick(
            county_id=meeting.county_id, term=meeting.term, count=places, exclude=invited
        )
        if not deputies:
            raise DomainError(_("没有可以邀请的代表。"))
        return MeetingAttendance.objects.bulk_create(
            [MeetingAttendance(meeting=meeting, deputy=deputy) for deputy in deputies]
        )


def attendance_mark(
    *, user: "User", attendance: MeetingAttendance, attended: bool
) -> MeetingAttendance:
    """Record whether an invited deputy came; coming is a duty act (列席会议)."""
    meeting = attendance.meeting
    require_county_staff(user, meeting.county_id)
    if meeting.date > timezone.localdate():
        raise DomainError(_("会议还没有召开,不能登记到会情况。"))
    S = MeetingAttendance.Status
    with transaction.atomic():
        attendance.status = S.ATTENDED if attended else S.ABSENT
        attendance.save(update_fields=["status"])
        duty_records_sync(
            source=attendance,
            kind=DutyRecord.Kind.MEETING,
            deputies=[attendance.deputy] if attended else [],
            occurred_on=meeting.date,
            title=_("列席%(meeting)s") % {"meeting": meeting},
        )
    return attendance


def observer_apply(
    *,
    user: "User",
    meeting: CommitteeMeeting,
    name: str,
    phone: str = "",
    affiliation: str = "",
    reason: str = "",
) -> CitizenObserver:
    """Staff register a citizen's application to observe (by letter, phone or in person)."""
    require_county_staff(user, meeting.county_id)
    if not name.strip():
        raise DomainError(_("请填写申请人姓名。"), field="name")
    return CitizenObserver.objects.create(
        meeting=meeting, name=name.strip(), phone=phone, affiliation=affiliation, reason=reason
    )


def observer_decide(*, user: "User", observer: CitizenObserver, action: str) -> CitizenObserver:
    """approve / refuse an application; attended / absent once approved."""
    require_county_staff(user, observer.meeting.county_id)
    S = CitizenObserver.Status
    if action in ("approve", "refuse"):
        if observer.attended:
            raise DomainError(_("已到会旁听,不能再改审核结果。"))
        observer.status = S.APPROVED if action == "approve" else S.REFUSED
        observer.decided_by = user
        observer.save(update_fields=["status", "decided_by"])
    elif action in ("attended", "absent"):
        if observer.status != S.APPROVED:
            raise DomainError(_("只有同意旁听的公民才能登记到会。"))
        observer.attended = action == "attended"
        observer.save(update_fields=["attended"])
    else:
        raise DomainError(_("未知的操作。"))
    return observer


# Members present and anonymous votes (无记名表决) -------------------------------------------------


def meeting_members_record(
    *, user: "User", meeting: CommitteeMeeting, members: Iterable[User]
) -> list[MeetingMember]:
    """Record which members of the standing committee are present at the meeting (the sign-in
    list): the base of every vote taken there. A member who already voted stays on it."""
    require_county_staff(user, meeting.county_id)
    members = list(members)
    if any(m.role != Role.COMMITTEE_MEMBER or m.county_id != meeting.county_id for m in members):
        raise DomainError(_("出席人员须是本县常委会组成人员。"), field="members")
    if meeting.date > timezone.localdate():
        raise DomainError(_("会议还没有召开,不能登记出席的组成人员。"), field="members")
    wanted = {m.pk for m in members}
    voted = set(
        VoteParticipation.objects.filter(vote__meeting=meeting).values_list("member_id", flat=True)
    )
    if voted - wanted:
        raise DomainError(_("已经投票的组成人员不能从出席名单中去掉。"), field="members")
    with transaction.atomic():
        meeting.members_present.exclude(member_id__in=wanted).delete()
        present = set(meeting.members_present.values_list("member_id", flat=True))
        MeetingMember.objects.bulk_create(
            [MeetingMember(meeting=meeting, member_id=pk) for pk in sorted(wanted - present)]
        )
    return list(meeting.members_present.all())


def vote_count(
    *,
    user: "User",
    vote: MeetingVote,
    voters: Iterable[User],
    satisfied: int,
    basic: int,
    unsatisfied: int,
) -> MeetingVote:
    """Record a counted anonymous vote, once: who voted (each a member present at the meeting)
    and the totals of the ballots, one ballot per voter. The ballots are written in one shuffled
    batch with random keys, so neither their order nor their keys say whose they were."""
    require_county_staff(user, vote.meeting.county_id)
    if _vote_closed(vote):
        raise DomainError(_("这次表决已经结束,不能再录入。"))
    if vote.counted_at is not None:
        raise DomainError(_("这次表决已经计票,计票结果不能重复录入或修改。"))
    voters = list(voters)
    present = set(vote.meeting.members_present.values_list("member_id", flat=True))
    if not present:
        raise DomainError(_("请先在会议页面登记出席会议的组成人员。"), field="voters")
    if not voters:
        raise DomainError(_("请选择参加投票的组成人员。"), field="voters")
    if any(voter.pk not in present for voter in voters):
        raise DomainError(_("投票人须是出席本次会议的组成人员。"), field="voters")
    counts = {
        MeetingVote.Choice.SATISFIED: satisfied,
        MeetingVote.Choice.BASIC: basic,
        MeetingVote.Choice.UNSATISFIED: unsatisfied,
    }
    if any(n < 0 for n in counts.values()):
        raise DomainError(_("票数不能为负数。"), field="satisfied")
    if sum(counts.values()) != len(voters):
        raise DomainError(
            _("票数合计(%(ballots)d)应等于投票人数(%(voters)d):每人一票。")
            % {"ballots": sum(counts.values()), "voters": len(voters)},
            field="satisfied",
        )
    ballots = [Ballot(vote=vote, choice=choice) for choice, n in counts.items() for _i in range(n)]
    random.SystemRandom().shuffle(ballots)
    with transaction.atomic():
        # Lock the vote: two staff counting at once record one count.
        locked = MeetingVote.objects.select_for_update().get(pk=vote.pk)
        if locked.counted_at is not None:
            raise DomainError(_("这次表决已经计票,计票结果不能重复录入或修改。"))
        try:
            with transaction.atomic():
                VoteParticipation.objects.bulk_create(
                    [VoteParticipation(vote=vote, member=voter) for voter in voters]
                )
        except IntegrityError:
            raise DomainError(_("同一人只能投一票。"), field="voters") from None
        Ballot.objects.bulk_create(ballots)
        vote.present_count = len(present)
        vote.counted_at = timezone.now()
        vote.counted_by = user
        vote.save(update_fields=["present_count", "counted_at", "counted_by"])
    return vote


def _vote_closed(vote: MeetingVote) -> bool:
    rating = SatisfactionRating.objects.filter(vote=vote).only("concluded_at").first()
    opinion = ReviewOpinion.objects.filter(vote=vote).only("concluded_at").first()
    return any(o is not None and o.concluded_at is not None for o in (rating, opinion))


_NO_VOTE = {
    "counted": False,
    "present": 0,
    "voters": 0,
    "total": 0,
    "satisfied": 0,
    "basic": 0,
    "unsatisfied": 0,
    "approving": 0,
    "rate": None,
    "passed": False,
}


def vote_figures(vote: MeetingVote) -> dict:
    """Totals of an anonymous vote: ballots by choice, voters, members present, and whether it
    passes (rules.vote_passed). Two queries; never who voted what."""
    C = MeetingVote.Choice
    totals = vote.ballots.aggregate(
        total=Count("pk"),
        satisfied=Count("pk", filter=Q(choice=C.SATISFIED)),
        basic=Count("pk", filter=Q(choice=C.BASIC)),
        unsatisfied=Count("pk", filter=Q(choice=C.UNSATISFIED)),
    )
    voters = vote.participations.count()
    present = vote.present_count or 0
    approving = sum(totals[choice] for choice in APPROVING)
    rate = (
        (Decimal(approving * 100) / present).quantize(Decimal("0.1"), ROUND_HALF_UP)
        if present
        else None
    )
    return {
        **totals,
        "counted": vote.counted_at is not None,
        "present": present,
        "voters": voters,
        "approving": approving,
        "rate": rate,
        "passed": vote_passed(approving=approving, present=present),
    }


# 审议意见 and the 研究处理情况报告 ------------------------------------------------------------


def review_opinion_create(
    *,
    user: "User",
    county,
    kind: str,
    meeting: CommitteeMeeting,
    unit: HandlingUnit,
    content: str,
    sent_on: datetime.date,
    deadline: datetime.date,
    inspection: Inspection | None = None,
    report_title: str = "",
    document_number: str = "",
) -> ReviewOpinion:
    """The committee's 审议意见 on a report heard at ``meeting``, sent to ``unit`` with the
    deadline of its 研究处理情况报告."""
    require_county_staff(user, county.pk)
    K = ReviewOpinion.Kind
    if kind not in K.values:
        raise DomainError(_("请选择审议的报告类别。"), field="kind")
    if kind == K.INSPECTION:
        if inspection is None:
            raise DomainError(_("请选择执法检查。"), field="inspection")
        if inspection.county_id != county.pk:
            raise DomainError(_("所选执法检查不属于本县。"), field="inspection")
        if not inspection.report.strip():
            raise DomainError(_("这次执法检查还没有执法检查报告。"), field="inspection")
        report_title = report_title.strip() or _("《%(law)s》执法检查报告") % {
            "law": inspection.law.strip("《》")
        }
    else:
        inspection = None
        report_title = report_title.strip()
        if not report_title:
            raise DomainError(_("请填写审议的报告名称。"), field="report_title")
    if meeting.county_id != county.pk:
        raise DomainError(_("审议会议须是本县常委会会议。"), field="meeting")
    _check_unit(county.pk, unit)
    if not content.strip():
        raise DomainError(_("请填写审议意见。"), field="content")
    if sent_on > timezone.localdate():
        raise DomainError(_("交办日期不能晚于今天。"), field="sent_on")
    if sent_on < meeting.date:
        raise DomainError(
            _("交办日期不能早于审议会议(%(date)s)。") % {"date": f"{meeting.date:%Y-%m-%d}"},
            field="sent_on",
        )
    if deadline <= sent_on:
        raise DomainError(_("报告期限须晚于交办日期。"), field="deadline")
    return ReviewOpinion.objects.create(
        county=county,
        kind=kind,
        inspection=inspection,
        report_title=report_title,
        meeting=meeting,
        unit=unit,
        document_number=document_number.strip(),
        content=content.strip(),
        sent_on=sent_on,
        deadline=deadline,
        created_by=user,
    )


def handling_report_submit(
    *, user: "User", opinion: ReviewOpinion, handling_report: str, reported_on: datetime.date
) -> ReviewOpinion:
    """The body (or staff on its behalf) reports how it dealt with the opinions; it may be
    revised until it is heard."""
    if not can(user, "review_opinion.answer", opinion):
        raise DomainError(_("只有研究处理单位或常委会工作人员可以提交研究处理情况报告。"))
    if opinion.hearing_meeting_id is not None:
        raise DomainError(_("研究处理情况报告已提请会议审议,不能再修改。"))
    if not handling_report.strip():
        raise DomainError(_("请填写研究处理情况报告。"), field="handling_report")
    if reported_on > timezone.localdate():
        raise DomainError(_("报告日期不能晚于今天。"), field="reported_on")
    if reported_on < opinion.sent_on:
        raise DomainError(_("报告日期不能早于交办日期。"), field="reported_on")
    opinion.handling_report = handling_report.strip()
    opinion.reported_on = reported_on
    opinion.reported_by = user
    opinion.save(update_fields=["handling_report", "reported_on", "reported_by"])
    return opinion


def handling_report_hear(
    *, user: "User", opinion: ReviewOpinion, meeting: CommitteeMeeting, with_vote: bool
) -> ReviewOpinion:
    """Put the 研究处理情况报告 before a meeting; with a 满意度测评 (an anonymous vote) or not."""
    require_county_staff(user, opinion.county_id)
    if opinion.reported_on is None:
        raise DomainError(_("研究处理单位还没有提交研究处理情况报告。"))
    if opinion.hearing_meeting_id is not None:
        raise DomainError(_("研究处理情况报告已经提请会议审议。"))
    if meeting.county_id != opinion.county_id:
        raise DomainError(_("审议会议须是本县常委会会议。"), field="meeting")
    if meeting.date < opinion.reported_on:
        raise DomainError(_("审议会议不能早于报告日期。"), field="meeting")
    with transaction.atomic():
        if with_vote:
            opinion.vote = MeetingVote.objects.create(
                meeting=meeting,
                subject=_("%(unit)s关于%(title)s审议意见研究处理情况的报告 满意度测评")
                % {"unit": opinion.unit.name, "title": opinion.report_title},
            )
        opinion.hearing_meeting = meeting
        opinion.save(update_fields=["hearing_meeting", "vote"])
    return opinion


def handling_report_conclude(*, user: "User", opinion: ReviewOpinion) -> ReviewOpinion:
    """Fix the result: by the anonymous vote's rule when there was one, else heard."""
    require_county_staff(user, opinion.county_id)
    if opinion.hearing_meeting_id is None:
        raise DomainError(_("研究处理情况报告还没有提请会议审议。"))
    if opinion.concluded_at is not None:
        raise DomainError(_("审议已经结束。"))
    R = ReviewOpinion.Result
    if opinion.vote is not None:
        figures = vote_figures(opinion.vote)
        if not figures["counted"]:
            raise DomainError(_("还没有录入满意度测评的计票结果,不能结束审议。"))
        opinion.result = R.SATISFIED if figures["passed"] else R.UNSATISFIED
    else:
        opinion.result = R.HEARD
    opinion.concluded_at = timezone.now()
    opinion.save(update_fields=["result", "concluded_at"])
    return opinion


def review_result_publish(
    *, user: "User", opinion: ReviewOpinion, publication: str, published_on: datetime.date
) -> ReviewOpinion:
    require_county_staff(user, opinion.county_id)
    if opinion.concluded_at is None:
        raise DomainError(_("审议结束后才能公开结果。"))
    if opinion.published_on is not None:
        raise DomainError(_("结果已经公开。"))
    if not publication.strip():
        raise DomainError(_("请填写公开内容。"), field="publication")
    if published_on > timezone.localdate():
        raise DomainError(_("公开日期不能晚于今天。"), field="published_on")
    opinion.publication = publication.strip()
    opinion.published_on = published_on
    opinion.save(update_fields=["publication", "published_on"])
    return opinion


# 专题视察 -------------------------------------------------------------------------------------


def site_inspection_save(
    *,
    user: "User",
    county,
    site_inspection: SiteInspection | None = None,
    deputies: Iterable[Deputy] = (),
    members: Iterable[User] = (),
    **fields,
) -> SiteInspection:
    """Create or edit a 专题视察; each deputy taking part gets a duty record (参加视察调研)."""
    require_county_staff(user, county.pk)
    if not fields.get("subject", "").strip():
        raise DomainError(_("请填写视察主题。"), field="subject")
    if fields["end_date"] < fields["start_date"]:
        raise DomainError(_("结束日期不能早于开始日期。"), field="end_date")
    if fields["start_date"] > timezone.localdate():
        raise DomainError(_("视察还没有开始,请在视察后登记。"), field="start_date")
    if fields.get("reported_on") and fields["reported_on"] < fields["start_date"]:
        raise DomainError(_("报告日期不能早于视察开始日期。"), field="reported_on")
    deadline = fields.get("recommendation_deadline")
    if deadline and deadline <= fields["start_date"]:
        raise DomainError(_("反馈期限须晚于视察开始日期。"), field="recommendation_deadline")
    return _visit_save(
        site_inspection or SiteInspection(county=county, created_by=user),
        {name: v.strip() if isinstance(v, str) else v for name, v in fields.items()},
        deputies=_check_deputies(county.pk, deputies),
        members=_check_members(county.pk, members),
        title=lambda saved: _("参加专题视察:%(subject)s") % {"subject": saved.subject},
    )


# 专题询问 -------------------------------------------------------------------------------------


def inquiry_create(
    *,
    user: "User",
    county,
    subject: str,
    date: datetime.date,
    meeting: CommitteeMeeting | None = None,
    summary: str = "",
) -> Inquiry:
    require_county_staff(user, county.pk)
    if not subject.strip():
        raise DomainError(_("请填写询问主题。"), field="subject")
    if date > timezone.localdate():
        raise DomainError(_("询问日期不能晚于今天。"), field="date")
    if meeting is not None:
        if meeting.county_id != county.pk:
            raise DomainError(_("询问会议须是本县常委会会议。"), field="meeting")
        if meeting.date != date:
            raise DomainError(
                _("询问日期应为会议日期(%(date)s)。") % {"date": f"{meeting.date:%Y-%m-%d}"},
                field="date",
            )
    return Inquiry.objects.create(
        county=county,
        meeting=meeting,
        subject=subject.strip(),
        date=date,
        summary=summary.strip(),
        created_by=user,
    )


def inquiry_question_add(
    *,
    user: "User",
    inquiry: Inquiry,
    asker_kind: str,
    asker_name: str,
    question: str,
    respondent_name: str,
    asker_deputy: Deputy | None = None,
    unit: HandlingUnit | None = None,
    respondent_title: str = "",
    answer: str = "",
    promise: str = "",
    promise_deadline: datetime.date | None = None,
) -> InquiryQuestion:
    """A question asked at the inquiry, numbered in order, with the answer and the promise."""
    require_county_staff(user, inquiry.county_id)
    if asker_kind not in InquiryQuestion.Asker.values:
        raise DomainError(_("请选择询问人身份。"), field="asker_kind")
    if asker_deputy is not None:
        if asker_deputy.county_id != inquiry.county_id:
            raise DomainError(_("询问的代表须是本县代表。"), field="asker_deputy")
        asker_name = asker_name.strip() or asker_deputy.name
    if not asker_name.strip():
        raise DomainError(_("请填写询问人。"), field="asker_name")
    if not question.strip():
        raise DomainError(_("请填写询问问题。"), field="question")
    if not respondent_name.strip():
        raise DomainError(_("请填写应询人。"), field="respondent_name")
    if unit is not None:
        _check_unit(inquiry.county_id, unit)
    if promise.strip() and promise_deadline is None:
        raise DomainError(_("整改承诺请填写完成期限。"), field="promise_deadline")
    if promise_deadline is not None:
        if not promise.strip():
            raise DomainError(_("填写了期限,请填写整改承诺。"), field="promise")
        if promise_deadline <= inquiry.date:
            raise DomainError(_("承诺完成期限须晚于询问日期。"), field="promise_deadline")
    with transaction.atomic():
        Inquiry.objects.select_for_update().filter(pk=inquiry.pk).first()
        last = inquiry.questions.aggregate(last=Max("ordinal"))["last"] or 0
        return InquiryQuestion.objects.create(
            inquiry=inquiry,
            ordinal=last + 1,
            asker_kind=asker_kind,
            asker_name=asker_name.strip(),
            asker_deputy=asker_deputy,
            question=question.strip(),
            unit=unit,
            respondent_name=respondent_name.strip(),
            respondent_title=respondent_title.strip(),
            answer=answer.strip(),
            promise=promise.strip(),
            promise_deadline=promise_deadline,
        )


def inquiry_promise_update(
    *, user: "User", question: InquiryQuestion, promise_status: str, promise_result: str = ""
) -> InquiryQuestion:
    """How the promise was kept: 落实中 or 已落实 (with the result)."""
    require_county_staff(user, question.inquiry.county_id)
    S = InquiryQuestion.PromiseStatus
    if not question.promise:
        raise DomainError(_("这个问题没有整改承诺。"))
    if promise_status not in S.values:
        raise DomainError(_("请选择落实情况。"), field="promise_status")
    if promise_status == S.DONE and not promise_result.strip():
        raise DomainError(_("已落实的承诺请填写落实结果。"), field="promise_result")
    question.promise_status = promise_status
    question.promise_result = promise_result.strip()
    question.save(update_fields=["promise_status", "promise_result"])
    return question


def inquiry_publish(
    *, user: "User", inquiry: Inquiry, publication: str, published_on: datetime.date
) -> Inquiry:
    """Publish a summary of the inquiry and the promises made on the public disclosure page:
    the text staff write (no names of the public are held here)."""
    require_county_staff(user, inquiry.county_id)
    if inquiry.published_on is not None:
        raise DomainError(_("询问情况已经公开。"))
    if not inquiry.questions.exists():
        raise DomainError(_("请先登记询问问题,再公开询问情况。"))
    if not publication.strip():
        raise DomainError(_("请填写公开内容。"), field="publication")
    if published_on > timezone.localdate():
        raise DomainError(_("公开日期不能晚于今天。"), field="published_on")
    if published_on < inquiry.date:
        raise DomainError(_("公开日期不能早于询问日期。"), field="published_on")
    inquiry.publication = publication.strip()
    inquiry.published_on = published_on
    inquiry.save(update_fields=["publication", "published_on"])
    return inquiry


# The year's plans -----------------------------------------------------------------------------


def work_plan_create(
    *,
    user: "User",
    county,
    year: int,
    kind: str,
    title: str,
    adopted_on: datetime.date,
    document_number: str = "",
) -> WorkPlan:
    require_county_staff(user, county.pk)
    if kind not in WorkPlan.Kind.values:
        raise DomainError(_("请选择计划类别。"), field="kind")
    if not title.strip():
        raise DomainError(_("请填写计划名称。"), field="title")
    if adopted_on > timezone.localdate():
        raise DomainError(_("通过日期不能晚于今天。"), field="adopted_on")
    if adopted_on.year not in (year - 1, year):
        raise DomainError(_("通过日期应在计划年度或上一年度。"), field="adopted_on")
    try:
        with transaction.atomic():
            return WorkPlan.objects.create(
                county=county,
                year=year,
                kind=kind,
                title=title.strip(),
                document_number=document_number.strip(),
                adopted_on=adopted_on,
                created_by=user,
            )
    except IntegrityError:
        raise DomainError(
            _("本县%(year)d年度已经登记过%(kind)s。")
            % {"year": year, "kind": WorkPlan.Kind(kind).label},
            field="kind",
        ) from None


def plan_item_add(
    *,
    user: "User",
    plan: WorkPlan,
    kind: str,
    title: str,
    responsible: str = "",
    planned_month: int | None = None,
    planned_quarter: int | None = None,
) -> PlanItem:
    """A planned item, numbered after the plan's last one."""
    require_county_staff(user, plan.county_id)
    if kind not in PlanItem.Kind.values:
        raise DomainError(_("请选择事项类别。"), field="kind")
    if not title.strip():
        raise DomainError(_("请填写计划事项。"), field="title")
    if planned_month is not None and planned_quarter is not None:
        raise DomainError(_("计划时间请填写月份或季度之一。"), field="planned_quarter")
    if planned_month is not None and not 1 <= planned_month <= 12:
        raise DomainError(_("计划月份应在1至12之间。"), field="planned_month")
    if planned_quarter is not None and not 1 <= planned_quarter <= 4:
        raise DomainError(_("计划季度应在1至4之间。"), field="planned_quarter")
    with transaction.atomic():
        WorkPlan.objects.select_for_update().filter(pk=plan.pk).first()
        last = plan.items.aggregate(last=Max("ordinal"))["last"] or 0
        return PlanItem.objects.create(
            plan=plan,
            ordinal=last + 1,
            kind=kind,
            title=title.strip(),
            responsible=responsible.strip(),
            planned_month=planned_month,
            planned_quarter=planned_quarter,
        )


# The records an item may link, by the name of its relation, and the year each belongs to.
LINKABLE = {
    "inspections": (Inspection, lambda r: r.start_date.year),
    "topics": (SupervisionTopic, lambda r: r.year),
    "site_inspections": (SiteInspection, lambda r: r.start_date.year),
    "meetings": (CommitteeMeeting, lambda r: r.date.year),
    "inquiries": (Inquiry, lambda r: r.date.year),
    "trainings": (Training, lambda r: r.start_date.year),
    "campaigns": (ReportCampaign, lambda r: r.year),
}


def _relation(record) -> str:
    for relation, (model, _year) in LINKABLE.items():
        if isinstance(record, model):
            return relation
    raise DomainError(_("这类记录不能关联到计划事项。"))


def record_year(record) -> int:
    """The year a record linkable to a plan item belongs to."""
    return LINKABLE[_relation(record)][1](record)


def plan_item_link(*, user: "User", item: PlanItem, records: Iterable) -> PlanItem:
    """Link the records that carry the item out: each of the plan's county and year."""
    plan = item.plan
    require_county_staff(user, plan.county_id)
    records = list(records)
    if not records:
        raise DomainError(_("请选择要关联的记录。"))
    for record in records:
        relation = _relation(record)
        if record.county_id != plan.county_id:
            raise DomainError(
                _("“%(record)s”不属于本县,不能关联。") % {"record": record}, field=relation
            )
        year = record_year(record)
        if year != plan.year:
            raise DomainError(
                _("“%(record)s”是%(year)d年度的记录,不能关联到%(plan_year)d年度的计划。")
                % {"record": record, "year": year, "plan_year": plan.year},
                field=relation,
            )
    with transaction.atomic():
        for record in records:
            getattr(item, _relation(record)).add(record)
    return item


def plan_item_unlink(*, user: "User", item: PlanItem, relation: str, pk: int) -> PlanItem:
    require_county_staff(user, item.plan.county_id)
    if relation not in LINKABLE:
        raise DomainError(_("这类记录不能关联到计划事项。"))
    getattr(item, relation).remove(pk)
    return item
