"""Deadlines in calendar months and in Chinese working days.

Rules counted in working days (e.g. a suggestion made between sessions is assigned within 5
working days) follow the State Council's holiday schedule with its make-up working days (调休),
from the maintained chinesecalendar package. The schedule of a year is published each November:
for a date the package does not know yet, Monday–Friday are taken as working days and the result
is marked provisional, so a page can say so."""

import calendar
import datetime
import logging
from dataclasses import dataclass

import chinese_calendar

logger = logging.getLogger(__name__)


def add_months(date: datetime.date, months: int) -> datetime.date:
    """Calendar months: 31 January + 1 month is the last day of February."""
    month_index = date.month - 1 + months
    year, month = date.year + month_index // 12, month_index % 12 + 1
    return datetime.date(year, month, min(date.day, calendar.monthrange(year, month)[1]))


def is_workday(date: datetime.date) -> tuple[bool, bool]:
    """(is a working day, known from the official schedule)."""
    try:
        return chinese_calendar.is_workday(date), True
    except NotImplementedError:
        return date.weekday() < 5, False


@dataclass(frozen=True)
class WorkdayResult:
    date: datetime.date
    provisional: bool  # some day on the way is beyond the published schedule


def add_workdays(date: datetime.date, days: int) -> WorkdayResult:
    """The ``days``-th working day after ``date`` (``date`` itself not counted)."""
    if days < 0:
        raise ValueError("days must not be negative")
    provisional = False
    current = date
    counted = 0
    while counted < days:
        current += datetime.timedelta(days=1)
        workday, known = is_workday(current)
        provisional = provisional or not known
        counted += workday
    if provisional:
        logger.warning(
            "working-day deadline from %s uses weekdays only: holiday schedule unknown", date
        )
    return WorkdayResult(current, provisional)
