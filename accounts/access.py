"""The one place that decides what a user may see and what they may do.

Reading: every page, API endpoint and export asks ``scoped(queryset, user, resource)`` for its
rows. The ``POLICY`` table maps each role to the *level* at which it reads a resource; each model
declares in ``SCOPE_LOOKUPS`` how to filter itself at a level. A role absent from a resource's row
may not read that resource at all (403); a row outside the user's scope does not exist for them
(404).

Writing: the ``ACTIONS`` table names every action a user takes on a record and who may take it,
as rules over the record (``county_staff("county_id")``: committee staff of the record's county).
Views and services ask ``can(user, action, obj)`` / ``require(user, action, obj)`` or fetch with
``get_for_change``; templates ask ``{% can "action" obj as may %}`` (core.templatetags.portal), so
a button appears only when the action would be allowed. Asked without a record, a rule answers
whether the user's role takes the action at all (menus, "new" buttons).
"""

from collections.abc import Callable
from dataclasses import dataclass
from types import SimpleNamespace
from typing import TYPE_CHECKING, Any, TypeVar

from django.core.exceptions import ObjectDoesNotExist, PermissionDenied
from django.db.models import Model, QuerySet
from django.http import Http404

from .roles import Role

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser

    from .models import User

_M = TypeVar("_M", bound=Model)
_QS = TypeVar("_QS", bound=QuerySet)

ALL = "all"
COUNTY = "county"
TOWNSHIP = "township"
STATION = "station"
SELF = "self"
UNIT = "unit"

_LOCAL: dict[str, str] = {
    Role.COMMITTEE_STAFF: COUNTY,
    Role.COMMITTEE_MEMBER: COUNTY,
    Role.TOWNSHIP_STAFF: TOWNSHIP,
    Role.STATION_KEEPER: STATION,
    Role.DEPUTY: STATION,
}
_COUNTY_WIDE: dict[str, str] = {role: COUNTY for role in _LOCAL}

