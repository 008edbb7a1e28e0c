"""Reads: querysets scoped to the user, annotated so that a page's queries do not grow with its
rows, and one FilterSet per list shared by the page and the API."""

import datetime

import django_filters
from django.core.exceptions import ObjectDoesNotExist
from django.db.models import Count, Max, Prefetch, Q, QuerySet
from django.shortcuts import get_object_or_404
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts.access import get_for_user, scoped
from accounts.models import Role, User
from core.filters import PortalFilterSet
from deputies.models import Training
from directory.models import Deputy, HandlingUnit, Level, Mandate
from directory.widgets import unit_picker
from dutyreports.models import ReportCampaign

from .models import (
    STEP_ORDER,
    CitizenObserver,
    CommitteeMeeting,
    Inquiry,
    InquiryQuestion,
    Inspection,
    InspectionRecommendation,
    MajorMatter,
    MeetingAttendance,
    MeetingMember,
    MeetingVote,
    PlanItem,
    ResearchReport,
    ReviewOpinion,
    SatisfactionRating,
    SiteInspection,
    SupervisionTopic,
    WorkPlan,
)
from .rules import (
    ItemState,
    OpinionStage,
    opinion_stage,
    plan_item_overdue,
    plan_item_state,
    planned_period_end,
)

ADOPTED = InspectionRecommendation.Status.ADOPTED


UNIT_PICKER = unit_picker()


def _units_in_scope(request):
    if request is None:
        return HandlingUnit.objects.none()
    return scoped(HandlingUnit.objects.all(), request.user, "handling_unit")


# Inspections --------------------------------------------------------------------------------


def inspection_list(*, user: "User") -> QuerySet[Inspection]:
    """Each with the recommendations the user may read, and how many were adopted."""
    visible = Q(
        recommendations__in=scoped(
            InspectionRecommendation.objects.all(), user, "inspection_recommendation"
        )
    )
    return scoped(Inspection.objects.all(), user, "inspection").annotate(
        recommendation_count=Count("recommendations", filter=visible, distinct=True),
        adopted_count=Count(
            "recommendations", filter=visible & Q(recommendations__status=ADOPTED), distinct=True
        ),
    )


def inspection_list_latest(*, user: "User") -> QuerySet[Inspection]:
    """``inspection_list``, the latest first (the API)."""
    return inspection_list(user=user).order_by("-start_date", "-pk")


def inspection_get(*, user: "User", pk: int) -> Inspection:
    return get_for_user(Inspection.objects.select_related("county"), user, "inspection", pk=pk)


def inspection_recommendations(
    *, user: "User", inspection: Inspection
) -> QuerySet[InspectionRecommendation]:
    """The inspection's recommendations the user may read (a unit: those made to it)."""
    return scoped(
        inspection.recommendations.select_related("unit", "decided_by"),
        user,
        "inspection_recommendation",
    )


def recommendation_get(*, user: "User", pk: int) -> InspectionRecommendation:
    return get_for_user(
        InspectionRecommendation.objects.select_related("inspection"),
        user,
        "inspection_recommendation",
        pk=pk,
    )


def recommendation_list(*, user: "User") -> QuerySet[InspectionRecommendation]:
    return scoped(
        InspectionRecommendation.objects.select_related("inspection", "unit"),
        user,
        "inspection_recommendation",
    ).order_by("-inspection__start_date", "inspection_id", "pk")


def inspection_figures(*, inspections: QuerySet[Inspection], user: "User") -> dict[str, int]:
    """The seed's figures: inspections, recommendations, adopted (two queries)."""
    recommendations = recommendation_list(user=user).filter(inspection__in=inspections.values("pk"))
    return {
        "inspections": inspections.count(),
        **recommendations.aggregate(
            recommendations=Count("pk"), adopted=Count("pk", filter=Q(status=ADOPTED))
        ),
    }


class InspectionFilter(PortalFilterSet):
    year = django_filters.NumberFilter(label=_("年度"), field_name="start_date__year")
    joint = django_filters.ChoiceFilter(label=_("联动"), choices=Inspection.Joint.choices)
    q = django_filters.CharFilter(label=_("法律法规"), field_name="law", lookup_expr="icontains")

    class Meta:
        model = Inspection
        fields = ["year", "joint", "q"]


