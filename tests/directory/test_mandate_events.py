"""The life of a mandate: each event's effect on the mandate, refusals (Chinese message, nothing
saved), 补选 filling a vacancy, the pages and their roles, the API, and what follows from an
ended mandate (the roster, rotations, reminders, the public pages)."""

import datetime

import pytest
from django.urls import reverse

from core.errors import DomainError
from core.idnumbers import make_id_number
from core.models import Notification
from directory.models import Deputy, Level, Mandate, MandateEvent, Station
from directory.services import mandate_by_elect, mandate_event_record
from oversight.selectors import rotation_pool
from stations.models import ReceptionDay
from stations.services.receptions import reception_days_generate, reception_reminders_send
from tests import factories as f
from tests.querycount import count_queries, grow

TODAY = datetime.date(2026, 11, 20)
START = datetime.date(2021, 12, 28)
DOC = "苍人常〔2026〕12号"


def _mandate(deputy) -> Mandate:
    mandate = deputy.mandates.get()
    mandate.started_on = START
    mandate.save(update_fields=["started_on"])
    return Mandate.objects.select_related("deputy__station").get(pk=mandate.pk)


def record(user, mandate, kind, on=TODAY, **fields):
    return mandate_event_record(
        user=user, mandate=mandate, kind=kind, occurred_on=on, today=TODAY, **fields
    )


def resign(user, mandate, on=TODAY):
    return record(
        user, mandate, "resigned", on, decided_by="standing_committee", document_number=DOC
    )


# Each event's effect ----------------------------------------------------------------------------


def test_qualification_sets_the_start(world, users):
    mandate = world.deputy_a1.mandates.get()
    event = record(
        users["staff"],
        mandate,
        "qualified",
        START,
        decided_by="standing_committee",
        document_number="苍人常〔2021〕30号",
    )
    mandate.refresh_from_db()
    assert mandate.started_on == START and mandate.is_active
    assert event.kind == "qualified" and event.recorded_by == users["staff"]


def test_resignation_accepted_ends_the_mandate_on_its_date(world, users):
    mandate = _mandate(world.deputy_a1)
    event = resign(users["staff"], mandate)
    mandate.refresh_from_db()
    assert (mandate.is_active, mandate.ended_on) == (False, TODAY)
    assert (event.decided_by, event.document_number) == ("standing_committee", DOC)


@pytest.mark.parametrize("kind", ["term_expired", "died"])
def test_term_expiry_and_death_need_no_deciding_body(world, users, kind):
    mandate = _mandate(world.deputy_a1)
    record(users["staff"], mandate, kind)
    mandate.refresh_from_db()
    assert not mandate.is_active and mandate.ended_on == TODAY


def test_recall_by_voters_ends_the_mandate(world, users):
    mandate = _mandate(world.deputy_a1)
    record(users["staff"], mandate, "recalled", decided_by="voters", document_number=DOC)
    mandate.refresh_from_db()
    assert not mandate.is_active


def test_termination_takes_its_ground_from_article_49(world, users):
    mandate = _mandate(world.deputy_a1)
    event = record(
        users["staff"],
        mandate,
        "terminated",
        decided_by="standing_committee",
        document_number=DOC,
        ground="moved_away",
    )
    mandate.refresh_from_db()
    assert not mandate.is_active and mandate.ended_on == TODAY
    assert event.get_ground_display() == "迁出或者调离本行政区域"


def test_suspension_takes_the_deputy_out_of_office_until_resumed(world, users):
    mandate = _mandate(world.deputy_a1)
    record(
        users["staff"],
        mandate,
        "suspended",
        datetime.date(2026, 3, 1),
        decided_by="standing_committee",
        ground="detained",
    )
    mandate.refresh_from_db()
    assert not mandate.is_active and mandate.ended_on is None and mandate.is_suspended
    assert world.deputy_a1 not in Deputy.objects.in_office()
    record(users["staff"], mandate, "resumed", decided_by="standing_committee")
    mandate.refresh_from_db()
    assert mandate.is_active and not mandate.is_suspended
    assert world.deputy_a1 in Deputy.objects.in_office()


def test_a_suspended_mandate_may_still_end(world, users):
    mandate = _mandate(world.deputy_a1)
    record(
        users["staff"],
        mandate,
        "suspended",
        datetime.date(2026, 3, 1),
        decided_by="standing_committee",
        ground="serving_sentence",
    )
    record(
        users["staff"],
        mandate,
        "terminated",
        decided_by="standing_committee",
        document_number=DOC,
        ground="rights_deprived",
    )
    mandate.refresh_from_db()
    assert mandate.ended_on == TODAY and not mandate.is_suspended


