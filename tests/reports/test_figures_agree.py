"""The annual workbook's 家站 sheet and the compliance page apply one rule (a month is due once
it is over) to the same reads: per station, 每月接待达标 on the sheet is "no missed month" on the
page, and 应开展月份 is the page's months due."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from stations.models import ReceptionDay
from stations.selectors.ledger import months_due
from tests.reports.test_annual import build, rows


def held(station, *dates):
    for date in dates:
        ReceptionDay.objects.create(station=station, date=date, status=ReceptionDay.Status.HELD)


def sheet_and_page(client, user, year: int):
    book = build(user, {"year": year})
    sheet = {row[0]: (row[10], row[11] == "达标") for row in rows(book["家站"])}
    report = client.get(reverse("stations:compliance"), {"year": year}).context["report"]
    page = {
        row.station.name: (report.months_due, row.missed_months == 0)
        for township in report.townships
        for row in township.stations
    }
    return sheet, page


@pytest.mark.parametrize("years_ago", [0, 1])
def test_workbook_station_compliance_equals_the_compliance_page(
    client_for, users, world, years_ago
):
    today = timezone.localdate()
    year = today.year - years_ago
    last = 12 if years_ago else today.month  # this year: up to the month under way
    every_month = [datetime.date(year, month, 10) for month in range(1, last)]
    held(world.home_a1, *every_month)  # every month before the last one
    held(world.liaison_a1, datetime.date(year, last, 1))  # the last month only
    held(world.home_a2, *every_month[1:])  # all but January
    sheet, page = sheet_and_page(client_for("staff"), users["staff"], year)
    assert sheet == page
    assert set(sheet) == {world.home_a1.name, world.liaison_a1.name, world.home_a2.name}
    if years_ago:
        assert sheet[world.home_a1.name] == (12, False)  # December was missed
    else:
        # The month under way is not due: a station that held every month before it complies.
        assert sheet[world.home_a1.name] == (today.month - 1, True)


def test_months_due_leaves_the_month_under_way_out():
    today = datetime.date(2026, 12, 6)
    year = (datetime.date(2026, 1, 1), datetime.date(2026, 12, 31))
    assert len(months_due(*year, today)) == 11
    assert months_due(*year, datetime.date(2026, 1, 31)) == []
    assert len(months_due(*year, datetime.date(2027, 1, 1))) == 12
    assert months_due(datetime.date(2025, 11, 20), datetime.date(2026, 2, 1), today) == [
        (2025, 11),
        (2025, 12),
        (2026, 1),
        (2026, 2),
    ]
