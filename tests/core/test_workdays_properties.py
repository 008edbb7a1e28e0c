"""Working days: Friday, zero days, and for any start that adding then counting back returns
the day and that a deadline never falls on a day off. The oracle for the official schedule is
the chinesecalendar package itself; the arithmetic is checked by walking day by day here."""

import datetime

import chinese_calendar
from hypothesis import given
from hypothesis import strategies as st

from core.workdays import WorkdayResult, add_months, add_workdays, is_workday

D = datetime.date
ONE_DAY = datetime.timedelta(days=1)
# Years the installed chinesecalendar publishes, and years it does not know yet.
KNOWN = st.dates(min_value=D(2015, 1, 1), max_value=D(2025, 12, 1))
UNKNOWN = st.dates(min_value=D(2099, 1, 1), max_value=D(2099, 12, 1))


def test_beyond_the_schedule_friday_is_a_working_day_and_saturday_is_not():
    assert D(2099, 6, 5).weekday() == 4  # a Friday
    assert is_workday(D(2099, 6, 5)) == (True, False)
    assert is_workday(D(2099, 6, 6)) == (False, False)
    assert is_workday(D(2099, 6, 1)) == (True, False)  # Monday
    assert add_workdays(D(2099, 6, 4), 1) == WorkdayResult(D(2099, 6, 5), True)
    assert add_workdays(D(2099, 6, 4), 2) == WorkdayResult(D(2099, 6, 8), True)


def test_a_known_friday_counts_too():
    assert is_workday(D(2025, 6, 6)) == (True, True)
    assert add_workdays(D(2025, 6, 5), 1) == WorkdayResult(D(2025, 6, 6), False)


def test_zero_working_days_is_the_day_itself_even_on_a_holiday():
    assert add_workdays(D(2025, 10, 1), 0) == WorkdayResult(D(2025, 10, 1), False)
    assert add_workdays(D(2099, 6, 6), 0) == WorkdayResult(D(2099, 6, 6), False)


def _last_known_day() -> datetime.date:
    """The last day of the schedule the installed chinesecalendar publishes."""
    year = 2025
    while True:
        try:
            chinese_calendar.is_workday(D(year + 1, 1, 1))
        except NotImplementedError:
            return D(year, 12, 31)
        year += 1


def test_a_run_into_the_unknown_is_provisional_from_the_first_unknown_day():
    last_known = _last_known_day()
    day_before = last_known - ONE_DAY
    while not chinese_calendar.is_workday(last_known):
        last_known -= ONE_DAY
    day_before = last_known - ONE_DAY
    assert is_workday(last_known) == (True, True)
    assert add_workdays(day_before, 1) == WorkdayResult(last_known, False)
    assert add_workdays(last_known, 1).provisional


def _subtract_workdays(day: datetime.date, workdays: int) -> datetime.date:
    """The ``workdays``-th working day before ``day``, by walking back day by day."""
    while workdays:
        day -= ONE_DAY
        workdays -= chinese_calendar.is_workday(day)
    return day


@given(KNOWN, st.integers(min_value=1, max_value=30))
def test_a_deadline_is_a_working_day_with_exactly_n_working_days_up_to_it(start, days):
    result = add_workdays(start, days)
    assert not result.provisional
    assert chinese_calendar.is_workday(result.date)
    assert not chinese_calendar.is_holiday(result.date)
    between = [start + ONE_DAY * i for i in range(1, (result.date - start).days + 1)]
    assert sum(chinese_calendar.is_workday(day) for day in between) == days


@given(KNOWN, st.integers(min_value=1, max_value=30))
def test_adding_then_subtracting_returns_the_day(start, days):
    back = _subtract_workdays(add_workdays(start, days).date, days)
    if chinese_calendar.is_workday(start):
        assert back == start
    else:  # from a day off: the last working day before it
        assert back == _subtract_workdays(start, 1)


@given(UNKNOWN, st.integers(min_value=1, max_value=30))
def test_beyond_the_schedule_weekdays_are_counted_and_the_result_is_provisional(start, days):
    result = add_workdays(start, days)
    assert result.provisional
    assert result.date.weekday() < 5
    between = [start + ONE_DAY * i for i in range(1, (result.date - start).days + 1)]
    assert sum(day.weekday() < 5 for day in between) == days


@given(
    st.dates(min_value=D(2000, 1, 1), max_value=D(2090, 12, 28)),
    st.integers(min_value=0, max_value=240),
)
def test_months_added_then_taken_back_return_the_day_when_it_exists_in_every_month(start, months):
    start = start.replace(day=min(start.day, 28))
    later = add_months(start, months)
    assert (later.year - start.year) * 12 + later.month - start.month == months
    assert later.day == start.day
    assert add_months(later, -months) == start


@given(st.dates(min_value=D(2000, 1, 1), max_value=D(2090, 12, 31)), st.integers(0, 240))
def test_months_never_overflow_into_the_next_month(start, months):
    later = add_months(start, months)
    assert (later.year - start.year) * 12 + later.month - start.month == months
    assert later.day <= start.day


def test_a_provisional_deadline_is_logged_and_a_known_one_is_not(caplog):
    with caplog.at_level("WARNING", logger="core.workdays"):
        add_workdays(D(2025, 6, 5), 3)
        assert caplog.messages == []
        add_workdays(D(2099, 6, 5), 1)
    assert caplog.messages == [
        "working-day deadline from 2099-06-05 uses weekdays only: holiday schedule unknown"
    ]