POLICY: dict[str, dict[str, str]] = {
    "region": {**_COUNTY_WIDE, Role.HANDLING_UNIT: COUNTY},
    "station": _LOCAL,
    "deputy": _LOCAL,
    "deputy_group": _COUNTY_WIDE,
    # The life of a mandate (资格审查, 辞职, 终止, 补选 …): read as the deputy is, a deputy their own.
    "mandate": {**_LOCAL, Role.DEPUTY: SELF},
    "mandate_event": {**_LOCAL, Role.DEPUTY: SELF},
    # 代表小组+ pages: the groups' members, tasks and activities; a deputy opens their own group.
    "group_work": {
        Role.COMMITTEE_STAFF: COUNTY,
        Role.COMMITTEE_MEMBER: COUNTY,
        Role.TOWNSHIP_STAFF: COUNTY,
        Role.DEPUTY: SELF,
    },
    "handling_unit": {**_COUNTY_WIDE, Role.HANDLING_UNIT: UNIT},
    # Station work (接待日、接待记录、台账、微心愿、群众意见).
    "reception_day": _LOCAL,
    # 选民走访日 (planned like reception days) and 代表信箱 with their openings.
    "visit_day": _LOCAL,
    "mailbox": _LOCAL,
    "reception": {**_LOCAL, Role.DEPUTY: SELF},  # a deputy reads their own receptions
    "activity": _LOCAL,
    "small_wish": _LOCAL,
    # 五个一 acts a deputy records (小难题, 帮扶对象): a deputy reads their own, staff by scope.
    "small_problem": {**_LOCAL, Role.DEPUTY: SELF},
    "aid_household": {**_LOCAL, Role.DEPUTY: SELF},
    "opinion": {**_LOCAL, Role.HANDLING_UNIT: UNIT},  # a unit reads what was forwarded to it
    # Suggestions: a deputy reads what they lead or co-signed, a unit what was assigned to it.
    "suggestion": {**_LOCAL, Role.DEPUTY: SELF, Role.HANDLING_UNIT: UNIT},
    # 交办会 and 改办 requests: the offices of the congresses (a unit sees its requests through
    # the suggestion).
    "assignment_meeting": {
        Role.COMMITTEE_STAFF: COUNTY,
        Role.COMMITTEE_MEMBER: COUNTY,
        Role.TOWNSHIP_STAFF: TOWNSHIP,
    },
    # The duty archive and scores: a deputy reads their own.
    "duty_score": {**_LOCAL, Role.DEPUTY: SELF},
    # Staff's views over many deputies' work (the ranking, 履职预警, 五个一): not for deputies.
    "duty_overview": {role: level for role, level in _LOCAL.items() if role != Role.DEPUTY},
    # 三联: pairings of committee members with deputies, and deputies' linked voters.
    "member_link": {**_LOCAL, Role.DEPUTY: SELF},
    "voter": {**_LOCAL, Role.DEPUTY: SELF},
    "key_project": _COUNTY_WIDE,
    "training": _COUNTY_WIDE,
    # 代表述职: the campaign county-wide, a deputy's report by scope (a deputy their own).
    "report_campaign": _COUNTY_WIDE,
    "duty_report": {**_LOCAL, Role.DEPUTY: SELF},
    # 优秀人大代表: staff by scope; a deputy reads the published list of the county.
    "excellent_candidate": {**_LOCAL, Role.DEPUTY: COUNTY},
    # 履职故事: drafts and published stories, county-wide (the published ones are public anyway).
    "duty_story": _COUNTY_WIDE,
    # Oversight: county-wide for the county's roles; a handling unit reads what concerns it
    # (inspections with a recommendation to it, topics where it is the body supervised).
    "inspection": {**_COUNTY_WIDE, Role.HANDLING_UNIT: UNIT},
    "inspection_recommendation": {**_COUNTY_WIDE, Role.HANDLING_UNIT: UNIT},
    "supervision_topic": {**_COUNTY_WIDE, Role.HANDLING_UNIT: UNIT},
    "committee_meeting": _COUNTY_WIDE,
    # 审议意见: county-wide; the body they were sent to reads its own and reports back.
    "review_opinion": {**_COUNTY_WIDE, Role.HANDLING_UNIT: UNIT},
    # The year's plans (监督工作计划, 代表工作要点) and their items: county-wide.
    "work_plan": _COUNTY_WIDE,
    # 专题视察: county-wide; a deputy reads those they took part in.
    "site_inspection": {**_COUNTY_WIDE, Role.DEPUTY: SELF},
    # 专题询问: county-wide; a handling unit reads the inquiries where it answered.
    "inquiry": {**_COUNTY_WIDE, Role.HANDLING_UNIT: UNIT},
    "inquiry_question": {**_COUNTY_WIDE, Role.HANDLING_UNIT: UNIT},
    # Matters reported to the Party committee: the committee's staff and members only.
    "major_matter": {Role.COMMITTEE_STAFF: COUNTY, Role.COMMITTEE_MEMBER: COUNTY},
    # "三零" voter registration checks: committee staff run them for the county; township staff
    # read the checks of their county and the findings of their own township.
    "registration_check": {Role.COMMITTEE_STAFF: COUNTY, Role.TOWNSHIP_STAFF: COUNTY},
    "registration_finding": {Role.COMMITTEE_STAFF: COUNTY, Role.TOWNSHIP_STAFF: TOWNSHIP},
    # 结构关: the structure of a term's deputies against the targets, for the committee.
    "structure_target": {Role.COMMITTEE_STAFF: COUNTY, Role.COMMITTEE_MEMBER: COUNTY},
    # 立法意见征集: a draft reaches the stations it was sent to (or all) and, when sent to
    # deputies, the deputies stationed there; opinions by the station or deputy that gave them.
    "legislative_draft": {**_LOCAL, Role.DEPUTY: SELF},
    "legislative_opinion": {**_LOCAL, Role.DEPUTY: SELF},
    # 人代会: the county congress's sessions for the county's roles, a township congress's for its
    # staff; a deputy reads the sessions they were convened to, their own attendance and the
    # motions they signed.
    "plenary_session": {
        Role.COMMITTEE_STAFF: COUNTY,
        Role.COMMITTEE_MEMBER: COUNTY,
        Role.TOWNSHIP_STAFF: TOWNSHIP,
        Role.DEPUTY: SELF,
    },
    "plenary_attendance": {
        Role.COMMITTEE_STAFF: COUNTY,
        Role.COMMITTEE_MEMBER: COUNTY,
        Role.TOWNSHIP_STAFF: TOWNSHIP,
        Role.DEPUTY: SELF,
    },
    "motion": {
        Role.COMMITTEE_STAFF: COUNTY,
        Role.COMMITTEE_MEMBER: COUNTY,
        Role.TOWNSHIP_STAFF: TOWNSHIP,
        Role.DEPUTY: SELF,
    },
}

