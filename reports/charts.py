"""The county charts of the staff dashboard: each chart is a few labelled numbers, each number
with the filtered list behind it, so that the figure on the dashboard and the count of the list it
links to are one and the same.

Every figure reuses the selector that owns its definition: suggestion statistics from
``suggestions.statistics``, the monthly reception check from ``stations.selectors.ledger``, the
open opinions and their age bands from the opinion list's filter (``?open=true&age=…``)."""

import datetime
from dataclasses import dataclass
from decimal import Decimal
from urllib.parse import urlencode

from django.db.models import Count, Q, Sum
from django.db.models.functions import ExtractMonth
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.access import can_read, scoped
from directory.models import Deputy, Gender, Level, Occupation
from stations.models import Opinion, Reception
from stations.selectors.ledger import Mark, can_see_compliance, compliance_for
from stations.selectors.opinions import OPEN_STATUSES
from suggestions.models import Suggestion
from suggestions.statistics import suggestion_statistics


@dataclass
class Bar:
    label: str
    value: int
    url: str = ""
    second: int | None = None  # a second series, e.g. the voters received in the month


@dataclass
class Chart:
    key: str
    title: str
    kind: str  # "bar" or "pie", how dashboard.js draws it
    bars: list[Bar]
    url: str = ""  # the list behind the whole chart, if any
    note: str = ""  # a figure shown under the chart, e.g. the satisfaction rate
    second_label: str = ""  # the name of the bars' second series, if they have one

    def data(self) -> dict:
        """What dashboard.js needs: labels, values and the link of each bar."""
        return {
            "kind": self.kind,
            "labels": [bar.label for bar in self.bars],
            "values": [bar.value for bar in self.bars],
            "urls": [bar.url for bar in self.bars],
            "second": [bar.second for bar in self.bars] if self.second_label else [],
            "second_label": self.second_label,
        }


@dataclass
class Overdue:
    suggestions: int
    suggestions_url: str
    opinions: int
    opinions_url: str
    stations_with_gaps: int | None
    stations_url: str


@dataclass
class DashboardCharts:
    year: int
    charts: list[Chart]
    overdue: Overdue
    satisfaction_rate: Decimal | None

    def data(self) -> dict:
        return {chart.key: chart.data() for chart in self.charts}


def _url(name: str, **params) -> str:
    return f"{reverse(name)}?{urlencode(params)}"


def _deputy_charts(*, user, mandates_by_level: list[tuple[str, int]]) -> list[Chart]:
    """Deputies by level (from the area figures, no query), by gender and by occupation (2)."""
    deputies = scoped(Deputy.objects.in_office(), user, "deputy").order_by()
    levels = dict(zip([level.value for level in Level], mandates_by_level, strict=True))
    by_level = [
        Bar(label, n, _url("deputies:list", level=value)) for value, (label, n) in levels.items()
    ]
    charts = [Chart("levels", _("代表层级(在任职务)"), "bar", by_level)]
    for key, title, field_name, choices in (
        ("gender", _("代表性别结构"), "gender", Gender),
        ("occupation", _("代表职业结构"), "occupation", Occupation),
    ):
        counts = dict(deputies.values_list(field_name).annotate(n=Count("pk")))
        bars = [
            Bar(
                choice.label,
                counts.get(choice.value, 0),
                _url("deputies:list", **{field_name: choice.value}),
            )
            for choice in choices
        ]
        charts.append(Chart(key, title, "pie" if key == "gender" else "bar", bars))
    return charts


def _reception_chart(*, user, year: int) -> Chart | None:
    """Receptions and voters received per month of the year (1 query)."""
    if not can_read(user, "reception"):
        return None
    rows = (
        scoped(Reception.objects.filter(reception_day__date__year=year), user, "reception")
        .annotate(month=ExtractMonth("reception_day__date"))
        .order_by()
        .values("month")
        .annotate(n=Count("pk"), voters=Sum("voters_received"))
    )
    by_month = {row["month"]: row for row in rows}
    bars = []
    for month in range(1, 13):
        row = by_month.get(month, {})
        url = _url("stations:reception_list", year=year, month=month)
        label = _("%(month)d月") % {"month": month}
        bars.append(Bar(label, row.get("n", 0), url, second=row.get("voters") or 0))
    return Chart(
        "receptions",
        _("%(year)d年每月接待") % {"year": year},
        "bar",
        bars,
        url=_url("stations:reception_list", year=year),
        second_label=_("接待选民(人次)"),
    )


# The age bands of open opinions, as the opinion list's ``age`` filter names them.
AGE_BANDS = (("7", 7, None), ("7to30", 30, 7), ("older", None, 30))


