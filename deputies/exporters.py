"""Exports of the duty archive: the year's scores of every deputy in the user's scope, and one
deputy's archive (score lines and every record with its points). Rows stream from the database
(``.iterator()``) into core.excel's constant-memory, formula-safe writer."""

import types

from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from accounts.access import can_read
from core.errors import DomainError
from core.exports import CHUNK_SIZE, Exporter, Sheet, register
from core.filters import query_int

from . import selectors
from .models import DutyRecord, DutyScore, ScoringScheme
from .scoring import record_points, scheme_for

FILTER_FIELDS = ("township", "station", "group", "level", "q")


def _year(data) -> int:
    year = query_int(data.get("year"), minimum=2000, maximum=timezone.localdate().year)
    if year is None:
        raise DomainError(_("请选择2000年至今年之间的年度。"), field="year")
    return year


class ScoreSheet(Sheet):
    verbose_name = gettext_lazy("考核得分")
    headers = [
        (gettext_lazy("名次"), 6),
        (gettext_lazy("代表"), 12),
        (gettext_lazy("乡镇(街道)"), 16),
        (gettext_lazy("进驻家站"), 26),
        (gettext_lazy("总分"), 10),
        (gettext_lazy("联系群众"), 10),
        (gettext_lazy("建议质量"), 10),
        (gettext_lazy("参加活动"), 10),
        (gettext_lazy("履职记录数"), 10),
    ]

    def queryset(self):
        return self.exporter.filtered()

    def count(self) -> int:
        return self.queryset().count()

    def rows(self):
        """Ranked as on the page: by total, equal totals sharing a rank (1, 1, 3), deputies with
        too few records marked 未排名."""
        min_records = self.exporter.scheme().min_records
        scores = (
            self.queryset()
            .order_by("-total", "deputy__name", "pk")
            .values_list(
                "acts",
                "deputy__name",
                "deputy__station__township__name",
                "deputy__station__name",
                "total",
                "contact",
                "suggestion",
                "activity",
            )
        )
        position, rank, last_total = 0, 0, None
        for acts, name, township, station, total, *dimensions in scores.iterator(
            chunk_size=CHUNK_SIZE
        ):
            if acts >= min_records:
                position += 1
                if total != last_total:
                    rank, last_total = position, total
                shown = rank
            else:
                shown = _("未排名")
            yield [shown, name, township, station, total, *dimensions, acts]


class ScoreItemSheet(Sheet):
    verbose_name = gettext_lazy("得分明细")
    headers = [
        (gettext_lazy("代表"), 12),
        (gettext_lazy("考核维度"), 10),
        (gettext_lazy("履职类别"), 16),
        (gettext_lazy("次数"), 8),
        (gettext_lazy("计分"), 10),
        (gettext_lazy("年度上限"), 10),
        (gettext_lazy("得分"), 10),
    ]

    def queryset(self):
        return self.exporter.filtered()

    def count(self) -> int:
        return self.queryset().count()

    def rows(self):
        scores = self.queryset().select_related("deputy").order_by("deputy__name", "deputy_id")
        for score in scores.iterator(chunk_size=CHUNK_SIZE):
            for line in score.lines():
                yield [
                    score.deputy.name,
                    line.group_label,
                    line.kind_label,
                    line.acts,
                    line.raw_points,
                    line.cap,
                    line.points,
                ]


@register
class DutyScoresExporter(Exporter):
    identifier = "duty_scores"
    verbose_name = gettext_lazy("履职考核得分")
    sheet_classes = (ScoreSheet, ScoreItemSheet)

    @classmethod
    def allowed(cls, user) -> bool:
        return can_read(user, "duty_overview")

    @classmethod
    def clean_params(cls, user, data) -> dict:
        filters = {name: data.get(name) for name in FILTER_FIELDS if data.get(name)}
        year = _year(data)
        filterset = cls._filterset(user, year, filters)
        if not filterset.is_valid():
            raise DomainError(_("筛选条件有误,请检查后再导出。"))
        return {"year": year, "filters": filters}

    @staticmethod
    def _filterset(user, year, filters):
        return selectors.ScoreFilter(
            filters,
            queryset=selectors.score_list(user=user, year=year),
            request=types.SimpleNamespace(user=user, GET=filters),
        )

    @property
    def year(self) -> int:
        return self.params["year"]

    def scheme(self) -> ScoringScheme:
        return scheme_for(self.year)

    def filtered(self):
        return self._filterset(self.user, self.year, self.params.get("filters", {})).qs

    def title(self) -> str:
        return _("%(year)d年人大代表履职考核得分") % {"year": self.year}

    def filename(self) -> str:
        return f"履职考核得分-{self.year}.xlsx"


class ArchiveRecordSheet(Sheet):
    verbose_name = gettext_lazy("履职记录")
    headers = [
        (gettext_lazy("日期"), 12),
        (gettext_lazy("类别"), 16),
        (gettext_lazy("事项"), 50),
        (gettext_lazy("计分"), 10),
    ]

    def queryset(self):
        return DutyRecord.objects.filter(
            deputy=self.exporter.deputy, occurred_on__year=self.exporter.year
        ).order_by("occurred_on", "pk")

    def count(self) -> int:
        return self.queryset().count()

    def rows(self):
        scheme = self.exporter.scheme
        records = self.queryset().only("occurred_on", "kind", "title", "grade")
        for record, points in record_points(scheme, records.iterator(chunk_size=CHUNK_SIZE)):
            yield [record.occurred_on, record.get_kind_display(), record.title, points]


class ArchiveItemSheet(ScoreItemSheet):
    verbose_name = gettext_lazy("得分构成")

    def queryset(self):
        return DutyScore.objects.filter(year=self.exporter.year, deputy=self.exporter.deputy)


@register
class DeputyArchiveExporter(Exporter):
    identifier = "deputy_archive"
    verbose_name = gettext_lazy("代表履职档案")
    sheet_classes = (ArchiveItemSheet, ArchiveRecordSheet)

    @classmethod
    def clean_params(cls, user, data) -> dict:
        year = _year(data)
        deputy_id = query_int(data.get("deputy"))
        if deputy_id is None:
            raise DomainError(_("请选择代表。"), field="deputy")
        from django.http import Http404

        try:
            selectors.archive_deputy(user=user, pk=deputy_id)
        except Http404:
            raise DomainError(_("没有这名代表,或您无权查看其履职档案。")) from None
        return {"year": year, "deputy": deputy_id}

    @classmethod
    def allowed(cls, user) -> bool:
        return can_read(user, "duty_score")

    def __init__(self, *, user, params) -> None:
        super().__init__(user=user, params=params)
        self.year = params["year"]
        self.deputy = selectors.archive_deputy(user=user, pk=params["deputy"])
        self.scheme = scheme_for(self.year)

    def title(self) -> str:
        return _("%(name)s %(year)d年履职档案") % {"name": self.deputy.name, "year": self.year}

    def filename(self) -> str:
        return f"履职档案-{self.deputy.name}-{self.year}.xlsx"
