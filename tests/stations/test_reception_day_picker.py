"""Staff of a county or township find the reception day by its station or date on the reception
form (a county has 121 stations: half a year of their days is 700 options); a keeper or a deputy
keeps the short select of their station's days."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from stations.models import Reception, ReceptionDay
from tests import factories as f

SEARCH = "stations:reception_day_search"


def ago(days: int) -> datetime.date:
    return timezone.localdate() - datetime.timedelta(days=days)


@pytest.fixture
def days(world):
    # A fourth station in county A: staff then manage more stations than a select suits.
    extra = f.make_station(world.a2, name="甲二村联络站")
    return {
        "a1": f.make_reception_day(world.home_a1, ago(3)),
        "a1_old": f.make_reception_day(world.home_a1, ago(33)),
        "extra": f.make_reception_day(extra, ago(3)),
        "future": f.make_reception_day(world.home_a2, timezone.localdate() + datetime.timedelta(7)),
        "b1": f.make_reception_day(world.home_b1, ago(3)),
        "extra_deputy": f.make_deputy(extra, name="钱联络"),
    }


def picks(client, q: str) -> list[str]:
    response = client.get(reverse(SEARCH), {"q": q})
    assert response.status_code == 200
    return [row["label"] for row in response.json()["results"]]


def test_staff_search_days_by_station_name_pinyin_or_date(world, users, client_for, days):
    client = client_for("staff")
    a1, old = days["a1"], days["a1_old"]
    assert picks(client, "甲一镇") == [
        f"{a1.date:%Y-%m-%d} 甲一镇代表之家",
        f"{old.date:%Y-%m-%d} 甲一镇代表之家",
    ]
    # By the date typed as people type it, with or without separators.
    assert f"{old.date:%Y-%m-%d} 甲一镇代表之家" in picks(client, f"{old.date:%m-%d}")
    assert f"{old.date:%Y-%m-%d} 甲一镇代表之家" in picks(client, f"{old.date:%m%d}")
    # Never a day of another county, a future day, a cancelled day, or nothing typed.
    everything = picks(client, "代表之家")
    assert all("乙一镇" not in label for label in everything)
    assert f"{days['future'].date:%Y-%m-%d} 甲二镇代表之家" not in everything
    ReceptionDay.objects.filter(pk=old.pk).update(status=ReceptionDay.Status.CANCELLED)
    assert picks(client, "甲一镇") == [f"{a1.date:%Y-%m-%d} 甲一镇代表之家"]
    assert picks(client, "  ") == []


def test_staff_get_the_picker_and_log_through_it(world, users, client_for, days):
    client = client_for("staff")
    page = client.get(reverse("stations:reception_new")).content.decode()
    form_html = page[page.index('name="reception_day"') - 200 :]
    assert 'data-picker-source="/stations/receptions/pick/days/"' in form_html
    # Only the pre-selected day is in the page, not every day of every station.
    assert form_html[: form_html.index("</select>")].count("<option") == 1
    response = client.post(
        reverse("stations:reception_new"),
        {
            "reception_day": days["extra"].pk,
            "deputy": days["extra_deputy"].pk,
            "voters_received": 5,
            "opinions-TOTAL_FORMS": 0,
            "opinions-INITIAL_FORMS": 0,
            "wishes-TOTAL_FORMS": 0,
            "wishes-INITIAL_FORMS": 0,
        },
    )
    assert response.status_code == 302
    reception = Reception.objects.get()
    assert reception.reception_day == days["extra"] and reception.voters_received == 5


@pytest.mark.parametrize("role", ["keeper", "deputy"])
def test_a_keeper_and_a_deputy_keep_the_select_of_their_days(world, users, client_for, days, role):
    page = client_for(role).get(reverse("stations:reception_new")).content.decode()
    assert "/stations/receptions/pick/days/" not in page
    assert f"{days['a1'].date:%Y-%m-%d} 甲一镇代表之家" in page


def test_the_day_search_is_scoped(world, users, client_for, days):
    assert picks(client_for("keeper"), "甲二") == []  # not the keeper's station
    assert picks(client_for("outsider"), "甲一镇") == []  # township staff of A2
    for role in ("member", "unit"):
        assert client_for(role).get(reverse(SEARCH), {"q": "甲"}).status_code == 403