# The county's and townships' offices: who reads the county's figures (the dashboard's area
# figures, the annual workbook, the suggestion statistics) and must sign in with a second factor.
OFFICE_ROLES = {
    Role.ADMINISTRATOR,
    Role.COMMITTEE_STAFF,
    Role.COMMITTEE_MEMBER,
    Role.TOWNSHIP_STAFF,
}

# Who keeps a station's records (schedule, ledger, mailbox, wishes) for the stations they see.
STATION_MANAGERS = {
    Role.ADMINISTRATOR,
    Role.COMMITTEE_STAFF,
    Role.TOWNSHIP_STAFF,
    Role.STATION_KEEPER,
}


@dataclass(frozen=True)
class UserScope:
    role: str
    unrestricted: bool
    county: int | None = None
    township: int | None = None
    station: int | None = None
    deputy: int | None = None
    unit: int | None = None

    @classmethod
    def for_user(cls, user: "User") -> "UserScope":
        if not user.is_authenticated or not user.is_active:
            return cls(role="", unrestricted=False)
        if user.is_superuser or user.role == Role.ADMINISTRATOR:
            return cls(role=Role.ADMINISTRATOR, unrestricted=True)
        station_id = user.station_id
        township_id = user.township_id
        if user.role == Role.DEPUTY and user.deputy is not None:
            # A deputy sees their own station: read it from the deputy so a re-stationing
            # takes effect at once.
            station = user.deputy.station
            station_id = station.pk if station else None
            township_id = station.township_id if station else None
        elif user.role == Role.STATION_KEEPER and user.station is not None:
            township_id = user.station.township_id
        return cls(
            role=user.role,
            unrestricted=False,
            county=user.county_id,
            township=township_id,
            station=station_id,
            deputy=user.deputy_id,
            unit=user.handling_unit_id,
        )

    def value(self, level: str) -> int | None:
        return {
            COUNTY: self.county,
            TOWNSHIP: self.township,
            STATION: self.station,
            SELF: self.deputy,
            UNIT: self.unit,
        }[level]


def scope_level(user: "User", resource: str) -> str:
    """The level at which ``user`` reads ``resource``; PermissionDenied if not at all."""
    scope = user.scope
    if scope.unrestricted:
        return ALL
    level = POLICY[resource].get(scope.role)
    if level is None:
        raise PermissionDenied
    return level


def can_read(user: "User", resource: str) -> bool:
    try:
        scope_level(user, resource)
    except PermissionDenied:
        return False
    return True


def scoped(queryset: _QS, user: "User", resource: str) -> _QS:
    level = scope_level(user, resource)
    if level == ALL:
        return queryset
    value = user.scope.value(level)
    model: Any = queryset.model  # every model read through here declares SCOPE_LOOKUPS
    if value is None:
        lookups = model.SCOPE_LOOKUPS
        if level == STATION and user.scope.deputy and SELF in lookups:
            # A deputy not yet stationed (未进驻) still reads what is their own.
            return queryset.filter(lookups[SELF](user.scope.deputy))
        return queryset.none()
    return queryset.filter(model.SCOPE_LOOKUPS[level](value))


def get_for_user(queryset: QuerySet[_M], user: "User", resource: str, **lookup: Any) -> _M:
    """Fetch one row through the user's scope: 403 for a resource the role may not read at all,
    404 for a row outside the scope (indistinguishable from a row that does not exist)."""
    try:
        return scoped(queryset, user, resource).get(**lookup)
    except ObjectDoesNotExist:  # the model's DoesNotExist: .get() raises no other
        raise Http404 from None


