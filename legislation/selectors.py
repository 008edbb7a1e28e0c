"""Reads of 立法意见征集, scoped to the user: drafts reach the stations and deputies they were sent
to; opinions are read by the station or deputy that gave them, and county-wide by staff."""

from collections import Counter
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

import django_filters
from django.db.models import Count, OuterRef, Q, QuerySet, Subquery
from django.db.models.functions import Coalesce
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts.access import can, get_for_change, get_for_user, scoped
from core.codes import canonical
from core.filters import PortalFilterSet
from directory.models import Region, Station
from stations.models import Opinion

from .models import ArticleSummary, Draft, LegislativeOpinion, LiaisonPoint

if TYPE_CHECKING:
    from accounts.models import User


def draft_list(*, user: "User") -> QuerySet[Draft]:
    """The drafts in scope, each with its number of opinions (all channels)."""
    return (
        scoped(Draft.objects.all(), user, "legislative_draft")
        .annotate(opinion_count=Count("opinions"))
        .order_by("-published_on", "-pk")
    )


def draft_get(*, user: "User", pk: int) -> Draft:
    return get_for_user(
        Draft.objects.select_related("county", "published_by"), user, "legislative_draft", pk=pk
    )


def draft_get_for_change(*, user: "User", pk: int) -> Draft:
    """A draft staff act on: 404 outside the scope, 403 for who may read but not manage it."""
    return get_for_change(
        Draft.objects.select_related("county"),
        user,
        "legislative_draft",
        "legislative_draft.manage",
        pk=pk,
    )


class DraftFilter(PortalFilterSet):
    # 已截止 includes drafts still marked 征集中 whose deadline has passed, as the list shows them.
    status = django_filters.ChoiceFilter(
        label=_("状态"), choices=Draft.Status.choices, method="filter_status"
    )
    level = django_filters.ChoiceFilter(label=_("层级"), choices=Draft.Level.choices)
    q = django_filters.CharFilter(label=_("草案名称"), method="filter_q")

    class Meta:
        model = Draft
        fields = ["status", "level", "q"]

    def filter_status(self, queryset, name, value):
        today = timezone.localdate()
        if value == Draft.Status.OPEN:
            return queryset.filter(status=value, deadline__gte=today)
        if value == Draft.Status.CLOSED:
            return queryset.filter(
                Q(status=value) | Q(status=Draft.Status.OPEN, deadline__lt=today)
            )
        return queryset.filter(status=value)

    def filter_q(self, queryset, name, value):
        return queryset.filter(Q(title__icontains=value) | Q(issuer__icontains=value))


def opinion_list(*, user: "User") -> QuerySet[LegislativeOpinion]:
    return scoped(
        LegislativeOpinion.objects.select_related(
            "draft", "deputy", "station__township", "source_opinion"
        ),
        user,
        "legislative_opinion",
    ).order_by("draft_id", "article", "created_at", "pk")


def draft_opinions(*, user: "User", draft: Draft) -> QuerySet[LegislativeOpinion]:
    """The draft's opinions the user reads (all of them for county staff)."""
    return opinion_list(user=user).filter(draft=draft)


class LegislativeOpinionFilter(PortalFilterSet):
    channel = django_filters.ChoiceFilter(
        label=_("来源"), choices=LegislativeOpinion.Channel.choices
    )
    article = django_filters.CharFilter(label=_("涉及条款"))

    class Meta:
        model = LegislativeOpinion
        fields = ["draft", "channel", "article", "station", "deputy"]


_DIGITS = {c: i for i, c in enumerate("零一二三四五六七八九")} | {"两": 2, "〇": 0}
_UNITS = {"十": 10, "百": 100, "千": 1000}


def _chinese_number(text: str) -> int | None:
    """二十五 → 25, 一百零三 → 103, 12 → 12; None for anything else."""
    if text.isdigit():
        return int(text)
    total, digit = 0, None
    for char in text:
        if char in _DIGITS:
            digit = _DIGITS[char]
        elif char in _UNITS:
            total += (1 if digit is None else digit) * _UNITS[char]
            digit = None
        else:
            return None
    return total + (digit or 0) if text else None


def article_key(article: str) -> tuple:
    """Order articles as the law does: general opinions first, then 第二条 before 第十二条 (by
    number), then anything not written as 第…条."""
    if not article:
        return (0, 0, "")
    if article.startswith("第") and "条" in article:
        number = _chinese_number(article[1 : article.index("条")].strip())
        if number is not None:
            return (1, number, article)
    return (2, 0, article)


