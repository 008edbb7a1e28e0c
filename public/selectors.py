"""Reads for the public pages: one county, only what a congress publishes, a fixed number of
queries per page whatever the size of the data."""

import datetime
from typing import TYPE_CHECKING

import django_filters
from django.conf import settings
from django.db.models import (
    Count,
    Exists,
    F,
    IntegerField,
    OuterRef,
    Prefetch,
    Q,
    QuerySet,
    Subquery,
)
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts.access import scoped
from core import pinyin
from core.codes import canonical
from core.filters import PortalFilterSet, query_int
from core.periods import Period
from directory.models import Deputy, DeputyGroup, Mandate, Region, Station, in_office_condition
from dutyreports.models import DutyReport, ExcellentCandidate, Rectification, ReportCampaign
from oversight.models import Inquiry, ReviewOpinion, SupervisionTopic
from stations.models import (
    Opinion,
    OpinionEvent,
    Reception,
    ReceptionDay,
    SmallWish,
    StationActivity,
)
from stations.selectors.receptions import reception_totals
from suggestions.models import Assignment, Evaluation, Reply, Suggestion
from suggestions.statistics import county_statistics

from .models import DutyStory, OnlineOpinion

if TYPE_CHECKING:
    from accounts.models import User

ANSWERED = (Opinion.Status.ANSWERED, Opinion.Status.CLOSED)
# A suggestion's result is public once the suggestion is closed (已办结): the reply stands, the
# deputy has evaluated it and staff have ended the handling. Suggestions have no publication flag
# of their own; anything earlier may still change (an unsatisfied evaluation reopens it).
PUBLISHED_SUGGESTION = Suggestion.Status.CLOSED


def public_county() -> Region:
    """The county the public pages show: PUBLIC_COUNTY_CODE, else the first county."""
    counties = Region.objects.filter(level=Region.Level.COUNTY).order_by("code")
    code = settings.PUBLIC_COUNTY_CODE
    county = (counties.filter(code=code) if code else counties).first()
    if county is None:
        raise Http404
    return county


# Station directory -------------------------------------------------------------------------


def station_townships(county: Region) -> QuerySet[Region]:
    return Region.objects.filter(
        county=county, level=Region.Level.TOWNSHIP, township_stations__is_active=True
    ).distinct()


def matching_station_ids(county: Region, query: str) -> list[int]:
    """Stations whose name or township matches ``query`` in characters or pinyin (one query)."""
    rows = Station.objects.filter(county=county, is_active=True).values_list(
        "pk", "name", "township__name"
    )
    return [pk for pk, name, township in rows if pinyin.matches(query, name, township)]


def station_directory(*, county: Region, query: str = "", township: str = "") -> QuerySet:
    stations = Station.objects.filter(county=county, is_active=True).select_related(
        "township", "village"
    )
    township_id = query_int(township)
    if township_id is not None:
        stations = stations.filter(township_id=township_id)
    if pinyin.normalise(query):
        stations = stations.filter(pk__in=matching_station_ids(county, query))
    return stations.order_by("township__code", "kind", "name")


def station_picks(*, county: Region, query: str) -> list[dict]:
    """The public form's station picker: up to 20 stations by name, pinyin or initials (public
    facts, as the station directory shows them)."""
    if not pinyin.normalise(query):
        return []
    stations = station_directory(county=county, query=query)[:20]
    return [
        {"id": station.pk, "label": station.name, "detail": station.township.name}
        for station in stations
    ]


def public_deputies() -> QuerySet[Deputy]:
    """Deputies with only what a congress publishes: name, active levels and constituencies,
    station and groups. The personal columns are never loaded."""
    return (
        Deputy.objects.only("pk", "name", "station_id")
        .prefetch_related(
            Prefetch(
                "mandates",
                queryset=Mandate.objects.filter(is_active=True).only(
                    "pk", "deputy_id", "level", "constituency"
                ),
                to_attr="active_mandates",
            ),
            Prefetch("groups", queryset=DeputyGroup.objects.only("pk", "name")),
        )
        .order_by("name", "pk")
    )