def test_township_staff_record_their_township_deputies_mandates(world, users):
    mandate = _mandate(world.deputy_a1_liaison)  # a township deputy of A1
    record(users["township"], mandate, "resigned", decided_by="presidium", document_number=DOC)
    mandate.refresh_from_db()
    assert not mandate.is_active


# Refusals: a Chinese message, nothing saved ------------------------------------------------------


def _refused(call, message: str):
    before = (
        MandateEvent.objects.count(),
        list(Mandate.objects.values_list("is_active", "ended_on")),
    )
    with pytest.raises(DomainError) as error:
        call()
    assert message in error.value.message
    after = (
        MandateEvent.objects.count(),
        list(Mandate.objects.values_list("is_active", "ended_on")),
    )
    assert after == before


def test_an_end_before_the_start_is_refused(world, users):
    mandate = _mandate(world.deputy_a1)
    _refused(
        lambda: resign(users["staff"], mandate, on=START - datetime.timedelta(days=1)),
        "不能早于任职开始日期",
    )


def test_a_second_end_of_an_ended_mandate_is_refused(world, users):
    mandate = _mandate(world.deputy_a1)
    resign(users["staff"], mandate)
    _refused(lambda: record(users["staff"], mandate, "died"), "已经终止")


def test_a_future_date_is_refused(world, users):
    mandate = _mandate(world.deputy_a1)
    _refused(
        lambda: resign(users["staff"], mandate, on=TODAY + datetime.timedelta(days=1)),
        "不能晚于今天",
    )


@pytest.mark.parametrize(
    ("kind", "fields", "message"),
    [
        ("terminated", {"decided_by": "standing_committee", "document_number": DOC}, "第四十九条"),
        (
            "terminated",
            {"decided_by": "standing_committee", "document_number": DOC, "ground": "detained"},
            "第四十九条",
        ),
        ("suspended", {"decided_by": "standing_committee", "ground": "moved_away"}, "第四十八条"),
        (
            "resigned",
            {"decided_by": "standing_committee", "document_number": DOC, "ground": "moved_away"},
            "只有代表资格终止和暂停",
        ),
        ("resigned", {"document_number": DOC}, "请选择决定机关"),
        ("resigned", {"decided_by": "voters", "document_number": DOC}, "不能由原选区选民决定"),
        ("resigned", {"decided_by": "presidium", "document_number": DOC}, "由人大常委会决定"),
        ("resigned", {"decided_by": "standing_committee"}, "请填写文号"),
        ("resumed", {"decided_by": "standing_committee"}, "没有被暂停"),
        ("by_elected", {"decided_by": "voters"}, "补选请在缺额页面办理"),
    ],
)
def test_bad_input_is_refused_in_chinese(world, users, kind, fields, message):
    mandate = _mandate(world.deputy_a1)
    _refused(lambda: record(users["staff"], mandate, kind, **fields), message)


def test_a_township_mandate_is_not_decided_by_a_standing_committee(world, users):
    mandate = _mandate(world.deputy_a1_liaison)
    _refused(
        lambda: record(
            users["township"],
            mandate,
            "resigned",
            decided_by="standing_committee",
            document_number=DOC,
        ),
        "乡镇人大不设常委会",
    )


@pytest.mark.parametrize("role", ["township", "keeper", "deputy", "member"])
def test_others_may_not_record_a_county_mandate(world, users, role):
    mandate = _mandate(world.deputy_a1)
    _refused(lambda: resign(users[role], mandate), "县人大常委会工作人员登记")


def test_staff_of_another_county_may_not_record(world, users):
    mandate = _mandate(world.deputy_b1)
    _refused(lambda: resign(users["staff"], mandate), "县人大常委会工作人员登记")


# 补选 ----------------------------------------------------------------------------------------


def by_elect(user, vacancy, deputy, **fields):
    values = {
        "elected_on": TODAY - datetime.timedelta(days=10),
        "decided_by": "voters",
        "qualified_on": TODAY - datetime.timedelta(days=5),
        "qualified_by": "standing_committee",
        "document_number": "苍人常〔2026〕20号",
        "certificate_number": "",
        "today": TODAY,
    }
    values.update(fields)
    return mandate_by_elect(user=user, vacancy=vacancy, deputy=deputy, **values)