def can_view_personal_data(user: "User | AnonymousUser") -> bool:
    return user.is_authenticated and user.has_perm("directory.view_personal_data")


def is_county_staff(user: "User", county_id: int | None) -> bool:
    """The administrator, or committee staff of that county: who acts on a county's records
    (registers suggestions, approves duty records, pairs deputies)."""
    scope = user.scope
    return scope.unrestricted or (scope.role == Role.COMMITTEE_STAFF and scope.county == county_id)


def can_manage_station(user: "User", station) -> bool:
    """Whether ``user`` keeps ``station``'s records: a managing role with the station in scope."""
    if user.scope.role not in STATION_MANAGERS:
        return False
    return scoped(type(station).objects.filter(pk=station.pk), user, "station").exists()


def require_station_manager(user: "User", station) -> None:
    """403 for a user who may see the station but not keep its records."""
    if not can_manage_station(user, station):
        raise PermissionDenied


# Write permissions ------------------------------------------------------------------------------


class Rule:
    """Who may take an action: a test of ``(user, obj, related)``, combined with ``|``.

    ``obj`` is the record acted on, or None for "may this user's role take the action at all";
    ``related`` holds the other records an action involves (the deputy a reception is logged
    for)."""

    def __init__(self, test: Callable[[Any, Any, dict], bool], text: str):
        self.test = test
        self.text = text

    def __call__(self, user: "User", obj=None, related: dict | None = None) -> bool:
        return bool(self.test(user, obj, related or {}))

    def __or__(self, other: "Rule") -> "Rule":
        return Rule(
            lambda user, obj, related: (
                self.test(user, obj, related) or other.test(user, obj, related)
            ),
            f"{self.text} | {other.text}",
        )

    def __repr__(self) -> str:
        return f"Rule({self.text})"


def _resolve(obj, related: dict, path: str):
    """``"station.county_id"`` from the record (or, when its first name is a related record's,
    from that record; ``"self"`` is the record itself)."""
    if path == "self":
        return obj
    first, _, rest = path.partition(".")
    value = related[first] if first in related else getattr(obj, first)
    for name in rest.split(".") if rest else ():
        if value is None:
            return None
        value = getattr(value, name)
    return value


def administrator() -> Rule:
    return Rule(lambda user, obj, related: user.scope.unrestricted, "administrator")


def county_staff(county: str | None = None) -> Rule:
    """The administrator, or committee staff of the record's county (``county`` is the path to
    its id; without a record, committee staff of any county)."""

    def test(user: "User", obj, related):
        scope = user.scope
        if obj is None or county is None:
            return scope.unrestricted or (
                scope.role == Role.COMMITTEE_STAFF and scope.county is not None
            )
        return is_county_staff(user, _resolve(obj, related, county))

    return Rule(test, f"county_staff({county})")


def township_staff(township: str | None = None) -> Rule:
    """The administrator, or staff of the record's township (its 人大主席团; ``township`` is the
    path to the township's id; without a record, township staff of any township)."""

    def test(user: "User", obj, related):
        scope = user.scope
        if scope.unrestricted:
            return True
        if scope.role != Role.TOWNSHIP_STAFF or scope.township is None:
            return False
        return obj is None or township is None or scope.township == _resolve(obj, related, township)

    return Rule(test, f"township_staff({township})")


def station_manager(station: str | None = None) -> Rule:
    """Who keeps the record's station (``can_manage_station``); without a record, the roles
    that keep stations."""

    def test(user: "User", obj, related):
        if obj is None or station is None:
            return user.scope.unrestricted or user.scope.role in STATION_MANAGERS
        target = _resolve(obj, related, station)
        return target is not None and can_manage_station(user, target)

    return Rule(test, f"station_manager({station})")


def deputy_self(deputy: str | None = None) -> Rule:
    """The deputy the record is about (``deputy`` is the path to the deputy's id); without a
    record, any deputy."""

    def test(user: "User", obj, related):
        scope = user.scope
        if scope.role != Role.DEPUTY or scope.deputy is None:
            return False
        return obj is None or deputy is None or scope.deputy == _resolve(obj, related, deputy)

    return Rule(test, f"deputy_self({deputy})")