class RecommendationFilter(PortalFilterSet):
    status = django_filters.ChoiceFilter(
        label=_("采纳情况"), choices=InspectionRecommendation.Status.choices
    )
    unit = django_filters.ModelChoiceFilter(
        label=_("责任单位"),
        queryset=_units_in_scope,  # type: ignore[arg-type]
        widget=UNIT_PICKER,
    )
    year = django_filters.NumberFilter(label=_("年度"), field_name="inspection__start_date__year")
    inspection = django_filters.NumberFilter(label=_("执法检查"), field_name="inspection_id")

    class Meta:
        model = InspectionRecommendation
        fields = ["inspection", "status", "unit", "year"]


# Supervision topics -------------------------------------------------------------------------


def topic_list(*, user: "User") -> QuerySet[SupervisionTopic]:
    return (
        scoped(
            SupervisionTopic.objects.select_related("unit", "research_report", "rating"),
            user,
            "supervision_topic",
        )
        .annotate(
            opinion_count=Count("opinions", distinct=True),
            research_count=Count("researches", distinct=True),
        )
        .order_by("-year", "-pk")
    )


def topic_get(*, user: "User", pk: int) -> SupervisionTopic:
    return get_for_user(
        SupervisionTopic.objects.select_related(
            "unit", "research_report", "rating__meeting"
        ).annotate(opinion_count=Count("opinions")),
        user,
        "supervision_topic",
        pk=pk,
    )


def _one_to_one(topic: SupervisionTopic, name: str):
    try:
        return getattr(topic, name)
    except ObjectDoesNotExist:
        return None


def topic_rating(topic: SupervisionTopic) -> SatisfactionRating | None:
    """The topic's satisfaction rating, None before one is opened (select ``rating`` first)."""
    return _one_to_one(topic, "rating")


def topic_research_report(topic: SupervisionTopic) -> ResearchReport | None:
    """The topic's research report, None before it is filed (select ``research_report`` first)."""
    return _one_to_one(topic, "research_report")


def topic_stage(topic: SupervisionTopic) -> str:
    """Where the topic is in the loop; needs ``research_report`` and ``rating`` selected."""
    S = SupervisionTopic.Stage
    rating = topic_rating(topic)
    if topic.published_on:
        return S.PUBLISHED
    if rating is not None and rating.concluded_at:
        if rating.result == SatisfactionRating.Result.SATISFIED:
            return S.SATISFIED
        return S.RECTIFIED if topic.rectified_on else S.RECTIFYING
    if rating is not None:
        return S.RATING
    if topic_research_report(topic) is not None:
        return S.RESEARCHED
    return S.SELECTED


class TopicFilter(PortalFilterSet):
    year = django_filters.NumberFilter(label=_("年度"))
    unit = django_filters.ModelChoiceFilter(
        label=_("被监督单位"),
        queryset=_units_in_scope,  # type: ignore[arg-type]
        widget=UNIT_PICKER,
    )
    q = django_filters.CharFilter(label=_("议题"), field_name="title", lookup_expr="icontains")

    class Meta:
        model = SupervisionTopic
        fields = ["year", "unit", "q"]


# Major matters ------------------------------------------------------------------------------


def _matters() -> QuerySet[MajorMatter]:
    """Each with ``steps_done`` (the steps are recorded in order) and the last report's date."""
    return MajorMatter.objects.annotate(
        steps_done=Count("reports"), last_report=Max("reports__date")
    )


def matter_list(*, user: "User") -> QuerySet[MajorMatter]:
    return scoped(_matters(), user, "major_matter").order_by("-created_at", "-pk")


def matter_get(*, user: "User", pk: int) -> MajorMatter:
    return get_for_user(_matters(), user, "major_matter", pk=pk)


def step_due(steps_done: int) -> str | None:
    return STEP_ORDER[steps_done] if steps_done < len(STEP_ORDER) else None


class MatterFilter(PortalFilterSet):
    q = django_filters.CharFilter(label=_("事项"), field_name="title", lookup_expr="icontains")

    class Meta:
        model = MajorMatter
        fields = ["q"]


# Meetings -----------------------------------------------------------------------------------


def meeting_list(*, user: "User") -> QuerySet[CommitteeMeeting]:
    A = MeetingAttendance.Status
    return (
        scoped(CommitteeMeeting.objects.all(), user, "committee_meeting")
        .annotate(
            invited_count=Count("attendances", distinct=True),
            attended_count=Count(
                "attendances", filter=Q(attendances__status=A.ATTENDED), distinct=True
            ),
            observer_count=Count(
                "observers", filter=Q(observers__status="approved"), distinct=True
            ),
        )
        .order_by("-date", "-pk")
    )


