"""The back office: every model is in the admin, in Chinese, and changelists do not do N+1."""

import pytest
from django.contrib import admin
from django.urls import reverse

from core.models import PersonalDataAccess
from tests.querycount import count_queries, grow

DOMAIN_MODELS = [
    "core.personaldataaccess",
    "directory.region",
    "directory.station",
    "directory.deputy",
    "directory.deputygroup",
    "directory.handlingunit",
    "stations.receptionday",
    "stations.reception",
    "stations.opinion",
    "stations.stationactivity",
    "stations.smallwish",
    "deputies.dutyrecord",
    "accounts.user",
]


def test_every_domain_model_is_registered():
    registered = {f"{m._meta.app_label}.{m._meta.model_name}" for m in admin.site._registry}
    assert set(DOMAIN_MODELS) <= registered


@pytest.mark.parametrize("label", DOMAIN_MODELS)
def test_changelist_query_count_does_not_grow(client_for, world, label):
    client = client_for("admin")
    app_label, model_name = label.split(".")
    url = reverse(f"admin:{app_label}_{model_name}_changelist")
    grow(world, 8)
    small = count_queries(client, url)
    grow(world, 24)
    assert count_queries(client, url) == small


def test_admin_is_in_chinese(client_for, world):
    html = client_for("admin").get("/admin/").content.decode()
    assert "人大代表" in html and "代表家站" in html and "后台管理" in html


def test_committee_staff_sees_id_numbers_in_the_admin_and_township_staff_cannot_enter(
    client_for, world
):
    url = reverse("admin:directory_deputy_change", args=[world.deputy_a1.pk])
    assert world.deputy_a1.id_number in client_for("staff").get(url).content.decode()
    assert PersonalDataAccess.objects.filter(record_id=str(world.deputy_a1.pk)).count() == 1
    assert client_for("township").get(url).status_code == 302


def test_admin_finds_a_deputy_by_exact_id_number(client_for, world):
    url = reverse("admin:directory_deputy_changelist")
    response = client_for("staff").get(url, {"q": world.deputy_a2.id_number})
    assert [d.pk for d in response.context["cl"].result_list] == [world.deputy_a2.pk]


def test_admin_refuses_a_deputy_with_a_bad_id_number_and_saves_nothing(client_for, world):
    client = client_for("staff")
    before = world.deputy_a1.__class__.objects.count()
    response = client.post(
        reverse("admin:directory_deputy_add"),
        {
            "name": "错号码",
            "gender": "M",
            "ethnicity": "汉族",
            "birth_date": "1975-03-08",
            "id_number": "510824197503080350",
            "party": "none",
            "occupation": "farmer",
            "station": world.home_a1.pk,
            "mandates-TOTAL_FORMS": "1",
            "mandates-INITIAL_FORMS": "0",
            "mandates-0-level": "county",
            "mandates-0-term": "18",
            "mandates-0-constituency": "第1选区",
            "mandates-0-is_active": "on",
        },
    )
    assert response.status_code == 200
    assert "校验码错误" in response.content.decode()
    assert world.deputy_a1.__class__.objects.count() == before