def decorate_stations(stations: list[Station], today: datetime.date) -> None:
    """Each station gets ``public_deputies`` and ``next_day`` (its next planned reception day
    with the deputies on duty, or None): three queries for the whole page."""
    ids = [station.pk for station in stations]
    by_station: dict[int, list] = {pk: [] for pk in ids}
    in_office = Deputy.objects.in_office().filter(station_id__in=ids)
    for deputy in in_office.only("pk", "name", "station_id"):
        by_station[deputy.station_id].append(deputy)
    days = (
        ReceptionDay.objects.filter(
            station_id__in=ids, date__gte=today, status=ReceptionDay.Status.PLANNED
        )
        .order_by("station_id", "date")
        .prefetch_related(Prefetch("on_duty", queryset=Deputy.objects.only("pk", "name")))
    )
    next_day: dict[int, ReceptionDay] = {}
    for day in days:
        next_day.setdefault(day.station_id, day)
    for station in stations:
        # Read by the template.
        station.public_deputies = sorted(by_station[station.pk], key=lambda d: d.name)  # type: ignore[attr-defined]
        station.next_day = next_day.get(station.pk)  # type: ignore[attr-defined]
        station.next_fixed_date = station.next_reception_date(today)  # type: ignore[attr-defined]


# Showcase wall --------------------------------------------------------------------------------


def public_station(*, county: Region, pk: int) -> Station:
    try:
        return Station.objects.select_related("township", "village").get(
            county=county, is_active=True, pk=pk
        )
    except Station.DoesNotExist:
        raise Http404 from None


def published_suggestions(county: Region) -> QuerySet[Suggestion]:
    """Closed suggestions with their result: lead unit, reply category and text of the final
    round, the deputy's evaluation and the public's votes (one query a page)."""
    lead = Assignment.objects.filter(
        suggestion_id=OuterRef("pk"), round=OuterRef("round"), role=Assignment.Role.LEAD
    )
    reply = Reply.objects.filter(suggestion_id=OuterRef("pk"), round=OuterRef("round"))
    deputy_evaluation = Evaluation.objects.filter(
        suggestion_id=OuterRef("pk"), kind=Evaluation.Kind.DEPUTY
    ).order_by("-round", "-pk")
    public_votes = Evaluation.objects.filter(
        suggestion_id=OuterRef("pk"), kind=Evaluation.Kind.PUBLIC
    )
    positive = public_votes.filter(
        result__in=(Evaluation.Result.SATISFIED, Evaluation.Result.BASICALLY)
    )

    def count_of(queryset):
        return Subquery(
            queryset.order_by().values("suggestion_id").annotate(n=Count("pk")).values("n")[:1],
            output_field=IntegerField(),
        )

    return (
        # The county's public pages publish the county congress's suggestions.
        Suggestion.objects.filter(
            congress=county,
            congress_level=Suggestion.Congress.COUNTY,
            status=PUBLISHED_SUGGESTION,
        )
        .only("pk", "number", "title", "category", "county_id", "round", "lead_deputy_id")
        .select_related(None)
        .annotate(
            unit_name=Subquery(lead.values("unit__name")[:1]),
            reply_code=Subquery(reply.values("category__code")[:1]),
            reply_category=Subquery(reply.values("category__name")[:1]),
            reply_text=Subquery(reply.values("text")[:1]),
            replied_on=Subquery(reply.values("replied_on")[:1]),
            deputy_result=Subquery(deputy_evaluation.values("result")[:1]),
            public_votes=count_of(public_votes),
            public_positive=count_of(positive),
        )
        .order_by("-replied_on", "-pk")
    )


def suggestion_results_of(suggestions) -> None:
    """Readable labels for the annotated results."""
    results = dict(Evaluation.Result.choices)
    for suggestion in suggestions:
        suggestion.deputy_result_label = results.get(suggestion.deputy_result, "")


def station_wall(station: Station, *, limit: int = 10) -> dict:
    """What the station's deputies did, for its showcase wall (履职风采墙)."""
    receptions = reception_totals(Reception.objects.filter(station=station))
    wishes = SmallWish.objects.filter(station=station, status=SmallWish.Status.FULFILLED)
    suggestions = list(
        published_suggestions(station.county).filter(lead_deputy__station=station)[:limit]
    )
    suggestion_results_of(suggestions)
    return {
        "deputies": list(public_deputies().filter(in_office_condition(), station=station)),
        "reception_count": receptions.receptions,
        "voters_received": receptions.voters_received,
        "activities": list(
            StationActivity.objects.filter(station=station)
            .only("pk", "station_id", "kind", "date", "theme", "people_reached")
            .prefetch_related(Prefetch("deputies", queryset=Deputy.objects.only("pk", "name")))
            .order_by("-date", "-pk")[:limit]
        ),
        "activity_count": StationActivity.objects.filter(station=station).count(),
        "wish_count": wishes.count(),
        "wishes": list(
            wishes.only("pk", "content", "fulfilled_on", "claimed_by__name")
            .select_related("claimed_by")
            .order_by("-fulfilled_on", "-pk")[:limit]
        ),
        "suggestions": suggestions,
        "stories": list(
            DutyStory.objects.filter(station=station, is_published=True).order_by(
                "-published_on", "-pk"
            )[:limit]
        ),
    }