def meeting_get(*, user: "User", pk: int) -> CommitteeMeeting:
    return get_for_user(CommitteeMeeting.objects.all(), user, "committee_meeting", pk=pk)


def attendance_get(*, user: "User", pk: int) -> MeetingAttendance:
    """An invitation to a meeting the user may read (404 else), with its deputy and meeting."""
    attendance = get_object_or_404(MeetingAttendance.objects.select_related("deputy"), pk=pk)
    attendance.meeting = meeting_get(user=user, pk=attendance.meeting_id)
    return attendance


def observer_get(*, user: "User", pk: int) -> CitizenObserver:
    """A citizen's request to observe a meeting the user may read (404 else), with the meeting."""
    observer = get_object_or_404(CitizenObserver.objects.all(), pk=pk)
    observer.meeting = meeting_get(user=user, pk=observer.meeting_id)
    return observer


def eligible_attendees(county_id: int) -> QuerySet[Deputy]:
    """County deputies in office stationed in the county (those who take part in inspections
    and research)."""
    return Deputy.objects.filter(
        county_id=county_id,
        pk__in=Mandate.objects.filter(level=Level.COUNTY, is_active=True).values("deputy_id"),
    )


def committee_member_deputies(county_id: int) -> QuerySet[User]:
    """The deputies who sit on the county's standing committee (组成人员 with a deputy record)."""
    return User.objects.filter(
        role=Role.COMMITTEE_MEMBER, county_id=county_id, is_active=True, deputy__isnull=False
    )


def rotation_pool(county_id: int) -> QuerySet[Deputy]:
    """Who may be invited to attend (列席) a meeting: county deputies in office who are not
    members of the standing committee (a member sits and votes; they do not 列席)."""
    return eligible_attendees(county_id).exclude(
        pk__in=committee_member_deputies(county_id).values("deputy_id")
    )


def rotation_progress(*, county_id: int) -> dict[str, int] | None:
    """The 列席 rotation of the county's latest term: deputies in the pool and how many of them
    were invited this term (a second turn comes once all are). Three queries; None before any
    meeting."""
    term = CommitteeMeeting.objects.filter(county_id=county_id).aggregate(term=Max("term"))["term"]
    if term is None:
        return None
    pool = rotation_pool(county_id)
    invited = (
        MeetingAttendance.objects.filter(
            meeting__county_id=county_id, meeting__term=term, deputy__in=pool
        )
        .values("deputy_id")
        .distinct()
        .count()
    )
    return {"term": term, "pool": pool.count(), "invited": invited}


class MeetingFilter(PortalFilterSet):
    year = django_filters.NumberFilter(label=_("年度"), field_name="date__year")

    class Meta:
        model = CommitteeMeeting
        fields = ["year"]


def meeting_members_present(meeting: CommitteeMeeting) -> QuerySet[MeetingMember]:
    return meeting.members_present.select_related("member").order_by("member__full_name", "pk")


def vote_get(*, user: "User", pk: int) -> MeetingVote:
    """An anonymous vote of a meeting the user may read (404 else), with its meeting."""
    vote = get_object_or_404(MeetingVote.objects.all(), pk=pk)
    vote.meeting = meeting_get(user=user, pk=vote.meeting_id)
    return vote


def vote_subject_url(vote: MeetingVote) -> str:
    """The page of what the vote was about (a supervision topic, a 审议意见)."""
    rating = SatisfactionRating.objects.filter(vote=vote).only("topic_id").first()
    if rating is not None:
        return SupervisionTopic(pk=rating.topic_id).get_portal_url()
    opinion = ReviewOpinion.objects.filter(vote=vote).only("pk").first()
    if opinion is not None:
        return opinion.get_portal_url()
    return vote.meeting.get_portal_url()


# 审议意见 -------------------------------------------------------------------------------------


def _opinions() -> QuerySet[ReviewOpinion]:
    return ReviewOpinion.objects.select_related(
        "unit", "meeting", "inspection", "hearing_meeting", "vote"
    )


def review_opinion_list(*, user: "User") -> QuerySet[ReviewOpinion]:
    return scoped(_opinions(), user, "review_opinion").order_by("-sent_on", "-pk")


