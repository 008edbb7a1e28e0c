"""Exports of station work. The station ledger (家站台账) for a year is a workbook laid out like the
ledger book kept on paper: one sheet per section, each a small class below with its identifier,
sheet name, headers and a generator of rows. Rows stream from the database (``.iterator()``, a
fixed number of queries per sheet) into core.excel's constant-memory, formula-safe writer.

Every sheet reads through accounts.access with the exporting user, so a deputy's export holds
only their own receptions, exactly as the pages show them. Names of voters and wish persons are
masked (core.masking)."""

import abc
import datetime
import itertools
from collections.abc import Iterator
from operator import itemgetter
from typing import IO, Any

from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from accounts.access import scoped
from core.excel import add_table_sheet, new_workbook
from core.masking import mask_name
from core.queries import related_count
from directory.models import Station

from .models import Opinion, Reception, SmallWish, StationActivity

# Rows fetched per round trip while streaming.
CHUNK_SIZE = 500


def _local_date(moment: datetime.datetime | None) -> datetime.date | None:
    return timezone.localtime(moment).date() if moment else None


class LedgerSheet(abc.ABC):
    """One section of the station ledger for one year."""

    identifier: str
    verbose_name: str  # the sheet's name
    resource: str  # accounts.access resource the rows are read through
    headers: list[tuple[str, int]]  # (label, column width)

    def __init__(self, *, user, station: Station, year: int) -> None:
        self.user, self.station, self.year = user, station, year

    def title(self) -> str:
        return _("%(station)s %(year)d年 %(section)s") % {
            "station": self.station.name,
            "year": self.year,
            "section": self.verbose_name,
        }

    def column_headers(self) -> list[tuple[str, int]]:
        return [(str(label), width) for label, width in self.headers]

    def scoped(self, queryset: QuerySet) -> QuerySet:
        return scoped(queryset, self.user, self.resource)

    @abc.abstractmethod
    def rows(self) -> Iterator[list[Any]]:
        """The sheet's rows, streamed from the database."""


class ReceptionSheet(LedgerSheet):
    identifier = "receptions"
    verbose_name = gettext_lazy("接待记录")
    resource = "reception"
    headers = [
        (gettext_lazy("接待日期"), 12),
        (gettext_lazy("接待代表"), 12),
        (gettext_lazy("接待选民人数"), 14),
        (gettext_lazy("接待情况"), 60),
        (gettext_lazy("意见条数"), 10),
    ]

    def rows(self):
        receptions = (
            self.scoped(
                Reception.objects.filter(station=self.station, reception_day__date__year=self.year)
            )
            .annotate(opinion_count=related_count(Opinion, "reception"))
            .order_by("reception_day__date", "pk")
            .values_list(
                "reception_day__date", "deputy__name", "voters_received", "summary", "opinion_count"
            )
        )
        for row in receptions.iterator(chunk_size=CHUNK_SIZE):
            yield list(row)


def _deputy_names(pairs) -> Iterator[tuple[int, str]]:
    """(activity id, "张三、李四") from (activity id, deputy name) pairs sorted by activity."""
    for activity_id, group in itertools.groupby(pairs, key=itemgetter(0)):
        yield activity_id, "、".join(name for _id, name in group)


class ActivitySheet(LedgerSheet):
    identifier = "activities"
    verbose_name = gettext_lazy("活动台账")
    resource = "activity"
    headers = [
        (gettext_lazy("活动日期"), 12),
        (gettext_lazy("类型"), 14),
        (gettext_lazy("主题"), 30),
        (gettext_lazy("参加代表"), 30),
        (gettext_lazy("参与群众人数"), 14),
        (gettext_lazy("活动情况"), 60),
    ]

    def rows(self):
        activities = self.scoped(
            StationActivity.objects.filter(station=self.station, date__year=self.year)
        ).order_by("date", "pk")
        # Two streams in the same order, merged here: the participating deputies come from one
        # query over the link table instead of one query per chunk of activities.
        links = (
            StationActivity.deputies.through.objects.filter(
                stationactivity__in=activities.values("pk")
            )
            .order_by("stationactivity__date", "stationactivity_id", "deputy__name")
            .values_list("stationactivity_id", "deputy__name")
        )
        names = _deputy_names(links.iterator(chunk_size=CHUNK_SIZE))
        pending = next(names, None)
        kinds = dict(StationActivity.Kind.choices)
        fields = ("pk", "date", "kind", "theme", "people_reached", "summary")
        for pk, date, kind, theme, people, summary in activities.values_list(*fields).iterator(
            chunk_size=CHUNK_SIZE
        ):
            deputies = ""
            if pending is not None and pending[0] == pk:
                deputies = pending[1]
                pending = next(names, None)
            yield [date, str(kinds.get(kind, kind)), theme, deputies, people, summary]


class OpinionSheet(LedgerSheet):
    identifier = "opinions"
    verbose_name = gettext_lazy("群众意见")
    resource = "opinion"
    headers = [
        (gettext_lazy("受理日期"), 12),
        (gettext_lazy("渠道"), 14),
        (gettext_lazy("类别"), 12),
        (gettext_lazy("意见内容"), 60),
        (gettext_lazy("办理状态"), 10),
        (gettext_lazy("反映人"), 10),
    ]

    def rows(self):
        opinions = (
            self.scoped(Opinion.objects.filter(station=self.station, created_at__year=self.year))
            .order_by("created_at", "pk")
            .only("created_at", "channel", "category", "content", "status", "voter_name")
        )
        for opinion in opinions.iterator(chunk_size=CHUNK_SIZE):
            yield [
                _local_date(opinion.created_at),
                opinion.get_channel_display(),
                opinion.get_category_display(),
                opinion.content,
                opinion.get_status_display(),
                mask_name(opinion.voter_name),
            ]


class SmallWishSheet(LedgerSheet):
    identifier = "small_wishes"
    verbose_name = gettext_lazy("微心愿")
    resource = "small_wish"
    headers = [
        (gettext_lazy("登记日期"), 12),
        (gettext_lazy("心愿人"), 10),
        (gettext_lazy("心愿内容"), 50),
        (gettext_lazy("状态"), 10),
        (gettext_lazy("认领代表"), 12),
        (gettext_lazy("实现日期"), 12),
    ]

    def rows(self):
        wishes = (
            self.scoped(SmallWish.objects.filter(station=self.station, created_at__year=self.year))
            .select_related("claimed_by")
            .order_by("created_at", "pk")
            .only(
                "created_at",
                "person_name",
                "content",
                "status",
                "fulfilled_on",
                "claimed_by",
                "claimed_by__name",
            )
        )
        for wish in wishes.iterator(chunk_size=CHUNK_SIZE):
            yield [
                _local_date(wish.created_at),
                mask_name(wish.person_name),
                wish.content,
                wish.get_status_display(),
                wish.claimed_by.name if wish.claimed_by else "",
                wish.fulfilled_on,
            ]


LEDGER_SHEETS: tuple[type[LedgerSheet], ...] = (
    ReceptionSheet,
    ActivitySheet,
    OpinionSheet,
    SmallWishSheet,
)


def ledger_workbook(output: IO[bytes], *, user, station: Station, year: int) -> None:
    """Write the station's ledger for ``year`` into ``output`` as an .xlsx workbook."""
    workbook = new_workbook(output)
    for sheet_class in LEDGER_SHEETS:
        sheet = sheet_class(user=user, station=station, year=year)
        writer = add_table_sheet(
            workbook, str(sheet.verbose_name), sheet.column_headers(), title=sheet.title()
        )
        for row in sheet.rows():
            writer.append(row)
    workbook.close()
