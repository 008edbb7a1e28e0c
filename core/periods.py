"""The period a statistics page, export or API reads: a calendar year, any date range, or "本届以来"
(the current term to date: the seed's "换届以来" figures, 420 / 385 / 96.8 %, are of this kind).
One parser for every page, so a figure means the same period everywhere.

The term's first day belongs to the domain (``directory.selectors.term_start``); the caller looks
it up and passes it in, so this module stays below the domain apps."""

import datetime
from collections.abc import Mapping
from dataclasses import dataclass

from django.utils.translation import gettext as _

from .errors import DomainError

YEAR = "year"
RANGE = "range"
TERM = "term"
TERM_CHOICE = "term"  # the value of the period select that means 本届以来


@dataclass(frozen=True)
class Period:
    start: datetime.date
    end: datetime.date
    kind: str = RANGE

    def __iter__(self):
        # ``start, end = period``: the callers that read a (start, end) pair keep working.
        return iter((self.start, self.end))

    @classmethod
    def year(cls, year: int) -> "Period":
        return cls(datetime.date(year, 1, 1), datetime.date(year, 12, 31), YEAR)

    @classmethod
    def term(cls, start: datetime.date, today: datetime.date) -> "Period":
        return cls(start, today, TERM)

    @property
    def is_term(self) -> bool:
        return self.kind == TERM

    @property
    def is_calendar_year(self) -> bool:
        return (
            self.start.year == self.end.year
            and (self.start.month, self.start.day) == (1, 1)
            and (self.end.month, self.end.day) == (12, 31)
        )

    def years(self) -> list["Period"]:
        """The period cut at the turn of each year (a term's figures are the sum of these)."""
        return [
            Period(
                max(self.start, datetime.date(year, 1, 1)),
                min(self.end, datetime.date(year, 12, 31)),
            )
            for year in range(self.start.year, self.end.year + 1)
        ]

    @property
    def headline(self) -> str:
        """How a page names the period in a heading: 本届以来 / 2026年 / 2025-01-01 至 2025-06-30."""
        if self.is_term:
            return _("本届以来")
        if self.is_calendar_year:
            return _("%(year)d年") % {"year": self.start.year}
        return f"{self.start:%Y-%m-%d} 至 {self.end:%Y-%m-%d}"

    def __str__(self) -> str:
        if self.is_term:
            return _("本届以来(%(start)s 至 %(end)s)") % {
                "start": f"{self.start:%Y-%m-%d}",
                "end": f"{self.end:%Y-%m-%d}",
            }
        if self.is_calendar_year:
            return _("%(year)d年度") % {"year": self.start.year}
        return f"{self.start:%Y-%m-%d} 至 {self.end:%Y-%m-%d}"


def parse_date(value) -> datetime.date | None:
    if isinstance(value, datetime.date):
        return value
    text = str(value or "").strip()
    if not text:
        return None
    try:
        return datetime.date.fromisoformat(text)
    except ValueError:
        raise DomainError(_("日期格式应为 年-月-日,如 2026-01-31。"), field="start") from None


def period_from(
    data: Mapping,
    *,
    today: datetime.date,
    term_start: datetime.date | None,
    first_year: int,
    default: str = YEAR,
) -> Period:
    """The period asked for: ``year=term`` (or ``period=term``) for 本届以来, ``start``/``end``
    for a range, ``year`` for a calendar year; nothing asked means this year (or the term when
    ``default`` is TERM). A bad value is refused with a DomainError naming the field."""
    year = str(data.get("year") or "").strip()
    wants_term = year == TERM_CHOICE or str(data.get("period") or "") == TERM_CHOICE
    start, end = parse_date(data.get("start")), parse_date(data.get("end"))
    if not (wants_term or year or start or end) and default == TERM:
        wants_term = True
    if wants_term:
        if term_start is None:
            raise DomainError(_("尚未登记本届代表的任职开始日期,无法按本届统计。"), field="year")
        return Period.term(term_start, today)
    if start or end:
        start = start or datetime.date(first_year, 1, 1)
        end = end or today
        if start > end:
            raise DomainError(_("开始日期不能晚于结束日期。"), field="start")
        return Period(start, end)
    if not year:
        return Period.year(today.year)
    if not (year.isascii() and year.isdigit()) or not first_year <= int(year) <= today.year:
        raise DomainError(
            _("请选择%(first)d年至今年之间的年度。") % {"first": first_year}, field="year"
        )
    return Period.year(int(year))