def test_a_by_election_fills_the_vacancy_with_a_new_mandate(world, users):
    vacancy = _mandate(world.deputy_a1)
    resign(users["staff"], vacancy, on=TODAY - datetime.timedelta(days=60))
    elected = Deputy.objects.create(
        name="新代表",
        gender="M",
        birth_date=datetime.date(1980, 1, 1),
        id_number=make_id_number("510824", datetime.date(1980, 1, 1), 7, "M"),
        station=world.home_a1,
    )
    mandate = by_elect(users["staff"], vacancy, elected, certificate_number="C-18-001")
    assert (mandate.level, mandate.term, mandate.constituency) == (
        vacancy.level,
        vacancy.term,
        vacancy.constituency,
    )
    assert mandate.is_active and mandate.started_on == TODAY - datetime.timedelta(days=5)
    kinds = list(mandate.events.values_list("kind", "vacancy_id"))
    assert kinds == [("by_elected", vacancy.pk), ("qualified", None)]
    assert elected in Deputy.objects.in_office()
    # Filled: a second 补选 of the same vacancy is refused.
    other = f.make_deputy(world.home_a2, level=Level.TOWNSHIP)
    _refused(lambda: by_elect(users["staff"], vacancy, other), "没有待补选的缺额")


def test_a_by_election_without_a_vacancy_is_refused(world, users):
    in_office = _mandate(world.deputy_a1)
    candidate = f.make_deputy(world.home_a2, level=Level.TOWNSHIP)
    _refused(lambda: by_elect(users["staff"], in_office, candidate), "没有待补选的缺额")
    # A term that simply expired leaves no vacancy either.
    record(users["staff"], in_office, "term_expired")
    _refused(lambda: by_elect(users["staff"], in_office, candidate), "没有待补选的缺额")


def test_a_by_election_refuses_a_certificate_number_in_use_and_dates_out_of_order(world, users):
    vacancy = _mandate(world.deputy_a1)
    resign(users["staff"], vacancy, on=TODAY - datetime.timedelta(days=60))
    Mandate.objects.filter(deputy=world.deputy_a2).update(certificate_number="C-18-002")
    candidate = f.make_deputy(world.home_a1, level=Level.TOWNSHIP)
    _refused(
        lambda: by_elect(users["staff"], vacancy, candidate, certificate_number="C-18-002"),
        "代表证号",
    )
    _refused(
        lambda: by_elect(
            users["staff"], vacancy, candidate, elected_on=TODAY - datetime.timedelta(days=90)
        ),
        "不能早于出缺日期",
    )
    _refused(
        lambda: by_elect(
            users["staff"], vacancy, candidate, qualified_on=TODAY - datetime.timedelta(days=20)
        ),
        "不能早于补选日期",
    )
    # Already a county deputy in office: no second county mandate.
    _refused(lambda: by_elect(users["staff"], vacancy, world.deputy_a2), "已是在任的")


# Pages -------------------------------------------------------------------------------------


def test_staff_record_a_resignation_on_the_page_and_the_timeline_shows_it(world, client_for):
    mandate = _mandate(world.deputy_a1)
    url = reverse("directory:mandate_event_new", args=[mandate.pk])
    client = client_for("staff")
    chooser = client.get(url)
    assert "辞职" in chooser.content.decode() and "恢复执行代表职务" not in chooser.content.decode()
    form = client.get(url + "?kind=terminated").content.decode()
    assert "代表法第四十九条" in form and "迁出或者调离本行政区域" in form
    response = client.post(
        url + "?kind=resigned",
        {"occurred_on": "2026-10-08", "decided_by": "standing_committee", "document_number": DOC},
    )
    assert response.status_code == 302
    mandate.refresh_from_db()
    assert mandate.ended_on == datetime.date(2026, 10, 8)
    page = client.get(reverse("deputies:detail", args=[world.deputy_a1.pk])).content.decode()
    assert "任职情况" in page and 'data-event="resigned"' in page and DOC in page


def test_a_refused_event_stays_on_the_form_with_its_message(world, client_for):
    mandate = _mandate(world.deputy_a1)
    url = reverse("directory:mandate_event_new", args=[mandate.pk]) + "?kind=resigned"
    response = client_for("staff").post(
        url,
        {"occurred_on": "2020-01-01", "decided_by": "standing_committee", "document_number": DOC},
    )
    assert response.status_code == 200
    assert "不能早于任职开始日期" in response.content.decode()
    assert not MandateEvent.objects.exists()


def test_event_page_roles(world, client_for):
    county = _mandate(world.deputy_a1)
    township = _mandate(world.deputy_a1_liaison)
    url = lambda m: reverse("directory:mandate_event_new", args=[m.pk])  # noqa: E731
    assert client_for("township").get(url(county)).status_code == 403
    assert client_for("township").get(url(township)).status_code == 200
    assert client_for("outsider").get(url(township)).status_code == 404
    assert client_for("staff").get(url(_mandate(world.deputy_b1))).status_code == 404
    assert client_for("deputy").get(url(county)).status_code == 403
    assert client_for("staff").get(url(county) + "?kind=nonsense").status_code == 404