def published_stories(county: Region) -> QuerySet[DutyStory]:
    return (
        DutyStory.objects.filter(county=county, is_published=True)
        .select_related("station")
        .order_by("-published_on", "-pk")
    )


# Tracking an opinion ----------------------------------------------------------------------------


def opinion_by_code(code: str) -> Opinion | None:
    """The opinion of a tracking code with its timeline, or None (whatever the reason)."""
    code = canonical(code or "")
    if not code or len(code) > 64:
        return None
    return (
        Opinion.objects.select_related("township", "station", "handling_unit")
        .prefetch_related(
            Prefetch(
                "events",
                queryset=OpinionEvent.objects.only(
                    "pk", "opinion_id", "at", "from_status", "to_status"
                ),
            )
        )
        .filter(tracking_code=code)
        .first()
    )


# Figures ------------------------------------------------------------------------------------------


def online_opinion_of(opinion: Opinion) -> OnlineOpinion | None:
    """What a sender sent on 民意直通车 with the opinion (None for other channels)."""
    return OnlineOpinion.objects.filter(opinion=opinion).first()


def public_figures(county: Region, *, period: Period, today: datetime.date | None = None) -> dict:
    """The county's headline figures, live. Suggestion figures come from suggestions.statistics
    for ``period`` (本届以来 by default on the page: the seed's 换届以来 figures), so they equal the
    staff statistics page for the same period."""
    today = today or timezone.localdate()
    stations = Station.objects.filter(county=county, is_active=True).aggregate(
        homes=Count("pk", filter=Q(kind=Station.Kind.HOME)),
        liaisons=Count("pk", filter=Q(kind=Station.Kind.LIAISON)),
    )
    receptions = reception_totals(Reception.objects.filter(station__county=county))
    opinions = Opinion.objects.filter(county=county).aggregate(
        total=Count("pk"), answered=Count("pk", filter=Q(status__in=ANSWERED))
    )
    statistics = county_statistics(
        county_id=county.pk,
        start=period.start,
        end=period.end,
        today=today,
    )
    return {
        "homes": stations["homes"],
        "liaisons": stations["liaisons"],
        "deputies": Deputy.objects.in_office().filter(county=county).count(),
        "receptions": receptions.receptions,
        "voters_received": receptions.voters_received,
        "opinions": opinions["total"],
        "opinions_answered": opinions["answered"],
        "wishes_fulfilled": SmallWish.objects.filter(
            station__county=county, status=SmallWish.Status.FULFILLED
        ).count(),
        "statistics": statistics,
    }


def bar_chart(rows: list[tuple[str, int, int]], *, width: int = 340, bar: int = 14) -> dict:
    """Geometry of a two-series horizontal bar chart (supervised / solved per category),
    drawn as inline SVG by the template: no script, no style attribute."""
    label_width, gap = 88, 10
    top = max([a for _label, a, _b in rows] + [1])
    span = width - label_width - 36
    items = []
    for index, (label, first, second) in enumerate(rows):
        y = index * (2 * bar + gap)
        items.append(
            {
                "label": label,
                "y": y,
                "label_y": y + bar + 4,
                "y2": y + bar,
                "first": first,
                "second": second,
                "first_width": round(span * first / top),
                "second_width": round(span * second / top),
                "first_text_x": label_width + round(span * first / top) + 4,
                "second_text_x": label_width + round(span * second / top) + 4,
                "text_y": y + bar - 3,
                "text_y2": y + 2 * bar - 3,
            }
        )
    return {
        "width": width,
        "height": max(len(rows) * (2 * bar + gap), 1),
        "label_width": label_width,
        "bar": bar,
        "items": items,
    }


# Duty stories (staff) ---------------------------------------------------------------------------


def duty_story_list(*, user: "User") -> QuerySet[DutyStory]:
    return scoped(
        DutyStory.objects.select_related("station", "county", "created_by"), user, "duty_story"
    ).order_by("-published_on", "-pk")


