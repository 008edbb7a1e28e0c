"""The one place that decides what a user may see.

Every page, API endpoint and export asks ``scoped(queryset, user, resource)`` for its rows. The
policy table maps each role to the *level* at which it reads a resource; each model declares in
``SCOPE_LOOKUPS`` how to filter itself at a level. A role absent from a resource's row may not read
that resource at all (403); a row outside the user's scope does not exist for them (404).
"""

from dataclasses import dataclass
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
    "handling_unit": {**_COUNTY_WIDE, Role.HANDLING_UNIT: UNIT},
    # Station work (接待日、接待记录、台账、微心愿、群众意见).
    "reception_day": _LOCAL,
    "reception": {**_LOCAL, Role.DEPUTY: SELF},  # a deputy reads their own receptions
    "activity": _LOCAL,
    "small_wish": _LOCAL,
    "opinion": {**_LOCAL, Role.HANDLING_UNIT: UNIT},  # a unit reads what was forwarded to it
    # Suggestions: a deputy reads what they lead or co-signed, a unit what was assigned to it.
    "suggestion": {**_LOCAL, Role.DEPUTY: SELF, Role.HANDLING_UNIT: UNIT},
    # The duty archive and scores: a deputy reads their own.
    "duty_score": {**_LOCAL, Role.DEPUTY: SELF},
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
    # Matters reported to the Party committee: the committee's staff and members only.
    "major_matter": {Role.COMMITTEE_STAFF: COUNTY, Role.COMMITTEE_MEMBER: COUNTY},
    # "三零" voter registration checks: committee staff run them for the county; township staff
    # read the checks of their county and the findings of their own township.
    "registration_check": {Role.COMMITTEE_STAFF: COUNTY, Role.TOWNSHIP_STAFF: COUNTY},
    "registration_finding": {Role.COMMITTEE_STAFF: COUNTY, Role.TOWNSHIP_STAFF: TOWNSHIP},
    # 结构关: the structure of a term's deputies against the targets, for the committee.
    "structure_target": {Role.COMMITTEE_STAFF: COUNTY, Role.COMMITTEE_MEMBER: COUNTY},
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
