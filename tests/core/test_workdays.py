import datetime

import pytest

from core.workdays import add_months, add_workdays, is_workday

D = datetime.date


@pytest.mark.parametrize(
    ("start", "months", "expected"),
    [
        (D(2026, 1, 15), 3, D(2026, 4, 15)),
        (D(2026, 1, 31), 1, D(2026, 2, 28)),
        (D(2028, 1, 31), 1, D(2028, 2, 29)),  # leap year
        (D(2026, 8, 31), 6, D(2027, 2, 28)),
        (D(2026, 11, 30), 3, D(2027, 2, 28)),
        (D(2026, 12, 15), 6, D(2027, 6, 15)),
    ],
)
def test_calendar_months_clamp_to_the_month_end(start, months, expected):
    assert add_months(start, months) == expected


def test_national_day_week_is_skipped_and_the_make_up_saturday_counts():
    # 2026: 1–7 October off (after 2026-09-30, Wednesday); Saturday 2026-10-10 is a make-up
    # working day (调休).
    assert is_workday(D(2026, 10, 1)) == (False, True)
    assert is_workday(D(2026, 10, 10)) == (True, True)
    result = add_workdays(D(2026, 9, 30), 3)
    assert result == type(result)(D(2026, 10, 10), False)


def test_spring_festival_2026():
    # 15–23 February 2026 off; Saturday 14 February and 28 February are make-up working days.
    assert add_workdays(D(2026, 2, 13), 1).date == D(2026, 2, 14)
    assert add_workdays(D(2026, 2, 14), 1).date == D(2026, 2, 24)


def test_beyond_the_published_schedule_weekdays_are_used_and_flagged():
    result = add_workdays(D(2099, 6, 5), 1)  # a Friday
    assert result.date == D(2099, 6, 8) and result.provisional


def test_negative_days_are_refused():
    with pytest.raises(ValueError):
        add_workdays(D(2026, 1, 5), -1)
