import datetime
from collections import Counter
from typing import TYPE_CHECKING

import django_filters
from django.db.models import Count, Exists, F, OuterRef, Prefetch, Q, QuerySet, Subquery
from django.http import Http404
from django.shortcuts import get_object_or_404
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts.access import can, can_read, get_for_change, get_for_user, scoped
from accounts.models import Role
from core.filters import PortalFilterSet
from core.pinyin import name_q
from directory.models import Deputy, HandlingUnit, Level, Mandate, Region
from directory.widgets import unit_picker
from plenary.models import Session
from stations.models import Opinion, OpinionCategory

from .models import (
    Assignment,
    AssignmentMeeting,
    DeadlineExtension,
    Evaluation,
    EvaluationCode,
    ProgressReport,
    PublicMeeting,
    ReassignRequest,
    Reply,
    Suggestion,
    SuggestionEvent,
    UnitContact,
)
from .rules import MADE_CHOICES, TRANSITIONS, made_filter

if TYPE_CHECKING:
    from accounts.models import User


def handling_unit_list(*, user: "User") -> QuerySet[HandlingUnit]:
    return scoped(HandlingUnit.objects.all(), user, "handling_unit")


class HandlingUnitFilter(PortalFilterSet):
    q = django_filters.CharFilter(label=_("名称"), field_name="name", lookup_expr="icontains")
    kind = django_filters.ChoiceFilter(label=_("类别"), choices=HandlingUnit.Kind.choices)

    class Meta:
        model = HandlingUnit
        fields = ["q", "kind", "county", "township", "is_active"]


# The register of suggestions (建议台账) -------------------------------------------------------

# Deadlines can be missed only while a unit is handling the suggestion.
OPEN_STATUSES = (Suggestion.Status.ASSIGNED, Suggestion.Status.IN_HANDLING)


def lead_unit_name_subquery(round_ref: str = "round") -> Subquery:
    """The lead unit (主办单位) of the outer suggestion's current round."""
    return Subquery(
        Assignment.objects.filter(
            suggestion_id=OuterRef("pk"), round=OuterRef(round_ref), role=Assignment.Role.LEAD
        ).values("unit__name")[:1]
    )


def suggestion_list(*, user: "User") -> QuerySet[Suggestion]:
    return scoped(
        Suggestion.objects.select_related("lead_deputy", "congress").annotate(
            lead_unit_name=lead_unit_name_subquery()
        ),
        user,
        "suggestion",
    )


def suggestion_get(*, user: "User", pk: int) -> Suggestion:
    """One suggestion in the user's scope (404 outside), with everything its page shows."""
    queryset = Suggestion.objects.select_related(
        "lead_deputy", "supervising_leader", "county", "congress", "session__congress"
    ).prefetch_related(
        "co_signers",
        "from_opinions",
        Prefetch("assignments", Assignment.objects.select_related("unit")),
        "public_meetings",
        Prefetch("progress_reports", ProgressReport.objects.select_related("unit")),
        Prefetch("replies", Reply.objects.select_related("unit", "category")),
        "evaluations",
        Prefetch("events", SuggestionEvent.objects.select_related("actor")),
        Prefetch(
            "extensions",
            DeadlineExtension.objects.select_related("requested_by", "decided_by").order_by("pk"),
        ),
        Prefetch("unit_contacts", UnitContact.objects.select_related("unit")),
        Prefetch(
            "reassign_requests",
            ReassignRequest.objects.select_related("unit", "suggested_unit", "new_unit"),
        ),
    )
    return get_for_user(queryset, user, "suggestion", pk=pk)


def suggestion_get_brief(*, user: "User", pk: int) -> Suggestion:
    """One suggestion in the user's scope (404 outside) with its lead deputy, for an action."""
    return get_for_user(Suggestion.objects.select_related("lead_deputy"), user, "suggestion", pk=pk)


def suggestion_get_for_change(*, user: "User", pk: int, action: str) -> Suggestion:
    """One suggestion with its lead deputy to take ``action`` on: 404 outside the user's scope,
    403 when the user sees it but may not take the action."""
    return get_for_change(
        Suggestion.objects.select_related("lead_deputy"), user, "suggestion", action, pk=pk
    )