def test_vacancies_page_lists_this_terms_unfilled_vacancies_by_office(world, users, client_for):
    county = _mandate(world.deputy_a1)
    township = _mandate(world.deputy_a1_liaison)
    resign(users["staff"], county)
    record(users["township"], township, "died")
    staff_page = client_for("staff").get(reverse("directory:vacancies")).content.decode()
    assert f'data-vacancy="{county.pk}"' in staff_page
    assert f'data-vacancy="{township.pk}"' not in staff_page
    township_page = client_for("township").get(reverse("directory:vacancies")).content.decode()
    assert f'data-vacancy="{township.pk}"' in township_page
    assert f'data-vacancy="{county.pk}"' not in township_page
    assert client_for("keeper").get(reverse("directory:vacancies")).status_code == 403
    # The by-election page of a mandate in office does not exist.
    in_office = reverse("directory:by_election", args=[world.deputy_a2.mandates.get().pk])
    assert client_for("staff").get(in_office).status_code == 404


def test_by_election_page_creates_the_mandate(world, users, client_for):
    vacancy = _mandate(world.deputy_a1)
    resign(users["staff"], vacancy, on=datetime.date(2026, 6, 1))
    elected = f.make_deputy(world.home_a1, level=Level.TOWNSHIP, name="补选代表")
    response = client_for("staff").post(
        reverse("directory:by_election", args=[vacancy.pk]),
        {
            "deputy": elected.pk,
            "elected_on": "2026-08-01",
            "decided_by": "voters",
            "qualified_on": "2026-08-20",
            "qualified_by": "standing_committee",
            "document_number": "苍人常〔2026〕30号",
            "certificate_number": "C-18-100",
        },
    )
    assert response.status_code == 302
    mandate = elected.mandates.get(level=Level.COUNTY)
    assert mandate.certificate_number == "C-18-100" and mandate.is_active
    page = client_for("staff").get(reverse("directory:vacancies")).content.decode()
    assert f'data-vacancy="{vacancy.pk}"' not in page


def test_vacancies_page_queries_do_not_grow(world, users, client_for):
    client = client_for("staff")
    url = reverse("directory:vacancies")
    resign(users["staff"], _mandate(world.deputy_a1))
    before = count_queries(client, url)
    grow(world, 12)
    for deputy in Deputy.objects.filter(mandates__level=Level.COUNTY, mandates__is_active=True)[:5]:
        resign(users["staff"], _mandate(deputy))
    assert count_queries(client, url) == before


def test_deputy_page_queries_do_not_grow_with_events(world, users, client_for):
    mandate = _mandate(world.deputy_a1)
    url = reverse("deputies:detail", args=[world.deputy_a1.pk])
    client = client_for("staff")
    before = count_queries(client, url)
    record(
        users["staff"],
        mandate,
        "qualified",
        START,
        decided_by="standing_committee",
        document_number=DOC,
    )
    record(users["staff"], mandate, "suspended", decided_by="standing_committee", ground="detained")
    assert count_queries(client, url) == before


# API ---------------------------------------------------------------------------------------


def test_api_lists_events_with_filters_in_scope(world, users, client_for):
    resign(users["staff"], _mandate(world.deputy_a1))
    record(users["staff"], _mandate(world.deputy_a2), "died")
    record(users["admin"], _mandate(world.deputy_b1), "died")
    url = reverse("mandate-event-list")
    rows = client_for("staff").get(url).json()["results"]
    assert {row["deputy_name"] for row in rows} == {"张甲一", "王甲二"}
    rows = client_for("staff").get(url, {"kind": "resigned"}).json()["results"]
    assert [(row["kind"], row["document_number"]) for row in rows] == [("resigned", DOC)]
    rows = client_for("township").get(url).json()["results"]
    assert {row["deputy_name"] for row in rows} == {"张甲一"}
    assert client_for("unit").get(url).status_code == 403


def test_api_queries_do_not_grow(world, users, client_for):
    client = client_for("staff")
    url = reverse("mandate-event-list")
    resign(users["staff"], _mandate(world.deputy_a1))
    before = count_queries(client, url)
    grow(world, 8)
    for deputy in Deputy.objects.filter(county=world.county_a).exclude(pk=world.deputy_a1.pk)[:5]:
        record(users["admin"], _mandate(deputy), "died")
    assert count_queries(client, url) == before


# What follows from an ended mandate --------------------------------------------------------