def duty_story_api_list(*, user: "User") -> QuerySet[DutyStory]:
    """The stories in scope with their deputies (the API lists their ids)."""
    return duty_story_list(user=user).prefetch_related("deputies")


def duty_story_get(*, user: "User", pk: int) -> DutyStory:
    from accounts.access import get_for_user

    return get_for_user(
        DutyStory.objects.select_related("station", "county").prefetch_related("deputies"),
        user,
        "duty_story",
        pk=pk,
    )


class DutyStoryFilter(PortalFilterSet):
    q = django_filters.CharFilter(label=_("标题"), field_name="title", lookup_expr="icontains")
    is_published = django_filters.BooleanFilter(label=_("已公开"))
    station = django_filters.NumberFilter(label=_("家站"), field_name="station_id")
    published_after = django_filters.DateFilter(
        label=_("刊发日期起"), field_name="published_on", lookup_expr="gte"
    )
    published_before = django_filters.DateFilter(
        label=_("刊发日期止"), field_name="published_on", lookup_expr="lte"
    )

    class Meta:
        model = DutyStory
        fields = ["q", "is_published", "station", "published_after", "published_before"]


# 三公开 of duty reports, and oversight results ------------------------------------------------


def disclosed_campaign(county: Region) -> ReportCampaign | None:
    """The latest duty-report campaign of the county with anything published (one query)."""
    published = DutyReport.objects.filter(campaign=OuterRef("pk")).filter(
        Q(report_published_at__isnull=False) | Q(result_published_at__isnull=False)
    )
    return (
        ReportCampaign.objects.filter(county=county)
        .filter(Exists(published))
        # A year may have the county office's campaign and townships' ones: the county's first.
        .order_by("-year", F("township").asc(nulls_first=True), "pk")
        .first()
    )


def published_duty_reports(campaign: ReportCampaign) -> QuerySet[DutyReport]:
    """Reports whose report or result staff approved for publication; each part shows only if
    its own approval was given (the template checks)."""
    return (
        DutyReport.objects.filter(campaign=campaign)
        .filter(Q(report_published_at__isnull=False) | Q(result_published_at__isnull=False))
        .select_related("deputy__station")
        .only(
            "pk",
            "deputy__name",
            "deputy__station__name",
            "onsite_date",
            "onsite_place",
            "voters_present",
            "written_text",
            "live_link",
            "live_viewers",
            "report_published_at",
            "result_published_at",
            "voter_votes",
            "peer_votes",
            "organisation_votes",
            "total_score",
            "grade",
        )
        .order_by("deputy__station__township__code", "deputy__name", "pk")
    )


def published_rectifications(campaign: ReportCampaign) -> QuerySet[Rectification]:
    return (
        Rectification.objects.filter(report__campaign=campaign, published_at__isnull=False)
        .select_related("report__deputy")
        .only(
            "pk",
            "report__deputy__name",
            "problem",
            "measure",
            "deadline",
            "status",
            "evidence",
            "done_on",
        )
        .order_by("deadline", "pk")
    )


def published_excellent(campaign: ReportCampaign) -> list[ExcellentCandidate]:
    return list(
        ExcellentCandidate.objects.filter(campaign=campaign, published_at__isnull=False)
        .select_related("deputy__station")
        .only("pk", "deputy__name", "deputy__station__name", "grade")
        .order_by("deputy__name", "pk")
    )


def published_topics(county: Region) -> list[SupervisionTopic]:
    """Supervision topics whose result was published, with the rating (one query)."""
    return list(
        SupervisionTopic.objects.filter(county=county, published_on__isnull=False)
        .select_related("unit", "rating")
        .order_by("-published_on", "-pk")[:50]
    )


def published_inquiries(county: Region) -> list[Inquiry]:
    """专题询问 whose summary staff published (one query)."""
    return list(
        Inquiry.objects.filter(county=county, published_on__isnull=False)
        .only("pk", "subject", "date", "publication", "published_on")
        .order_by("-published_on", "-pk")[:50]
    )


def published_review_opinions(county: Region) -> list[ReviewOpinion]:
    """审议意见 whose result staff published, with the body (one query). The vote's totals are
    in the published text staff wrote; who voted what is nowhere."""
    return list(
        ReviewOpinion.objects.filter(county=county, published_on__isnull=False)
        .select_related("unit")
        .only(
            "pk",
            "report_title",
            "unit__name",
            "result",
            "publication",
            "published_on",
        )
        .order_by("-published_on", "-pk")[:50]
    )