def my_suggestion_list(*, user: "User") -> QuerySet[Suggestion]:
    """A deputy's suggestions, led or co-signed, with what their next step depends on."""
    return (
        scoped(Suggestion.objects.all(), user, "suggestion")
        .select_related("lead_deputy")
        .annotate(
            has_meeting=Exists(PublicMeeting.objects.filter(suggestion=OuterRef("pk"))),
            deputy_evaluated=Exists(
                Evaluation.objects.filter(
                    suggestion=OuterRef("pk"),
                    round=OuterRef("round"),
                    kind=Evaluation.Kind.DEPUTY,
                )
            ),
        )
        .order_by("-created_at", "-pk")
    )


def draft_opinions(*, user: "User", pks: list[int]) -> QuerySet[Opinion]:
    """The opinions a draft grows out of, of those asked for the ones the user may read."""
    return scoped(Opinion.objects.filter(pk__in=pks), user, "opinion")


def current_reply(suggestion: Suggestion) -> Reply | None:
    """The reply of the suggestion's current round, with its category."""
    return (
        Reply.objects.filter(suggestion=suggestion, round=suggestion.round)
        .select_related("category")
        .first()
    )


def open_evaluation_code(code: str) -> EvaluationCode | None:
    """An unused public evaluation code of a replied suggestion's current round (None else)."""
    record = (
        EvaluationCode.objects.filter(code=code, used_at__isnull=True)
        .select_related("suggestion")
        .first()
    )
    if record is None:
        return None
    suggestion = record.suggestion
    if suggestion.status != Suggestion.Status.REPLIED or record.round != suggestion.round:
        return None
    return record


def extension_get(*, suggestion: Suggestion, pk: int) -> DeadlineExtension:
    """One of the suggestion's deadline extension requests (404 else)."""
    return get_object_or_404(suggestion.extensions.all(), pk=pk)


def _unit_assignments(user: "User") -> QuerySet[Assignment]:
    """The current round's assignments of the user's handling unit."""
    return Assignment.objects.filter(unit_id=user.scope.unit, round=F("suggestion__round"))


def unit_assignment_counts(*, user: "User") -> dict[str, int]:
    """How many of the unit's assignments are still open and how many answered."""
    open_filter = Q(suggestion__status__in=OPEN_STATUSES)
    return _unit_assignments(user).aggregate(
        open=Count("pk", filter=open_filter), done=Count("pk", filter=~open_filter)
    )


def unit_assignment_list(*, user: "User", done: bool) -> QuerySet[Assignment]:
    """The unit's open assignments, nearest deadline first, or its answered ones, latest first."""
    open_filter = Q(suggestion__status__in=OPEN_STATUSES)
    current = _unit_assignments(user)
    return (
        current.exclude(open_filter).order_by("-deadline", "-pk")
        if done
        else current.filter(open_filter).order_by("deadline", "pk")
    ).select_related("suggestion", "suggestion__lead_deputy")


def latest_extensions(suggestions: list[Suggestion]) -> dict[int, DeadlineExtension]:
    """Suggestion id -> its latest request for more time in its current round (one query), for
    the unit's workbench to show where each request stands."""
    rounds = {suggestion.pk: suggestion.round for suggestion in suggestions}
    latest: dict[int, DeadlineExtension] = {}
    extensions = DeadlineExtension.objects.filter(suggestion_id__in=rounds).order_by("pk")
    for extension in extensions:
        if extension.round == rounds[extension.suggestion_id]:
            latest[extension.suggestion_id] = extension
    return latest


def is_overdue(suggestion: Suggestion, today: datetime.date | None = None) -> bool:
    today = today or timezone.localdate()
    return bool(
        suggestion.deadline and suggestion.deadline < today and suggestion.status in OPEN_STATUSES
    )


STAFF_ACTIONS = ("register", "not_register", "convert", "assign", "close")


def staff_actions(user: "User", suggestion: Suggestion) -> set[str]:
    """The staff actions the suggestion's status allows now, for a user who may act on it."""
    if not can(user, "suggestion.manage", suggestion):
        return set()
    actions = {a for a in STAFF_ACTIONS if suggestion.status in TRANSITIONS[a][0]}
    if suggestion.status == Suggestion.Status.REPLIED:
        actions.add("paper_evaluation")
    if any(e.status == DeadlineExtension.Status.PENDING for e in suggestion.extensions.all()):
        actions.add("decide_extension")
    return actions


