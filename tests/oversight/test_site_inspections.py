"""专题视察 as a record of its own (issue 22 §4): entered by county staff, each participating
deputy's participation a duty record (参加视察调研), read county-wide and by the deputies who
took part."""

import datetime

import pytest
from django.urls import reverse

from core.errors import DomainError
from deputies.models import DutyRecord
from oversight import services
from oversight.models import SiteInspection
from tests import factories as f
from tests.querycount import count_queries

from .builders import TODAY, make_site_inspection


def _records(site_inspection):
    return DutyRecord.objects.filter(source_id=site_inspection.pk, kind=DutyRecord.Kind.RESEARCH)


def test_each_participating_deputy_gets_a_duty_record(world, users):
    staff = users["staff"]
    visit = make_site_inspection(world, staff, deputies=[world.deputy_a1, world.deputy_a2])
    records = _records(visit)
    assert {r.deputy_id for r in records} == {world.deputy_a1.pk, world.deputy_a2.pk}
    assert {r.occurred_on for r in records} == {visit.start_date}
    assert all(r.title == "参加专题视察:农村人居环境整治" for r in records)
    # Editing: a deputy taken off loses the record, the date follows.
    earlier = visit.start_date - datetime.timedelta(days=1)
    services.site_inspection_save(
        user=staff,
        county=world.county_a,
        site_inspection=visit,
        subject=visit.subject,
        start_date=earlier,
        end_date=visit.end_date,
        deputies=[world.deputy_a1],
    )
    records = _records(visit)
    assert [r.deputy_id for r in records] == [world.deputy_a1.pk]
    assert records.get().occurred_on == earlier


def test_staff_enter_one_on_the_page(client_for, world, users):
    start = TODAY - datetime.timedelta(days=3)
    response = client_for("staff").post(
        reverse("oversight:site_inspection_new"),
        {
            "subject": "乡村振兴项目推进",
            "start_date": start.isoformat(),
            "end_date": start.isoformat(),
            "places": "歧坪镇",
            "deputies": [world.deputy_a1.pk],
            "members": [users["member"].pk],
            "findings": "部分项目进度滞后",
            "recommendations": "加快项目建设",
            "recommendation_bodies": "县农业农村局",
            "recommendation_deadline": (TODAY + datetime.timedelta(days=30)).isoformat(),
        },
    )
    visit = SiteInspection.objects.get()
    assert response.url == visit.get_portal_url()
    assert list(visit.members.all()) == [users["member"]]
    assert _records(visit).get().deputy == world.deputy_a1


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        ({"end_date": TODAY - datetime.timedelta(days=10)}, "结束日期不能早于开始日期"),
        ({"start_date": TODAY + datetime.timedelta(days=3)}, "请在视察后登记"),
        ({"subject": " "}, "请填写视察主题"),
    ],
)
def test_bad_input_is_refused_and_nothing_saved(world, users, fields, message):
    start = fields.pop("start_date", TODAY - datetime.timedelta(days=5))
    data = {
        "subject": "养老服务",
        "start_date": start,
        "end_date": fields.pop("end_date", start),
        **fields,
    }
    with pytest.raises(DomainError, match=message):
        services.site_inspection_save(
            user=users["staff"], county=world.county_a, deputies=[world.deputy_a1], **data
        )
    assert not SiteInspection.objects.exists() and not DutyRecord.objects.exists()


def test_a_deputy_of_another_county_is_refused(world, users):
    with pytest.raises(DomainError, match="本县"):
        make_site_inspection(world, users["staff"], deputies=[world.deputy_b1])
    assert not SiteInspection.objects.exists()


def test_a_deputy_reads_only_the_visits_they_took_part_in(client_for, world, users):
    staff = users["staff"]
    mine = make_site_inspection(world, staff, deputies=[world.deputy_a1], subject="我参加的")
    other = make_site_inspection(world, staff, deputies=[world.deputy_a2], subject="别人的")
    client = client_for("deputy")
    assert client.get(mine.get_portal_url()).status_code == 200
    assert client.get(other.get_portal_url()).status_code == 404
    page = client.get(reverse("oversight:site_inspections")).content.decode()
    assert "我参加的" in page and "别人的" not in page
    api = client.get(reverse("site-inspection-list")).json()
    assert [row["id"] for row in api["results"]] == [mine.pk]


@pytest.mark.parametrize("role", ["member", "township", "deputy"])
def test_others_may_not_enter_or_edit(client_for, world, users, role):
    visit = make_site_inspection(world, users["staff"], deputies=[world.deputy_a1])
    client = client_for(role)
    assert client.get(reverse("oversight:site_inspection_new")).status_code == 403
    assert client.get(reverse("oversight:site_inspection_edit", args=[visit.pk])).status_code == 403


def test_a_unit_does_not_read_them(client_for, world, users):
    visit = make_site_inspection(world, users["staff"])
    assert client_for("unit").get(visit.get_portal_url()).status_code == 403


def test_the_list_does_not_grow_with_visits(client_for, world, users):
    staff = users["staff"]
    client = client_for("staff")
    make_site_inspection(world, staff, deputies=[world.deputy_a1])
    urls = [reverse("oversight:site_inspections"), reverse("site-inspection-list")]
    before = [count_queries(client, url) for url in urls]
    for i in range(5):
        extra = f.make_deputy(world.home_a1)
        make_site_inspection(world, staff, subject=f"视察{i}", deputies=[world.deputy_a1, extra])
    assert [count_queries(client, url) for url in urls] == before