def review_opinion_list_with_totals(*, user: "User") -> QuerySet[ReviewOpinion]:
    """``review_opinion_list`` with the totals of each anonymous vote (the API): ballots by
    choice and voters, never who voted what."""
    C = MeetingVote.Choice

    def ballots(choice):
        return Count("vote__ballots", filter=Q(vote__ballots__choice=choice), distinct=True)

    return review_opinion_list(user=user).annotate(
        vote_satisfied=ballots(C.SATISFIED),
        vote_basic=ballots(C.BASIC),
        vote_unsatisfied=ballots(C.UNSATISFIED),
        vote_voters=Count("vote__participations", distinct=True),
    )


def review_opinion_get(*, user: "User", pk: int) -> ReviewOpinion:
    return get_for_user(_opinions(), user, "review_opinion", pk=pk)


def inspection_review_opinions(*, user: "User", inspection: Inspection) -> QuerySet[ReviewOpinion]:
    """The 审议意见 on the inspection's report the user may read (a unit: those sent to it)."""
    return scoped(
        inspection.review_opinions.select_related("meeting", "unit"), user, "review_opinion"
    ).order_by("sent_on", "pk")


def review_opinion_stage(
    opinion: ReviewOpinion, *, today: datetime.date | None = None
) -> OpinionStage:
    return opinion_stage(
        deadline=opinion.deadline,
        reported_on=opinion.reported_on,
        hearing=opinion.hearing_meeting_id is not None,
        concluded=opinion.concluded_at is not None,
        published=opinion.published_on is not None,
        today=today or timezone.localdate(),
    )


def review_opinion_figures(opinions: QuerySet[ReviewOpinion]) -> dict[str, int]:
    """Opinions, reported, overdue (one query)."""
    today = timezone.localdate()
    return opinions.aggregate(
        total=Count("pk"),
        reported=Count("pk", filter=Q(reported_on__isnull=False)),
        overdue=Count("pk", filter=Q(reported_on__isnull=True, deadline__lt=today)),
    )


def _stage_filter(queryset, name, value):
    today = timezone.localdate()
    S = OpinionStage
    conditions = {
        S.SENT: Q(reported_on__isnull=True, deadline__gte=today),
        S.OVERDUE: Q(reported_on__isnull=True, deadline__lt=today),
        S.REPORTED: Q(reported_on__isnull=False, hearing_meeting__isnull=True),
        S.HEARING: Q(hearing_meeting__isnull=False, concluded_at__isnull=True),
        S.CONCLUDED: Q(concluded_at__isnull=False, published_on__isnull=True),
        S.PUBLISHED: Q(published_on__isnull=False),
    }
    return queryset.filter(conditions[value]) if value in conditions else queryset


class ReviewOpinionFilter(PortalFilterSet):
    stage = django_filters.ChoiceFilter(
        label=_("办理状态"), choices=OpinionStage.choices, method=_stage_filter
    )
    kind = django_filters.ChoiceFilter(label=_("报告类别"), choices=ReviewOpinion.Kind.choices)
    unit = django_filters.ModelChoiceFilter(
        label=_("研究处理单位"),
        queryset=_units_in_scope,  # type: ignore[arg-type]
        widget=UNIT_PICKER,
    )
    year = django_filters.NumberFilter(label=_("年度"), field_name="sent_on__year")
    inspection = django_filters.NumberFilter(label=_("执法检查"), field_name="inspection_id")
    q = django_filters.CharFilter(
        label=_("报告名称"), field_name="report_title", lookup_expr="icontains"
    )

    class Meta:
        model = ReviewOpinion
        fields = ["stage", "kind", "unit", "year", "inspection", "q"]


# 专题视察 -------------------------------------------------------------------------------------


def site_inspection_list(*, user: "User") -> QuerySet[SiteInspection]:
    return (
        scoped(SiteInspection.objects.all(), user, "site_inspection")
        .annotate(deputy_count=Count("deputies", distinct=True))
        .order_by("-start_date", "-pk")
    )


def site_inspection_get(*, user: "User", pk: int) -> SiteInspection:
    return get_for_user(SiteInspection.objects.all(), user, "site_inspection", pk=pk)


class SiteInspectionFilter(PortalFilterSet):
    year = django_filters.NumberFilter(label=_("年度"), field_name="start_date__year")
    q = django_filters.CharFilter(
        label=_("视察主题"), field_name="subject", lookup_expr="icontains"
    )

    class Meta:
        model = SiteInspection
        fields = ["year", "q"]


