"""Reads of 选民走访日 plans and 代表信箱 (with their openings and coverage), scoped to the user."""

from dataclasses import dataclass
from typing import TYPE_CHECKING

import django_filters
from django.db.models import Count, Max, OuterRef, Prefetch, Q, QuerySet, Subquery
from django.utils.translation import gettext_lazy as _

from accounts.access import can, get_for_user, scoped
from core.filters import PortalFilterSet
from directory.models import Deputy, Region, Station
from directory.selectors import stations_of, townships_of

from ..models import Mailbox, MailboxOpening, VisitDay
from .receptions import ReceptionDayFilter

if TYPE_CHECKING:
    from accounts.models import User


def _deputy_names() -> Prefetch:
    return Prefetch("deputies", queryset=Deputy.objects.only("id", "name").order_by("name"))


def visit_day_list(*, user: "User") -> QuerySet[VisitDay]:
    return scoped(
        VisitDay.objects.select_related("station__township", "activity").prefetch_related(
            _deputy_names()
        ),
        user,
        "visit_day",
    )


def visit_day_get(*, user: "User", pk: int) -> VisitDay:
    return get_for_user(
        VisitDay.objects.select_related("station__township", "activity"),
        user,
        "visit_day",
        pk=pk,
    )


def plannable_stations(*, user: "User") -> QuerySet[Station]:
    """Stations whose visit days the user plans: the stations they keep."""
    if not can(user, "visit_day.edit"):
        return Station.objects.none()
    return scoped(Station.objects.filter(is_active=True), user, "station").order_by("name")


def stationed_deputies(station: Station) -> QuerySet[Deputy]:
    return (
        Deputy.objects.in_office()
        .filter(station=station)
        .only("id", "name")
        .order_by("name_pinyin", "pk")
    )


class VisitDayFilter(ReceptionDayFilter):
    """The reception days' filter (township, station, status, dates) over visit days."""

    status = django_filters.ChoiceFilter(
        label=_("状态"), choices=VisitDay.Status.choices, empty_label=_("全部")
    )

    class Meta:
        model = VisitDay
        fields = ["township", "station", "status", "date_from", "date_to"]


# 代表信箱 ------------------------------------------------------------------------------------


def mailbox_list(*, user: "User") -> QuerySet[Mailbox]:
    """Mailboxes in scope with their keeping station, openers, last opening and openings."""
    return scoped(
        Mailbox.objects.select_related("township", "village", "station")
        .prefetch_related(
            Prefetch("openers", queryset=Deputy.objects.only("id", "name").order_by("name"))
        )
        .annotate(last_opened=Max("openings__opened_on"), opening_count=Count("openings")),
        user,
        "mailbox",
    ).order_by("township__code", "village__code", "pk")


def mailbox_get(*, user: "User", pk: int) -> Mailbox:
    return get_for_user(
        Mailbox.objects.select_related("township", "village", "station").prefetch_related(
            Prefetch("openers", queryset=Deputy.objects.only("id", "name").order_by("name"))
        ),
        user,
        "mailbox",
        pk=pk,
    )


def mailbox_openings(mailbox: Mailbox) -> QuerySet[MailboxOpening]:
    return mailbox.openings.select_related("opener", "logged_by")


def opening_list(*, user: "User") -> QuerySet[MailboxOpening]:
    return scoped(MailboxOpening.objects.select_related("mailbox", "opener"), user, "mailbox")


class MailboxFilter(PortalFilterSet):
    township = django_filters.ModelChoiceFilter(
        label=_("乡镇(街道)"),
        field_name="township",
        queryset=townships_of,  # type: ignore[arg-type]
        empty_label=_("全部乡镇"),
    )
    level = django_filters.ChoiceFilter(
        label=_("设置层级"),
        choices=[("township", _("乡镇(街道)")), ("village", _("村(社区)"))],
        method="filter_level",
        empty_label=_("全部"),
    )
    station = django_filters.ModelChoiceFilter(
        label=_("所属家站"),
        queryset=stations_of,  # type: ignore[arg-type]
        empty_label=_("全部家站"),
    )
    is_active = django_filters.BooleanFilter(label=_("在用"))

    class Meta:
        model = Mailbox
        fields = ["township", "level", "station", "is_active"]

    def filter_level(self, queryset, name, value):
        if value == "township":
            return queryset.filter(village__isnull=True)
        if value == "village":
            return queryset.filter(village__isnull=False)
        return queryset


@dataclass(frozen=True)
class MailboxCoverage:
    township: Region
    has_township_box: bool
    villages: int
    villages_covered: int

    @property
    def percent(self) -> int:
        return round(100 * self.villages_covered / self.villages) if self.villages else 100

    @property
    def complete(self) -> bool:
        return self.has_township_box and self.villages_covered == self.villages


def mailbox_coverage(*, user: "User") -> list[MailboxCoverage]:
    """全覆盖 per township in the user's scope: a mailbox in the township itself, and how many of
    its villages and communities have one. Two queries whatever the number of townships."""
    mailboxes = scoped(Mailbox.objects.filter(is_active=True), user, "mailbox")
    townships = (
        Region.objects.filter(
            level=Region.Level.TOWNSHIP,
            pk__in=scoped(Station.objects.all(), user, "station").values("township_id"),
        )
        .annotate(
            villages=Count("children", filter=Q(children__level=Region.Level.VILLAGE)),
            township_boxes=Subquery(
                mailboxes.filter(township=OuterRef("pk"), village__isnull=True)
                .values("township")
                .annotate(n=Count("pk"))
                .values("n")[:1]
            ),
        )
        .order_by("code")
    )
    covered: dict[int, int] = {}
    for row in (
        mailboxes.filter(village__isnull=False)
        .values("township_id")
        .annotate(n=Count("village", distinct=True))
        .order_by()
    ):
        covered[row["township_id"]] = row["n"]
    return [
        MailboxCoverage(
            township=township,
            has_township_box=bool(township.township_boxes),
            villages=township.villages,
            villages_covered=covered.get(township.pk, 0),
        )
        for township in townships
    ]