def evaluation_counts(suggestion: Suggestion) -> list[dict]:
    """Per round and kind, how many evaluated 满意 / 基本满意 / 不满意 (from the prefetch)."""
    counts: dict[tuple[int, str], Counter] = {}
    for evaluation in suggestion.evaluations.all():
        counts.setdefault((evaluation.round, evaluation.kind), Counter())[evaluation.result] += 1
    return [
        {
            "round": round_,
            "kind": Evaluation.Kind(kind).label,
            "results": [(label, counter[value]) for value, label in Evaluation.Result.choices],
            "total": sum(counter.values()),
        }
        for (round_, kind), counter in sorted(counts.items())
    ]


def assignable_units(suggestion: Suggestion) -> QuerySet[HandlingUnit]:
    """The bodies a suggestion may go to: for the county congress's, the county's units (its
    departments, courts, procuratorate, and the township governments for local matters); for a
    township congress's, the township's government and its bodies (HandlingUnit.township)."""
    units = HandlingUnit.objects.filter(county_id=suggestion.county_id, is_active=True)
    if suggestion.congress_level == Suggestion.Congress.TOWNSHIP:
        units = units.filter(township_id=suggestion.congress_id)
    return units


def supervising_leaders(suggestion: Suggestion) -> QuerySet:
    """Who may supervise a key suggestion (重点督办): the county committee's leaders and staff
    for the county congress's; the township's 主席团 (its staff accounts) for a township's."""
    from accounts.models import User

    if suggestion.congress_level == Suggestion.Congress.TOWNSHIP:
        leaders = User.objects.filter(
            role=Role.TOWNSHIP_STAFF, township_id=suggestion.congress_id, is_active=True
        )
    else:
        leaders = User.objects.filter(
            role__in=(Role.COMMITTEE_MEMBER, Role.COMMITTEE_STAFF),
            county_id=suggestion.county_id,
            is_active=True,
        )
    return leaders.order_by("full_name", "pk")


def _units(request):
    if request is None:
        return HandlingUnit.objects.none()
    return handling_unit_list(user=request.user).order_by("name")


def congress_choices(*, user: "User") -> QuerySet[Region]:
    """The congresses whose suggestions the user may filter by: the county and its townships
    (a township's staff, their township)."""
    regions = scoped(Region.objects.all(), user, "region").filter(
        level__in=(Region.Level.COUNTY, Region.Level.TOWNSHIP)
    )
    if user.scope.role == Role.TOWNSHIP_STAFF:
        regions = regions.filter(pk=user.scope.township or 0)
    return regions.order_by("code")


def _congresses(request):
    if request is None:
        return Region.objects.none()
    return congress_choices(user=request.user)


def _sessions(request):
    """The 人代会 sessions the user reads (a handling unit reads none)."""
    if request is None or not can_read(request.user, "plenary_session"):
        return Session.objects.none()
    return scoped(Session.objects.select_related("congress"), request.user, "plenary_session")


class SuggestionFilter(PortalFilterSet):
    q = django_filters.CharFilter(label=_("编号/标题/代表"), method="filter_q")
    status = django_filters.ChoiceFilter(label=_("状态"), choices=Suggestion.Status.choices)
    category = django_filters.ChoiceFilter(label=_("类别"), choices=OpinionCategory.choices)
    key_supervision = django_filters.BooleanFilter(label=_("重点督办"))
    overdue = django_filters.BooleanFilter(label=_("逾期"), method="filter_overdue")
    unit = django_filters.ModelChoiceFilter(
        label=_("承办单位"),
        queryset=_units,  # type: ignore[arg-type]
        method="filter_unit",
        widget=unit_picker(),
    )
    year = django_filters.NumberFilter(label=_("提交年度"), field_name="submitted_at__year")
    congress_level = django_filters.ChoiceFilter(
        label=_("人大层级"), choices=Suggestion.Congress.choices
    )
    congress = django_filters.ModelChoiceFilter(
        label=_("所属人大"),
        queryset=_congresses,  # type: ignore[arg-type]
    )
    made = django_filters.ChoiceFilter(
        label=_("提出时间"), choices=MADE_CHOICES, method="filter_made"
    )
    session = django_filters.ModelChoiceFilter(
        label=_("人代会"),
        queryset=_sessions,  # type: ignore[arg-type]
    )

    class Meta:
        model = Suggestion
        fields = [
            "q",
            "status",
            "category",
            "key_supervision",
            "overdue",
            "unit",
            "year",
            "congress_level",
            "congress",
            "made",
            "session",
        ]

    def filter_made(self, queryset, name, value: str):
        return made_filter(queryset, value)

    def filter_q(self, queryset, name, value: str):
        if not value:
            return queryset
        return queryset.filter(
            Q(number__icontains=value)
            | Q(title__icontains=value)
            | Q(lead_deputy__name__icontains=value)
        )

    def filter_overdue(self, queryset, name, value: bool | None):
        if value is None:
            return queryset
        late = Q(deadline__lt=timezone.localdate(), status__in=OPEN_STATUSES)
        return queryset.filter(late) if value else queryset.exclude(late)

    def filter_unit(self, queryset, name, value: HandlingUnit | None):
        if value is None:
            return queryset
        return queryset.filter(
            Exists(Assignment.objects.filter(suggestion_id=OuterRef("pk"), unit=value))
        )