@dataclass
class ArticleGroup:
    """The opinions on one article and staff's summary of them."""

    article: str
    opinions: list[LegislativeOpinion] = field(default_factory=list)
    summary: ArticleSummary | None = None
    channels: Counter = field(default_factory=Counter)


def opinions_by_article(opinions: QuerySet[LegislativeOpinion], draft: Draft) -> list[ArticleGroup]:
    """Group the opinions by article (the general ones, without an article, first), with the
    summaries of the articles: two queries whatever the number of opinions."""
    groups: dict[str, ArticleGroup] = {}
    for opinion in opinions:
        group = groups.setdefault(opinion.article, ArticleGroup(opinion.article))
        group.opinions.append(opinion)
        group.channels[opinion.channel] += 1
    for summary in draft.article_summaries.all():
        groups.setdefault(summary.article, ArticleGroup(summary.article)).summary = summary
    return [groups[key] for key in sorted(groups, key=article_key)]


def recordable_stations(*, user: "User", draft: Draft) -> QuerySet[Station]:
    """The stations the user keeps that the draft was sent to (the keeper's form choices)."""
    if not can(user, "legislative_opinion.record"):
        return Station.objects.none()
    stations = scoped(Station.objects.filter(is_active=True), user, "station")
    if not draft.all_stations:
        stations = stations.filter(pk__in=draft.stations.values("pk"))
    return stations.filter(county_id=draft.county_id).order_by("township__code", "name")


def online_opinion_by_code(*, user: "User", code: str) -> Opinion | None:
    """The online opinion staff route by its tracking code, in their scope (None else)."""
    return (
        scoped(Opinion.objects.filter(channel=Opinion.Channel.ONLINE), user, "opinion")
        .filter(tracking_code=canonical(code))
        .first()
    )


def draft_stations(draft: Draft) -> QuerySet[Station]:
    return draft.stations.select_related("township").order_by("township__code", "name")


# The public side ------------------------------------------------------------------------------


def public_open_drafts(county: Region) -> QuerySet[Draft]:
    """Drafts of the county open for comment today."""
    return Draft.objects.filter(
        county=county, status=Draft.Status.OPEN, deadline__gte=timezone.localdate()
    ).order_by("deadline", "pk")


def public_draft_get(county: Region, pk: int) -> Draft:
    draft = public_open_drafts(county).filter(pk=pk).first()
    if draft is None:
        raise Http404
    return draft


def liaison_point_of(station: Station) -> LiaisonPoint | None:
    return LiaisonPoint.objects.filter(station=station).first()


def liaison_point_list(*, county: Region) -> QuerySet[LiaisonPoint]:
    """The county's 基层立法联系点 with how many opinions each has recorded on drafts (the page
    is the managers'; the view checks the action first)."""
    opinions = LegislativeOpinion.objects.filter(station_id=OuterRef("station_id")).values(
        "station_id"
    )
    return (
        LiaisonPoint.objects.filter(station__county=county)
        .select_related("station__township")
        .annotate(
            opinion_count=Coalesce(Subquery(opinions.annotate(n=Count("pk")).values("n")[:1]), 0)
        )
        .order_by("station__township__code", "station__name")
    )


def liaison_point_get(*, county: Region, pk: int) -> LiaisonPoint:
    point = LiaisonPoint.objects.filter(station__county=county, pk=pk).first()
    if point is None:
        raise Http404
    return point


def county_stations(county_id: int | None) -> QuerySet[Station]:
    """The stations a draft may be sent to (the publishing form's choices)."""
    return (
        Station.objects.filter(county_id=county_id, is_active=True)
        .select_related("township")
        .order_by("township__code", "kind", "name")
    )


def liaison_station_ids(county_id: int | None) -> set[int]:
    return set(
        LiaisonPoint.objects.filter(station__county_id=county_id).values_list(
            "station_id", flat=True
        )
    )


def publishing_county(*, user: "User") -> Region:
    """The county a user publishes drafts for: their own (the administrator: the first)."""
    county = Region.objects.filter(level=Region.Level.COUNTY)
    if user.scope.county is not None:
        county = county.filter(pk=user.scope.county)
    found = county.order_by("code").first()
    if found is None:
        raise Http404
    return found
