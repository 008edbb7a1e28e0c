from django.urls import reverse

from tests.querycount import count_queries, grow


def test_staff_dashboard_shows_county_figures(client_for, world):
    response = client_for("staff").get(reverse("dashboard"))
    figures = response.context["figures"]
    assert figures.station_total == 3
    assert figures.stations_by_kind == {"代表之家": 2, "代表联络站": 1}
    assert figures.deputy_total == 3
    assert dict(figures.mandates_by_level)["县人大代表"] == 2
    assert dict(figures.mandates_by_level)["乡镇人大代表"] == 1
    by_township = {row["township__name"]: row for row in figures.townships}
    assert by_township[world.a1.name]["homes"] == 1
    assert by_township[world.a1.name]["liaisons"] == 1
    assert by_township[world.a1.name]["deputies"] == 2


def test_township_dashboard_is_limited_to_the_township(client_for, world):
    figures = client_for("township").get("/").context["figures"]
    assert figures.deputy_total == 2
    assert [row["township_id"] for row in figures.townships] == [world.a1.pk]


def test_deputy_dashboard_shows_the_next_reception_day_and_duty(client_for, world):
    import datetime

    from django.utils import timezone

    from tests.factories import make_reception_day

    day = make_reception_day(
        world.home_a1, timezone.localdate() + datetime.timedelta(days=4), on_duty=[world.deputy_a1]
    )
    response = client_for("deputy").get("/")
    html = response.content.decode()
    assert "甲一镇代表之家" in html and "您是值班代表" in html
    assert response.context["next_day"] == day and response.context["on_duty"] is True


def test_work_figures_count_this_years_station_work_in_scope(client_for, users, world):
    import datetime

    from django.utils import timezone

    from stations.services.opinions import opinion_create, opinion_forward
    from stations.services.receptions import reception_log
    from tests.factories import make_reception_day

    today = timezone.localdate()
    day = make_reception_day(world.home_a1, today - datetime.timedelta(days=1))
    reception_log(user=users["keeper"], day=day, deputy=world.deputy_a1, voters_received=7)
    other = make_reception_day(world.home_a2, today - datetime.timedelta(days=1))
    reception_log(user=users["staff"], day=other, deputy=world.deputy_a2, voters_received=5)
    opinion = opinion_create(
        user=users["keeper"],
        channel="mailbox",
        township=world.a1,
        station=world.home_a1,
        category="roads",
        content="路",
    )
    opinion_forward(opinion=opinion, user=users["keeper"], unit=world.unit_a)
    staff = client_for("staff").get("/").context["work"]
    assert (
        staff.receptions,
        staff.voters_received,
        staff.opinions_open,
        staff.opinions_forwarded,
    ) == (2, 12, 1, 1)
    township = client_for("township").get("/").context["work"]
    assert (township.receptions, township.voters_received) == (1, 7)
    unit = client_for("unit").get("/")
    assert (
        unit.context["work"].opinions_forwarded == 1
        and "待答复的转办意见(1)" in unit.content.decode()
    )


def test_keeper_and_unit_dashboards(client_for, world):
    assert "甲一镇代表之家" in client_for("keeper").get("/").content.decode()
    assert "甲县交通运输局" in client_for("unit").get("/").content.decode()


def test_staff_dashboard_query_count_does_not_grow_with_data(client_for, world):
    client = client_for("staff")
    grow(world, 8)
    small = count_queries(client, "/")
    grow(world, 24)
    assert count_queries(client, "/") == small