# Choosing deputies for a suggestion --------------------------------------------------------------


def deputy_levels(deputy: Deputy) -> set[str]:
    """The congresses (county, township) in which the deputy holds an active mandate."""
    return set(
        Mandate.objects.filter(
            deputy=deputy, is_active=True, level__in=(Level.COUNTY, Level.TOWNSHIP)
        ).values_list("level", flat=True)
    )


def draft_levels(*, user: "User") -> list[str]:
    """The congresses the user may draft a suggestion for: a deputy, those they hold a mandate
    of; committee staff, the county's; township staff, their township's; the administrator,
    both."""
    order: list[str] = [Suggestion.Congress.COUNTY, Suggestion.Congress.TOWNSHIP]
    role = user.scope.role
    if role == Role.DEPUTY:
        assert user.deputy is not None  # ROLE_REQUIRED_LINKS
        held = deputy_levels(user.deputy)
        return [level for level in order if level in held]
    if role == Role.TOWNSHIP_STAFF:
        return [Suggestion.Congress.TOWNSHIP]
    if role == Role.COMMITTEE_STAFF:
        return [Suggestion.Congress.COUNTY]
    return order if user.scope.unrestricted else []


def congress_deputies(*, level: str, county_id: int, township_id: int | None) -> QuerySet[Deputy]:
    """The deputies of one congress: the county's deputies, or a township's (a township
    mandate, stationed in that township: a mandate names no region, the station tells it)."""
    deputies = Deputy.objects.with_active_level(level)
    if level == Suggestion.Congress.COUNTY:
        return deputies.filter(county_id=county_id)
    if township_id is None:
        return deputies.none()
    return deputies.filter(station__township_id=township_id)


def cosigner_candidates(*, user: "User", level: str) -> QuerySet[Deputy]:
    """Whom a draft for the ``level`` congress may name: a deputy chooses co-signers (联名代表)
    among the deputies of their own congress (the county's, or their township's); staff,
    entering a draft on a deputy's behalf, choose the lead and co-signers among the deputies of
    that level they read (the service checks that all are of the lead's congress)."""
    if user.scope.role == Role.DEPUTY:
        lead = user.deputy
        assert lead is not None  # a deputy's account is linked to the deputy (ROLE_REQUIRED_LINKS)
        township_id = lead.station.township_id if lead.station else None
        deputies = congress_deputies(
            level=level, county_id=lead.county_id, township_id=township_id
        ).exclude(pk=lead.pk)
    else:
        deputies = scoped(Deputy.objects.all(), user, "deputy").with_active_level(level)
    return deputies.select_related("station__township").order_by("name", "pk")


def deputy_search(queryset: QuerySet[Deputy], query: str, *, limit: int = 20) -> list[dict]:
    """The picker's answer: up to ``limit`` deputies whose name, pinyin or initials match, each
    with the station and township that tell namesakes apart."""
    query = query.strip()[:40]
    if not query:
        return []
    return [
        {
            "id": deputy.pk,
            "label": deputy.name,
            "detail": " · ".join(
                part
                for part in (
                    deputy.station.name if deputy.station else str(_("未进驻")),
                    deputy.station.township.name if deputy.station else "",
                )
                if part
            ),
        }
        for deputy in queryset.filter(name_q(query))[:limit]
    ]


# The unit's side: 交办会, 改办, 沟通, 答复函 ---------------------------------------------------


def meeting_list(*, user: "User") -> QuerySet[AssignmentMeeting]:
    """The 交办会 of the congresses the user's office keeps, latest first, with their counts."""
    return scoped(
        AssignmentMeeting.objects.select_related("congress")
        .annotate(assigned=Count("assignments__suggestion", distinct=True))
        .order_by("-date", "-pk"),
        user,
        "assignment_meeting",
    )