def _opinion_charts(*, user, opinions_by_status: dict[str, int]) -> list[Chart]:
    """Opinions by status (from the work figures, no query) and open ones by age (1 query)."""
    if not can_read(user, "opinion"):
        return []
    by_status = [
        Bar(
            status.label,
            opinions_by_status[status.label],
            _url("stations:opinion_list", status=status.value),
        )
        for status in Opinion.Status
    ]
    now = timezone.now()
    aggregates = {}
    for value, within, older_than in AGE_BANDS:
        condition = Q()
        if within is not None:
            condition &= Q(created_at__gte=now - datetime.timedelta(days=within))
        if older_than is not None:
            condition &= Q(created_at__lt=now - datetime.timedelta(days=older_than))
        aggregates[value] = Count("pk", filter=condition)
    ages = scoped(Opinion.objects.filter(status__in=OPEN_STATUSES), user, "opinion").aggregate(
        **aggregates
    )
    labels = {"7": _("7天内"), "7to30": _("7至30天"), "older": _("超过30天")}
    by_age = [
        Bar(labels[value], ages[value], _url("stations:opinion_list", open="true", age=value))
        for value, _within, _older in AGE_BANDS
    ]
    return [
        Chart("opinion_status", _("群众意见办理状态"), "pie", by_status),
        Chart(
            "opinion_age",
            _("待办群众意见受理时长"),
            "bar",
            by_age,
            url=_url("stations:opinion_list", open="true"),
        ),
    ]


def _suggestion_chart(*, user, year: int, today: datetime.date):
    """This year's suggestions by status, with the satisfaction rate and the overdue count, as
    the suggestion statistics define them (the statistics' fixed set of queries)."""
    if not can_read(user, "suggestion"):
        return None, None
    statistics = suggestion_statistics(
        user=user, start=datetime.date(year, 1, 1), end=datetime.date(year, 12, 31), today=today
    )
    values = {label: value for value, label in Suggestion.Status.choices}
    bars = [
        Bar(label, n, _url("suggestions:list", status=values[label], year=year))
        for label, n in statistics.by_status
    ]
    rate = statistics.totals.satisfaction_rate
    note = (
        _("代表测评满意率 %(rate)s%%(%(satisfied)d/%(evaluated)d)")
        % {
            "rate": rate,
            "satisfied": statistics.totals.satisfied,
            "evaluated": statistics.totals.evaluated,
        }
        if rate is not None
        else _("尚无代表测评")
    )
    chart = Chart(
        "suggestion_status",
        _("%(year)d年代表建议办理状态") % {"year": year},
        "bar",
        bars,
        url=_url("suggestions:list", year=year),
        note=note,
    )
    return chart, statistics


def dashboard_charts(
    *, user, mandates_by_level, opinions_by_status, today: datetime.date
) -> DashboardCharts:
    """The county charts within the user's scope. Queries: deputies by gender and occupation (2),
    receptions per month (1), open opinions by age (1), the suggestion statistics (8), the
    monthly reception check (3); none of them grows with the data."""
    year = today.year
    charts = _deputy_charts(user=user, mandates_by_level=mandates_by_level)
    reception = _reception_chart(user=user, year=year)
    if reception:
        charts.append(reception)
    opinion_charts = _opinion_charts(user=user, opinions_by_status=opinions_by_status)
    charts += opinion_charts
    suggestion, statistics = _suggestion_chart(user=user, year=year, today=today)
    if suggestion:
        charts.append(suggestion)

    stations_with_gaps = None
    if can_see_compliance(user):
        report = compliance_for(user=user, year=year, today=today)
        stations_with_gaps = report.totals.stations_with_gaps
        missing = [0] * 12
        for township in report.townships:
            for row in township.stations:
                for index, mark in enumerate(row.months):
                    missing[index] += mark == Mark.MISSED
        compliance_url = _url("stations:compliance", year=year, gaps=1)
        bars = [
            Bar(
                _("%(month)d月") % {"month": month},
                missing[month - 1],
                _url("stations:compliance", year=year, missed_month=month),
            )
            for month in range(1, report.months_due + 1)
        ]
        charts.append(
            Chart(
                "missing_receptions",
                _("未按月开展接待的家站"),
                "bar",
                bars,
                url=compliance_url,
            )
        )

    older = next((c for c in opinion_charts if c.key == "opinion_age"), None)
    overdue = Overdue(
        suggestions=statistics.totals.overdue if statistics else 0,
        suggestions_url=_url("suggestions:list", overdue="true", year=year),
        opinions=older.bars[-1].value if older else 0,
        opinions_url=_url("stations:opinion_list", open="true", age="older"),
        stations_with_gaps=stations_with_gaps,
        stations_url=_url("stations:compliance", year=year, gaps=1),
    )
    return DashboardCharts(
        year=year,
        charts=charts,
        overdue=overdue,
        satisfaction_rate=statistics.totals.satisfaction_rate if statistics else None,
    )
