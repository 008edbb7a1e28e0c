"""The OpenAPI schema describes what the API answers (core.api.schema)."""

import pytest


@pytest.fixture
def schema(client_for):
    response = client_for("staff").get("/api/schema/?format=json")
    assert response.status_code == 200
    return response.json()


def component(schema, name):
    return schema["components"]["schemas"][name]


@pytest.mark.parametrize(
    ("serializer", "field"),
    [
        ("Opinion", "handling_unit_name"),
        ("OpinionDetail", "handling_unit_name"),
        ("SmallWish", "claimed_by_name"),
        ("Station", "village_name"),
        ("DeputyGroup", "leader_name"),
    ],
)
def test_a_field_read_through_a_missing_relation_is_nullable(schema, serializer, field):
    assert component(schema, serializer)["properties"][field]["nullable"] is True


def test_a_field_read_through_a_required_relation_stays_non_null(schema):
    assert "nullable" not in component(schema, "SmallWish")["properties"]["station_name"]


@pytest.mark.parametrize(
    ("path", "name"),
    [("/api/v1/annual-overview/", "Overview"), ("/api/v1/suggestion-statistics/", "Statistics")],
)
def test_a_period_summary_is_an_object_not_an_array(schema, path, name):
    body = schema["paths"][path]["get"]["responses"]["200"]["content"]["application/json"]
    assert body["schema"] == {"$ref": f"#/components/schemas/{name}"}
    assert component(schema, name)["type"] == "object"


def test_every_operation_documents_its_error_answers(schema):
    operations = [
        (path, operation)
        for path, item in schema["paths"].items()
        for method, operation in item.items()
        if method == "get"
    ]
    assert len(operations) >= 50
    for path, operation in operations:
        responses = operation["responses"]
        assert {"200", "403", "404"} <= set(responses), path
        assert "429" not in responses, path  # no API endpoint is rate-limited
        filters = [p for p in operation.get("parameters", []) if p["name"] in ("year", "station")]
        if filters:
            bad = responses["400"]["content"]["application/json"]["schema"]
            assert bad == {"$ref": "#/components/schemas/ValidationErrors"}, path
    errors = component(schema, "ValidationErrors")
    assert errors["additionalProperties"] == {"type": "array", "items": {"type": "string"}}


def test_filter_parameters_state_their_bounds(schema):
    parameters = {
        p["name"]: p["schema"] for p in schema["paths"]["/api/v1/activities/"]["get"]["parameters"]
    }
    assert parameters["year"] == {"type": "integer", "minimum": 1, "maximum": 9999}
    assert parameters["station"]["type"] == "integer"
    assert parameters["station"]["maximum"] == 2**63 - 1


def test_an_api_path_no_route_matches_answers_json(client_for):
    response = client_for("staff").get("/api/v1/stations/1.5/")
    assert response.status_code == 404
    assert response["Content-Type"] == "application/json"
    assert response.json() == {"detail": "未找到。"}
    page = client_for("staff").get("/no-such-page/")
    assert page.status_code == 404 and "页面不存在" in page.content.decode()