class AssignmentMeetingFilter(PortalFilterSet):
    date_from = django_filters.DateFilter(label=_("日期自"), field_name="date", lookup_expr="gte")
    date_to = django_filters.DateFilter(label=_("日期至"), field_name="date", lookup_expr="lte")

    class Meta:
        model = AssignmentMeeting
        fields = ["date_from", "date_to", "congress_level", "congress"]


def meeting_get(*, user: "User", pk: int) -> AssignmentMeeting:
    return get_for_user(
        AssignmentMeeting.objects.select_related("congress"), user, "assignment_meeting", pk=pk
    )


def meeting_suggestions(meeting: AssignmentMeeting) -> QuerySet[Suggestion]:
    """The suggestions assigned at the meeting, with their lead unit of the first round."""
    return (
        Suggestion.objects.filter(
            pk__in=Assignment.objects.filter(meeting=meeting).values("suggestion_id")
        )
        .select_related("lead_deputy")
        .annotate(lead_unit_name=lead_unit_name_subquery())
        .order_by("number", "pk")
    )


def meeting_candidates(*, user: "User", meeting: AssignmentMeeting) -> QuerySet[Suggestion]:
    """The registered suggestions of the meeting's congress, waiting to be assigned."""
    return (
        scoped(Suggestion.objects.all(), user, "suggestion")
        .filter(congress_id=meeting.congress_id, status=Suggestion.Status.REGISTERED)
        .select_related("lead_deputy")
        .order_by("number", "pk")
    )


def reassign_queue(*, user: "User", pending: bool = True) -> QuerySet[ReassignRequest]:
    """改办 requests of the suggestions in the user's scope: the pending ones first to decide."""
    queryset = ReassignRequest.objects.filter(
        suggestion__in=scoped(Suggestion.objects.all(), user, "suggestion").values("pk")
    ).select_related("suggestion", "unit", "suggested_unit", "new_unit", "decided_by")
    if pending:
        return queryset.filter(status=ReassignRequest.Status.PENDING).order_by("requested_at")
    return queryset.exclude(status=ReassignRequest.Status.PENDING)


def reassign_get(*, suggestion: Suggestion, pk: int) -> ReassignRequest:
    """One of the suggestion's 改办 requests (404 else)."""
    return get_object_or_404(
        suggestion.reassign_requests.select_related("unit", "suggested_unit"), pk=pk
    )


def unit_current_assignment(suggestion: Suggestion, *, unit_id: int | None) -> Assignment | None:
    """The unit's assignment in the suggestion's current round (None when it has none)."""
    return suggestion.assignments.filter(unit_id=unit_id, round=suggestion.round).first()


def unit_reassign_requests(suggestion: Suggestion, *, unit_id: int | None) -> list[ReassignRequest]:
    return list(
        suggestion.reassign_requests.filter(unit_id=unit_id).select_related(
            "suggested_unit", "new_unit"
        )
    )


def unit_contacts(suggestion: Suggestion) -> list[UnitContact]:
    """The contacts with the lead deputy in the current round."""
    return list(suggestion.unit_contacts.filter(round=suggestion.round).select_related("unit"))


# Who downloads a reply letter: the office, the lead deputy and co-signers, the unit (each in
# their scope of suggestions); a keeper or a committee member who reads the suggestion does not.
LETTER_READERS = {
    Role.ADMINISTRATOR,
    Role.COMMITTEE_STAFF,
    Role.TOWNSHIP_STAFF,
    Role.DEPUTY,
    Role.HANDLING_UNIT,
}


def reply_letter_get(*, user: "User", pk: int, reply_pk: int) -> Reply:
    """A reply with its letter, for the readers above (404 for anyone else or no letter)."""
    suggestion = get_for_user(Suggestion.objects.all(), user, "suggestion", pk=pk)
    if user.scope.role not in LETTER_READERS:
        raise Http404
    reply = get_object_or_404(suggestion.replies.all(), pk=reply_pk)
    if not reply.letter:
        raise Http404
    return reply


def unit_reply_get(*, user: "User", pk: int) -> Reply:
    """The reply of the user's unit to the suggestion's current round (404 else)."""
    suggestion = get_for_user(Suggestion.objects.all(), user, "suggestion", pk=pk)
    return get_object_or_404(
        Reply.objects.select_related("suggestion"),
        suggestion=suggestion,
        round=suggestion.round,
        unit_id=user.scope.unit,
    )
