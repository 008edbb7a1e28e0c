from core.models import PersonalDataAccess
from tests.querycount import count_queries, grow


def results(response) -> list[dict]:
    assert response.status_code == 200, response.content
    return response.json()["results"]


def test_deputy_api_masks_personal_data_by_default_for_everyone(client_for, world):
    deputy = world.deputy_a1
    for role in ("township", "staff", "admin"):
        row = results(client_for(role).get(f"/api/v1/deputies/?q={deputy.name}"))[0]
        assert row["id_number"] == f"{deputy.id_number[:6]}********{deputy.id_number[-4:]}"
        assert row["phone"] == f"{deputy.phone[:3]}****{deputy.phone[-4:]}"
    assert not PersonalDataAccess.objects.exists()


def test_deputy_api_reveals_to_permitted_users_and_logs_each_record(client_for, users, world):
    rows = results(client_for("staff").get("/api/v1/deputies/?reveal=1", REMOTE_ADDR="10.1.2.3"))
    assert {row["id_number"] for row in rows} == {
        world.deputy_a1.id_number,
        world.deputy_a1_liaison.id_number,
        world.deputy_a2.id_number,
    }
    entries = PersonalDataAccess.objects.filter(user=users["staff"])
    assert entries.count() == 3
    assert {e.record_id for e in entries} == {str(row["id"]) for row in rows}
    assert {e.ip_address for e in entries} == {"10.1.2.3"}
    assert {e.fields for e in entries} == {"id_number,phone"}


def test_deputy_api_refuses_reveal_without_the_permission(client_for, world):
    response = client_for("township").get(f"/api/v1/deputies/{world.deputy_a1.pk}/?reveal=1")
    assert response.status_code == 403
    assert not PersonalDataAccess.objects.exists()


def test_deputy_api_detail_carries_mandates_groups_and_station(client_for, world):
    response = client_for("staff").get(f"/api/v1/deputies/{world.deputy_a1.pk}/")
    body = response.json()
    assert body["station_name"] == "甲一镇代表之家"
    assert body["township"] == world.a1.pk
    assert [m["level"] for m in body["mandates"]] == ["county"]
    assert body["groups"] == [{"id": world.group_a.pk, "name": "教育卫生小组"}]


def test_deputy_api_filters(client_for, world):
    client = client_for("staff")
    names = lambda url: {row["name"] for row in results(client.get(url))}  # noqa: E731
    assert names("/api/v1/deputies/?level=township") == {"李联络"}
    assert names(f"/api/v1/deputies/?township={world.a2.pk}") == {"王甲二"}
    assert names(f"/api/v1/deputies/?group={world.group_a.pk}") == {"张甲一", "王甲二"}
    assert names("/api/v1/deputies/?ordering=-name&gender=M") <= {"张甲一", "李联络", "王甲二"}


def test_deputy_api_rejects_an_invalid_filter_value_with_400(client_for, world):
    response = client_for("staff").get("/api/v1/deputies/?level=emperor")
    assert response.status_code == 400
    assert "level" in response.json()


def test_deputy_api_rejects_a_station_outside_the_scope(client_for, world):
    response = client_for("township").get(f"/api/v1/deputies/?station={world.home_a2.pk}")
    assert response.status_code == 400


def test_station_api_filters_and_counts(client_for, world):
    rows = results(client_for("staff").get("/api/v1/stations/?kind=home&ordering=name"))
    assert [row["name"] for row in rows] == ["甲一镇代表之家", "甲二镇代表之家"]
    assert rows[0]["deputy_count"] == 1


def test_handling_unit_and_region_filters(client_for, world):
    client = client_for("staff")
    assert [r["name"] for r in results(client.get("/api/v1/handling-units/?q=交通"))] == [
        "甲县交通运输局"
    ]
    townships = results(client.get("/api/v1/regions/?level=township"))
    assert {r["id"] for r in townships} == {world.a1.pk, world.a2.pk}


def test_api_is_read_only(client_for, world):
    client = client_for("admin")
    assert client.post("/api/v1/deputies/", {"name": "x"}).status_code == 405
    assert client.delete(f"/api/v1/deputies/{world.deputy_a1.pk}/").status_code == 405


def test_openapi_schema_and_docs_are_served_offline(client_for, world):
    client = client_for("deputy")
    schema = client.get("/api/schema/")
    assert schema.status_code == 200
    assert b"/api/v1/deputies/" in schema.content
    docs = client.get("/api/docs/").content.decode()
    assert "swagger-ui" in docs
    assert "cdn" not in docs.lower() and "https://" not in docs  # assets come from static/


def test_deputy_api_query_count_does_not_grow_with_data(client_for, world):
    client = client_for("staff")
    grow(world, 10)
    small = count_queries(client, "/api/v1/deputies/")
    grow(world, 30)
    assert count_queries(client, "/api/v1/deputies/") == small


def test_station_api_query_count_does_not_grow_with_data(client_for, world):
    client = client_for("staff")
    grow(world, 8)
    small = count_queries(client, "/api/v1/stations/")
    grow(world, 24)
    assert count_queries(client, "/api/v1/stations/") == small