def stationed_deputy(station: str) -> Rule:
    """A deputy stationed at the record's station."""

    def test(user: "User", obj, related):
        scope = user.scope
        if scope.role != Role.DEPUTY or scope.station is None:
            return False
        return obj is None or scope.station == _resolve(obj, related, station)

    return Rule(test, f"stationed_deputy({station})")


def unit_self(unit: str | None = None) -> Rule:
    """The handling unit the record concerns; without a record, any handling unit."""

    def test(user: "User", obj, related):
        scope = user.scope
        if scope.role != Role.HANDLING_UNIT or scope.unit is None:
            return False
        return obj is None or unit is None or scope.unit == _resolve(obj, related, unit)

    return Rule(test, f"unit_self({unit})")


def user_self(user_path: str, role: str) -> Rule:
    """The user the record names (a pairing's member, a project's leader); without a record,
    users of ``role``."""

    def test(user: "User", obj, related):
        if obj is None:
            return user.scope.role == role
        return user.pk == _resolve(obj, related, user_path)

    return Rule(test, f"user_self({user_path})")


def role_in(*roles: str) -> Rule:
    """Users of these roles, whatever the record (its scope is checked when it is fetched)."""
    return Rule(lambda user, obj, related: user.scope.role in roles, f"role_in{roles}")