# 专题询问 -------------------------------------------------------------------------------------


def inquiry_list(*, user: "User") -> QuerySet[Inquiry]:
    today = timezone.localdate()
    open_promise = Q(questions__promise_deadline__isnull=False) & ~Q(
        questions__promise_status=InquiryQuestion.PromiseStatus.DONE
    )
    return (
        scoped(Inquiry.objects.select_related("meeting"), user, "inquiry")
        .annotate(
            question_count=Count("questions", distinct=True),
            promise_count=Count(
                "questions", filter=Q(questions__promise_deadline__isnull=False), distinct=True
            ),
            overdue_count=Count(
                "questions",
                filter=open_promise & Q(questions__promise_deadline__lt=today),
                distinct=True,
            ),
        )
        .order_by("-date", "-pk")
    )


def inquiry_get(*, user: "User", pk: int) -> Inquiry:
    return get_for_user(Inquiry.objects.select_related("meeting"), user, "inquiry", pk=pk)


def inquiry_questions(inquiry: Inquiry) -> QuerySet[InquiryQuestion]:
    return inquiry.questions.select_related("unit", "asker_deputy").order_by("ordinal", "pk")


def inquiry_question_list(*, user: "User") -> QuerySet[InquiryQuestion]:
    return scoped(
        InquiryQuestion.objects.select_related("inquiry", "unit"), user, "inquiry_question"
    ).order_by("-inquiry__date", "inquiry_id", "ordinal")


def inquiry_question_get(*, user: "User", pk: int) -> InquiryQuestion:
    return get_for_user(
        InquiryQuestion.objects.select_related("inquiry"), user, "inquiry_question", pk=pk
    )


def overdue_promises(*, user: "User") -> QuerySet[InquiryQuestion]:
    """Promises made at inquiries whose deadline has passed and which are not kept."""
    return (
        inquiry_question_list(user=user)
        .filter(
            promise_deadline__lt=timezone.localdate(),
        )
        .exclude(promise_status=InquiryQuestion.PromiseStatus.DONE)
    )


class InquiryFilter(PortalFilterSet):
    year = django_filters.NumberFilter(label=_("年度"), field_name="date__year")
    q = django_filters.CharFilter(
        label=_("询问主题"), field_name="subject", lookup_expr="icontains"
    )

    class Meta:
        model = Inquiry
        fields = ["year", "q"]


def _overdue_filter(queryset, name, value):
    if not value:
        return queryset
    return queryset.filter(promise_deadline__lt=timezone.localdate()).exclude(
        promise_status=InquiryQuestion.PromiseStatus.DONE
    )


class InquiryQuestionFilter(PortalFilterSet):
    promise_status = django_filters.ChoiceFilter(
        label=_("落实情况"), choices=InquiryQuestion.PromiseStatus.choices
    )
    overdue = django_filters.BooleanFilter(label=_("逾期未落实"), method=_overdue_filter)
    inquiry = django_filters.NumberFilter(label=_("专题询问"), field_name="inquiry_id")
    year = django_filters.NumberFilter(label=_("年度"), field_name="inquiry__date__year")

    class Meta:
        model = InquiryQuestion
        fields = ["inquiry", "promise_status", "overdue", "year"]


# The year's plans -----------------------------------------------------------------------------

# The relations of a plan item to the records carrying it out, each prefetched with what its
# completion fact needs (one query each, whatever the number of items).
LINKED_RECORDS = {
    "inspections": Inspection.objects.only("pk", "law", "start_date", "reported_on"),
    "topics": SupervisionTopic.objects.select_related("rating").only(
        "pk", "title", "year", "published_on", "rating__concluded_at", "rating__topic_id"
    ),
    "site_inspections": SiteInspection.objects.only("pk", "subject", "start_date", "reported_on"),
    "meetings": CommitteeMeeting.objects.only("pk", "term", "number", "date"),
    "inquiries": Inquiry.objects.only("pk", "subject", "date"),
    "trainings": Training.objects.only("pk", "name", "start_date", "end_date"),
    "campaigns": ReportCampaign.objects.select_related("township").only(
        "pk", "year", "township__name", "evaluation_closed_at"
    ),
}