def test_the_deputies_list_shows_those_in_office_unless_asked(world, users, client_for):
    resign(users["staff"], _mandate(world.deputy_a1))
    client = client_for("staff")
    default = client.get(reverse("deputies:list")).content.decode()
    assert "张甲一" not in default and "王甲二" in default
    former = client.get(reverse("deputies:list"), {"in_office": "former"}).content.decode()
    assert "张甲一" in former and "王甲二" not in former
    everyone = client.get(reverse("deputies:list"), {"in_office": "all"}).content.decode()
    assert "张甲一" in everyone and "王甲二" in everyone


def test_certificate_numbers_are_unique_per_level_and_term_and_searchable(world, client_for):
    from django.db import IntegrityError, transaction

    Mandate.objects.filter(deputy=world.deputy_a1).update(certificate_number="CX-001")
    with pytest.raises(IntegrityError), transaction.atomic():
        Mandate.objects.filter(deputy=world.deputy_a2).update(certificate_number="CX-001")
    # Another level may use the same number; blank numbers never clash.
    Mandate.objects.filter(deputy=world.deputy_a1_liaison).update(certificate_number="CX-001")
    page = client_for("staff").get(reverse("deputies:list"), {"q": "CX-001"}).content.decode()
    assert "张甲一" in page and "王甲二" not in page
    detail = client_for("staff").get(reverse("deputies:detail", args=[world.deputy_a1.pk]))
    assert "CX-001" in detail.content.decode()


def test_rotation_pool_leaves_out_ended_and_suspended_mandates(world, users):
    assert world.deputy_a1 in rotation_pool(world.county_a.pk)
    resign(users["staff"], _mandate(world.deputy_a1))
    record(
        users["staff"],
        _mandate(world.deputy_a2),
        "suspended",
        decided_by="standing_committee",
        ground="detained",
    )
    assert set(rotation_pool(world.county_a.pk)) == set()


def test_reception_reminders_and_rota_skip_a_deputy_whose_mandate_ended(world, users):
    today = datetime.date(2026, 12, 12)
    day = f.make_reception_day(
        world.home_a1, today + datetime.timedelta(days=3), on_duty=[world.deputy_a1]
    )
    resign(users["staff"], _mandate(world.deputy_a1))
    assert reception_reminders_send(today=today) == 0
    assert not Notification.objects.exists()
    day.delete()
    # The next rota leaves the deputy out.
    reception_days_generate(
        stations=Station.objects.filter(pk=world.home_a1.pk), today=today, months_ahead=1
    )
    duties = set(
        ReceptionDay.objects.filter(station=world.home_a1).values_list("on_duty", flat=True)
    )
    assert world.deputy_a1.pk not in duties


def test_station_wall_lists_deputies_in_office_through_the_station_only(world, users, client):
    station = world.home_a1
    station.phone = "0839-5221234"
    station.save(update_fields=["phone"])
    present = f.make_deputy(station, name="在任代表")
    resign(users["staff"], _mandate(world.deputy_a1))
    page = client.get(reverse("public:station_wall", args=[station.pk])).content.decode()
    assert "在任代表" in page and "张甲一" not in page
    assert "0839-5221234" in page and station.address in page
    assert f"?station={station.pk}" in page
    for deputy in (present, world.deputy_a1):
        assert deputy.phone not in page and deputy.phone_masked not in page
        assert deputy.id_number not in page and deputy.id_number_masked not in page


def test_public_figures_count_deputies_in_office(world, users):
    from core.periods import Period
    from public.selectors import public_figures

    period = Period.year(2026)
    before = public_figures(world.county_a, period=period)["deputies"]
    resign(users["staff"], _mandate(world.deputy_a1))
    assert public_figures(world.county_a, period=period)["deputies"] == before - 1


def test_a_deputy_whose_county_mandate_ended_leaves_the_groups(world, users):
    group = world.group_a
    group.leader = world.deputy_a1
    group.save(update_fields=["leader"])
    resign(users["staff"], _mandate(world.deputy_a1))
    group.refresh_from_db()
    assert group.leader is None
    assert set(group.members.all()) == {world.deputy_a2}


def test_statistics_and_station_counts_leave_out_ended_mandates(world, users):
    from directory.selectors import station_list
    from reports.selectors import area_figures

    def counts():
        figures = area_figures(user=users["staff"])
        station = station_list(user=users["staff"]).get(pk=world.home_a1.pk)
        return figures.deputy_total, dict(figures.mandates_by_level), station.deputy_count

    total, levels, stationed = counts()
    resign(users["staff"], _mandate(world.deputy_a1))
    assert counts() == (
        total - 1,
        {**levels, "县人大代表": levels["县人大代表"] - 1},
        stationed - 1,
    )