# Who may take which action. Keys are "resource.action"; a view fetches the record through the
# read policy first (404 outside the scope), then asks this table (403).
ACTIONS: dict[str, Rule] = {
    # The directory: stationing deputies imported without a station (未进驻).
    "deputy.assign_station": county_staff("county_id"),
    # A mandate's events and 补选: the county office for county and higher-level mandates, a
    # township's 主席团 (its staff) for the township mandates of deputies stationed there.
    "mandate.record": county_staff("county_office_id") | township_staff("township_office_id"),
    # The duty archive: manual records (one staff member enters, another approves), scores.
    "duty_record.enter": county_staff("county_id"),
    # Scores are computed for the whole year at once: the role is enough (the run is county-wide).
    "duty_score.compute": role_in(Role.ADMINISTRATOR, Role.COMMITTEE_STAFF),
    "training.import": role_in(Role.ADMINISTRATOR, Role.COMMITTEE_STAFF),
    # Station work.
    "station.keep": station_manager("self"),
    "reception_day.edit": station_manager("station"),
    "visit_day.edit": station_manager("station"),
    # A mailbox is opened by its station's keepers or a deputy stationed there.
    "mailbox.open": station_manager("station") | stationed_deputy("station_id"),
    "reception.log": deputy_self("deputy.pk") | station_manager("station"),
    "activity.keep": station_manager("station"),
    "small_wish.create": stationed_deputy("pk") | station_manager("self"),
    "small_wish.claim": deputy_self("deputy.pk") | station_manager("station"),
    "small_wish.fulfil": deputy_self("claimed_by_id") | station_manager("station"),
    # 五个一 acts a deputy records on a phone (staff read them by scope).
    "small_problem.record": deputy_self("deputy_id"),
    "aid.keep": deputy_self("deputy_id"),
    # The monthly check of reception days and themed activities: the county's and townships'
    # offices, a keeper for their own station; not a deputy or a handling unit.
    "station.check_compliance": role_in(*OFFICE_ROLES, Role.STATION_KEEPER),
    "opinion.handle": role_in(*STATION_MANAGERS),
    "opinion.answer": unit_self("handling_unit_id") | role_in(*STATION_MANAGERS),
    # Suggestions: the lead deputy drafts and evaluates (staff may enter either for them); the
    # office of the suggestion's congress registers, assigns, supervises and closes — county
    # staff for the county congress's, township staff for their township congress's; the
    # assigned units answer.
    "suggestion.draft": deputy_self("lead_deputy_id")
    | county_staff("county_congress_id")
    | township_staff("township_congress_id"),
    "suggestion.manage": county_staff("county_congress_id")
    | township_staff("township_congress_id"),
    "suggestion.evaluate": deputy_self("lead_deputy_id")
    | county_staff("county_congress_id")
    | township_staff("township_congress_id"),
    "suggestion.draft_own": deputy_self(),
    "suggestion.answer": unit_self(),
    # 改办: the lead unit asks, the office of the suggestion's congress decides.
    "suggestion.reassign_request": unit_self(),
    "suggestion.reassign_decide": county_staff("county_congress_id")
    | township_staff("township_congress_id"),
    # The register's workbook and the handling statistics: the county's and townships' staff.
    "suggestion.statistics": role_in(*OFFICE_ROLES),
    # 三联: pairings, contacts, linked voters, leaders' key projects.
    "member_link.manage": county_staff("county_id"),
    "member_link.contact": user_self("member_id", Role.COMMITTEE_MEMBER)
    | county_staff("deputy.county_id"),
    "voter.keep": deputy_self("pk") | station_manager("station"),
    # A deputy calls their own linked voters: their numbers in full (each view logged).
    "voter.call": deputy_self("pk"),
    # 代表小组: committee staff or the group's leader (组长) record its tasks and activities.
    "group_work.manage": county_staff("county_id") | deputy_self("leader_id"),
    "key_project.edit": user_self("leader_id", Role.COMMITTEE_MEMBER) | county_staff("county_id"),
    # 代表述职 and 三评.
    # The organiser runs a campaign: the county office for county deputies, a township's 主席团
    # (its staff) for the township's deputies.
    "report_campaign.manage": county_staff("county_office_id") | township_staff("township_id"),
    "duty_report.file": deputy_self("deputy_id")
    | county_staff("campaign.county_office_id")
    | township_staff("campaign.township_id"),
    "duty_report.file_own": deputy_self(),
    "peer_evaluation.give": deputy_self(),
    # Oversight: county staff keep the records; the unit concerned answers.
    "oversight.manage": county_staff("county_id"),
    "inspection_recommendation.answer": unit_self("unit_id") | county_staff("inspection.county_id"),
    "supervision_topic.answer": unit_self("unit_id") | county_staff("county_id"),
    "review_opinion.answer": unit_self("unit_id") | county_staff("county_id"),
    # 立法意见征集: county staff publish, route, summarise and report; a station's keeper records
    # what was heard at the station; a deputy gives their own opinion.
    "legislative_draft.manage": county_staff("county_id"),
    "legislative_opinion.record": station_manager("station"),
    "legislative_opinion.give": deputy_self(),
    # 人代会: the office of the session's congress keeps sessions, attendance and motions and
    # records the 主席团's decisions — county staff the county congress's, township staff theirs.
    "plenary.manage": county_staff("county_congress_id") | township_staff("township_congress_id"),
    # The public side's content and the county's data intake.
    "duty_story.write": county_staff("county_id"),
    "roster.import": county_staff(),
    "registration_check.run": county_staff("county_id"),
    "structure_target.set": county_staff(),
    # The county's figures: the dashboard's area figures and the annual workbook.
    "annual_report.read": role_in(*OFFICE_ROLES),
    # Running the system.
    "system.status": administrator(),
}


def county_record(county_id: int | None) -> SimpleNamespace:
    """A stand-in for "a record of this county", to ask the table before the record exists (may
    this user open an inspection in this county?)."""
    return SimpleNamespace(county_id=county_id)


def can(user: "User", action: str, obj=None, **related) -> bool:
    """Whether ``user`` may take ``action`` on ``obj`` (see ``ACTIONS``)."""
    if not user.is_authenticated or not user.is_active:
        return False
    return ACTIONS[action](user, obj, related)


def require(user: "User", action: str, obj=None, **related) -> None:
    """403 unless ``user`` may take ``action`` on ``obj``."""
    if not can(user, action, obj, **related):
        raise PermissionDenied


def get_for_change(
    queryset: QuerySet[_M], user: "User", resource: str, action: str, **lookup: Any
) -> _M:
    """Fetch a row to act on: 404 outside the user's read scope (as ``get_for_user``), 403 when
    the user sees it but may not take ``action`` on it."""
    obj = get_for_user(queryset, user, resource, **lookup)
    require(user, action, obj)
    return obj