def record_done(relation: str, record, today: datetime.date) -> bool:
    """Whether a linked record carries its completion fact."""
    if relation in ("inspections", "site_inspections"):
        return record.reported_on is not None
    if relation == "topics":
        rating = topic_rating(record)
        return record.published_on is not None or (
            rating is not None and rating.concluded_at is not None
        )
    if relation in ("meetings", "inquiries"):
        return record.date <= today
    if relation == "trainings":
        return record.end_date <= today
    return record.evaluation_closed_at is not None  # campaigns


def _plan_items() -> QuerySet[PlanItem]:
    return PlanItem.objects.select_related("plan").prefetch_related(
        *(Prefetch(relation, queryset=qs) for relation, qs in LINKED_RECORDS.items())
    )


def plan_item_describe(item: PlanItem, today: datetime.date) -> PlanItem:
    """Set on the item (prefetched through ``_plan_items``) its ``links`` (relation, record,
    done), ``state``, ``period_end`` and ``overdue``."""
    item.links = [
        (relation, record, record_done(relation, record, today))
        for relation in LINKED_RECORDS
        for record in getattr(item, relation).all()
    ]
    item.state = plan_item_state([done for _relation, _record, done in item.links])
    item.period_end = planned_period_end(
        year=item.plan.year, month=item.planned_month, quarter=item.planned_quarter
    )
    item.overdue = plan_item_overdue(state=item.state, period_end=item.period_end, today=today)
    return item


def work_plan_list(*, user: "User") -> QuerySet[WorkPlan]:
    return (
        scoped(WorkPlan.objects.all(), user, "work_plan")
        .annotate(item_count=Count("items"))
        .order_by("-year", "kind", "-pk")
    )


def work_plan_get(*, user: "User", pk: int) -> WorkPlan:
    return get_for_user(WorkPlan.objects.all(), user, "work_plan", pk=pk)


def work_plan_items(plan: WorkPlan, *, today: datetime.date | None = None) -> list[PlanItem]:
    """The plan's items with their states (eight queries, whatever the number of items)."""
    today = today or timezone.localdate()
    items = list(_plan_items().filter(plan=plan).order_by("ordinal", "pk"))
    for item in items:
        item.plan = plan
        plan_item_describe(item, today)
    return items


def plan_state_counts(items: list[PlanItem]) -> dict[str, int]:
    counts = {state.value: 0 for state in ItemState}
    for item in items:
        counts[item.state] += 1
    counts["overdue"] = sum(1 for item in items if item.overdue)
    return counts


def plan_item_list(*, user: "User") -> QuerySet[PlanItem]:
    return scoped(_plan_items(), user, "work_plan").order_by("-plan__year", "plan_id", "ordinal")


def plan_item_get(*, user: "User", pk: int) -> PlanItem:
    item = get_for_user(_plan_items(), user, "work_plan", pk=pk)
    return plan_item_describe(item, timezone.localdate())


def plan_link_choices(plan: WorkPlan) -> dict[str, QuerySet]:
    """What an item of ``plan`` may link: the records of the plan's county and year."""
    county, year = plan.county_id, plan.year
    return {
        "inspections": Inspection.objects.filter(county_id=county, start_date__year=year),
        "topics": SupervisionTopic.objects.filter(county_id=county, year=year),
        "site_inspections": SiteInspection.objects.filter(county_id=county, start_date__year=year),
        "meetings": CommitteeMeeting.objects.filter(county_id=county, date__year=year),
        "inquiries": Inquiry.objects.filter(county_id=county, date__year=year),
        "trainings": Training.objects.filter(county_id=county, start_date__year=year),
        "campaigns": ReportCampaign.objects.filter(
            county_id=county, year=year, township__isnull=True
        ),
    }


class WorkPlanFilter(PortalFilterSet):
    year = django_filters.NumberFilter(label=_("年度"))
    kind = django_filters.ChoiceFilter(label=_("计划类别"), choices=WorkPlan.Kind.choices)

    class Meta:
        model = WorkPlan
        fields = ["year", "kind"]


class PlanItemFilter(PortalFilterSet):
    plan = django_filters.NumberFilter(label=_("年度计划"), field_name="plan_id")
    year = django_filters.NumberFilter(label=_("年度"), field_name="plan__year")
    kind = django_filters.ChoiceFilter(label=_("类别"), choices=PlanItem.Kind.choices)

    class Meta:
        model = PlanItem
        fields = ["plan", "year", "kind"]
