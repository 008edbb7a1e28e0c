"""执法检查: the figures (inspections, recommendations, adopted) against hand-built data, the
participation of deputies as duty acts, adoption recorded by the body addressed, and what a
handling unit sees."""

import datetime

import pytest
from django.contrib.contenttypes.models import ContentType
from django.contrib.messages import get_messages
from django.urls import reverse

from deputies.models import DutyRecord
from oversight import services
from oversight.models import Inspection, InspectionRecommendation

from .builders import TODAY, make_inspection

LIST = reverse("oversight:inspections")


def message(response) -> str:
    return " ".join(str(m) for m in get_messages(response.wsgi_request))


def _decide(rec, staff, status):
    services.recommendation_decide(
        user=staff, recommendation=rec, status=status, evidence="已印发整改方案", decided_on=TODAY
    )


@pytest.fixture
def register(world, users):
    """Two inspections in county A: five recommendations (unit_a 3, another unit 2), three
    adopted, one not adopted, one pending; and one in county B that nobody in A sees."""
    staff = users["staff"]
    other_unit = world.unit_a.__class__.objects.create(name="甲县应急管理局", county=world.county_a)
    first = make_inspection(world, staff)
    second = make_inspection(world, staff, law="四川省古树名木保护条例")
    recs = [
        services.recommendation_add(user=staff, inspection=inspection, unit=unit, content=text)
        for inspection, unit, text in (
            (first, world.unit_a, "建议一"),
            (first, world.unit_a, "建议二"),
            (first, other_unit, "建议三"),
            (second, world.unit_a, "建议四"),
            (second, other_unit, "建议五"),
        )
    ]
    for rec in recs[:2] + [recs[4]]:
        _decide(rec, staff, "adopted")
    _decide(recs[2], staff, "not_adopted")
    Inspection.objects.create(
        county=world.county_b,
        law="安全生产法",
        start_date=TODAY,
        end_date=TODAY,
        created_by=users["admin"],
    )
    return {"first": first, "second": second, "recs": recs, "other_unit": other_unit}


def test_figures_count_inspections_recommendations_and_adopted(client_for, register):
    response = client_for("staff").get(LIST)
    assert response.context["figures"] == {"inspections": 2, "recommendations": 5, "adopted": 3}
    rows = {i.law: (i.recommendation_count, i.adopted_count) for i in response.context["page"]}
    assert rows == {"中华人民共和国安全生产法": (3, 2), "四川省古树名木保护条例": (2, 1)}
    filtered = client_for("staff").get(LIST, {"q": "古树"})
    assert filtered.context["figures"] == {"inspections": 1, "recommendations": 2, "adopted": 1}


def test_a_unit_sees_only_what_is_addressed_to_it(client_for, register, world, users):
    client = client_for("unit")
    response = client.get(LIST)
    assert response.context["figures"] == {"inspections": 2, "recommendations": 3, "adopted": 2}
    detail = client.get(reverse("oversight:inspection_detail", args=[register["first"].pk]))
    assert [r.content for r in detail.context["recommendations"]] == ["建议一", "建议二"]
    api = client.get("/api/v1/inspection-recommendations/").json()
    assert sorted(r["content"] for r in api["results"]) == ["建议一", "建议二", "建议四"]
    # An inspection without a recommendation to the unit does not exist for it.
    lone = make_inspection(world, users["staff"], law="森林法")
    assert client.get(reverse("oversight:inspection_detail", args=[lone.pk])).status_code == 404
    other = register["recs"][2]
    refused = client.post(
        reverse("oversight:recommendation_decide", args=[other.pk]),
        {f"r{other.pk}-status": "adopted", f"r{other.pk}-evidence": "x"},
    )
    assert refused.status_code == 404


def test_the_unit_records_adoption_with_evidence(client_for, register):
    rec = register["recs"][3]
    url = reverse("oversight:recommendation_decide", args=[rec.pk])
    client = client_for("unit")
    no_evidence = client.post(
        url,
        {
            f"r{rec.pk}-status": "adopted",
            f"r{rec.pk}-evidence": "  ",
            f"r{rec.pk}-decided_on": TODAY.isoformat(),
        },
    )
    assert "佐证" in message(no_evidence)
    rec.refresh_from_db()
    assert rec.status == "pending" and rec.decided_on is None
    client.post(
        url,
        {
            f"r{rec.pk}-status": "adopted",
            f"r{rec.pk}-evidence": "已建立古树名木档案",
            f"r{rec.pk}-decided_on": TODAY.isoformat(),
        },
    )
    rec.refresh_from_db()
    assert rec.status == InspectionRecommendation.Status.ADOPTED
    assert rec.evidence == "已建立古树名木档案" and rec.decided_on == TODAY


def test_participating_deputies_get_a_research_duty_record(client_for, world, users):
    client = client_for("staff")
    data = {
        "law": "中华人民共和国安全生产法",
        "joint": "province",
        "start_date": (TODAY - datetime.timedelta(days=3)).isoformat(),
        "end_date": TODAY.isoformat(),
        "methods": ["site_visit", "spot_check"],
        "deputies": [world.deputy_a1.pk, world.deputy_a2.pk],
        "members": [users["member"].pk],
    }
    response = client.post(reverse("oversight:inspection_new"), data)
    inspection = Inspection.objects.get()
    assert response.status_code == 302 and inspection.method_labels == ["实地察看", "随机抽查"]
    records = DutyRecord.objects.filter(
        source_type=ContentType.objects.get_for_model(Inspection), source_id=inspection.pk
    )
    assert {r.deputy_id for r in records} == {world.deputy_a1.pk, world.deputy_a2.pk}
    assert {r.kind for r in records} == {DutyRecord.Kind.RESEARCH}
    client.post(
        reverse("oversight:inspection_edit", args=[inspection.pk]),
        {**data, "deputies": [world.deputy_a1.pk]},
    )
    assert {r.deputy_id for r in records.all()} == {world.deputy_a1.pk}


def test_an_end_before_the_start_is_refused_and_nothing_saved(client_for, world):
    response = client_for("staff").post(
        reverse("oversight:inspection_new"),
        {
            "law": "安全生产法",
            "joint": "county",
            "start_date": TODAY.isoformat(),
            "end_date": (TODAY - datetime.timedelta(days=1)).isoformat(),
            "deputies": [world.deputy_a1.pk],
        },
    )
    assert response.status_code == 200
    assert "结束日期不能早于开始日期" in str(response.context["form"].errors)
    assert not Inspection.objects.exists() and not DutyRecord.objects.exists()


@pytest.mark.parametrize("role", ["member", "township", "deputy", "unit", "outsider"])
def test_only_committee_staff_register_inspections(client_for, role):
    assert client_for(role).get(reverse("oversight:inspection_new")).status_code == 403


def test_a_unit_cannot_add_recommendations(client_for, register, world):
    url = reverse("oversight:recommendation_add", args=[register["first"].pk])
    response = client_for("unit").post(url, {"unit": world.unit_a.pk, "content": "自己提的"})
    assert "常委会工作人员" in message(response)
    assert InspectionRecommendation.objects.count() == 5
