"""Crafted query values never cause a server error: every page and endpoint of the URLconf is
requested as committee staff with hostile values for every query parameter it reads.

Which parameters a URL reads is not listed by hand: a first request records every key the view
(its filterset's form, DRF's filter backend, or its own code) asks ``request.GET`` for, joined by
the filters the endpoint's filterset declares; then each hostile value goes into all of them at
once. Where a refusal could hide a field (the API refuses the whole request and names the bad
fields), the request is repeated with the fields that were accepted, so each accepted value
reaches its query."""

import json
from urllib.parse import urlencode

import pytest
from django.http import QueryDict
from django.test import Client
from django.urls import resolve, reverse
from django.utils import timezone

from core.api.filters import PortalFilterBackend
from core.filters import PortalFilterSet, query_int, query_year
from stations.services.ledger import activity_save
from tests.test_permission_matrix import URLS, concrete_url, objects  # noqa: F401

PROBE = "_probe"
HOSTILE = [
    "0",
    "-1",
    "0.0",
    "1.5",
    "99999999999999999999",
    "-99999999999999999999",
    "1e999",
    "NaN",
    "²",
    "１２",
    "abc",
    "9999-12-31",
    "0001-01-01",
    "2024-02-30",
    "'\"<>",
]


@pytest.fixture
def read_keys(monkeypatch):
    """The query keys read from any QueryDict that carries the probe marker."""
    keys: set[str] = set()

    def recording(name):
        original = getattr(QueryDict, name)

        def method(self, key, *args, **kwargs):
            if isinstance(key, str) and dict.__contains__(self, PROBE):
                keys.add(key)
            return original(self, key, *args, **kwargs)

        monkeypatch.setattr(QueryDict, name, method)

    for name in ("get", "__getitem__", "__contains__", "getlist"):
        recording(name)
    return keys


def declared_filters(url: str) -> set[str]:
    view_class = getattr(resolve(url).func, "cls", None)
    if view_class is None or not getattr(view_class, "filterset_class", None):
        return set()
    return set(view_class.filterset_class.base_filters)


def request(client, url, params):
    try:
        response = client.get(url + "?" + urlencode(params, doseq=True))
    except Exception as error:  # noqa: BLE001 - the test client re-raises the view's exception
        return None, repr(error)[:160]
    return response, response.status_code


def test_no_query_value_causes_a_server_error(objects, users, read_keys):  # noqa: F811
    client = Client()
    client.force_login(users["staff"])
    failures, swept = [], 0
    for key, url in URLS:
        if url.startswith("/admin/"):
            continue  # Django's admin validates its own changelist parameters
        target = concrete_url(key, url, objects)
        read_keys.clear()
        client.get(target, {PROBE: "1"})
        names = sorted((read_keys | declared_filters(target)) - {PROBE})
        if not names:
            continue
        swept += 1
        for value in HOSTILE:
            attempts = [names]
            while attempts:
                tried = attempts.pop()
                response, status = request(client, target, {name: value for name in tried})
                if not isinstance(status, int) or status >= 500:
                    failures.append(f"{target} {tried}={value!r}: {status}")
                    continue
                if status == 400 and len(tried) > 1:
                    attempts.extend(accepted_fields(response, tried))
    assert swept >= 60, swept
    assert not failures, "\n".join(failures)


def accepted_fields(response, tried) -> list[list[str]]:
    """After a 400: the API names the refused fields, so retry with the others; a page that
    refused the whole request is asked again one field at a time."""
    if response["Content-Type"].startswith("application/json"):
        refused = json.loads(response.content)
        rest = [name for name in tried if name not in refused]
        return [rest] if rest and isinstance(refused, dict) else []
    return [[name] for name in tried]


# --- What the visitor gets ---------------------------------------------------------------------


@pytest.mark.parametrize(
    ("url", "field"),
    [
        ("/api/v1/suggestions/?year=0", "year"),
        ("/api/v1/activities/?year=-1", "year"),
        ("/api/v1/inspections/?year=0.0", "year"),
        ("/api/v1/trainings/?year=99999999999999999999", "year"),
        ("/api/v1/regions/?parent=99999999999999999999", "parent"),
        ("/api/v1/duty-stories/?station=-99999999999999999999", "station"),
        ("/api/v1/inspection-recommendations/?inspection=99999999999999999999", "inspection"),
        ("/api/v1/small-wishes/?township=99999999999999999999", "township"),
        (
            "/api/v1/rectifications/?report__campaign__year=99999999999999999999",
            "report__campaign__year",
        ),
        ("/api/v1/deputies/?station=²", "station"),
    ],
)
def test_the_api_answers_400_naming_the_field(client_for, url, field):
    response = client_for("staff").get(url)
    assert response.status_code == 400
    body = response.json()
    assert list(body) == [field] and body[field][0]


def test_the_api_names_every_refused_field_at_once(client_for):
    response = client_for("staff").get(
        "/api/v1/small-wishes/?township=99999999999999999999&station=0&year=-1&status=x"
    )
    assert response.status_code == 400
    assert set(response.json()) >= {"township", "station", "status"}


def test_a_page_shows_the_list_with_a_message(client_for, world, users):
    activity_save(
        user=users["keeper"],
        station=world.home_a1,
        kind="themed",
        date=timezone.localdate(),
        theme="乡村振兴宣讲",
        deputies=[],
        people_reached=5,
    )
    response = client_for("staff").get("/stations/activities/?year=0&kind=themed")
    html = response.content.decode()
    assert response.status_code == 200
    assert "以下筛选条件无效,未按其筛选" in html and "年度:确保该值大于或等于1。" in html
    assert [a.theme for a in response.context["page"]] == ["乡村振兴宣讲"]  # the valid filter held
    for url in (
        "/suggestions/?year=-1",
        "/stations/receptions/?year=99999999999999999999",
        "/oversight/inspections/?year=0.0",
        "/stations/wishes/?township=99999999999999999999",
    ):
        response = client_for("staff").get(url)
        assert response.status_code == 200, url
        assert "以下筛选条件无效,未按其筛选" in response.content.decode(), url


def test_the_export_form_repeats_the_query_and_a_key_named_items_is_harmless(client_for):
    response = client_for("staff").get("/oversight/topics/?items=x&q=a&q=b")
    html = response.content.decode()
    assert response.status_code == 200
    assert '<input type="hidden" name="items" value="x">' in html
    assert '<input type="hidden" name="q" value="a"><input type="hidden" name="q" value="b">' in (
        html
    )


def test_a_nul_character_in_the_query_string_is_refused(client_for):
    for url in ("/public/stations/?q=%00", "/deputies/?q%00=1"):
        response = client_for("staff").get(url)
        assert response.status_code == 400, url
        assert "查询参数包含非法字符" in response.content.decode()
    response = client_for("staff").get("/api/v1/deputies/?search=a%00")
    assert response.status_code == 400
    assert "查询参数包含非法字符" in response.json()["non_field_errors"][0]


def test_an_api_filterset_that_is_not_bounded_is_refused():
    import django_filters
    from django.core.exceptions import ImproperlyConfigured

    from directory.models import Region

    class Loose(django_filters.FilterSet):
        class Meta:
            model = Region
            fields = ["parent"]

    class View:
        filterset_class = Loose
        filterset_fields = None

    with pytest.raises(ImproperlyConfigured, match="PortalFilterSet"):
        PortalFilterBackend().get_filterset_class(View(), Region.objects.none())
    View.filterset_class = type("Bounded", (PortalFilterSet,), {"Meta": Loose.Meta})
    assert PortalFilterBackend().get_filterset_class(View(), Region.objects.none())


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("12", 12),
        (" 7 ", 7),
        ("0", None),
        ("-1", None),
        ("1.0", None),
        ("²", None),
        ("１２", None),
        ("99999999999999999999", None),
        ("9223372036854775807", 9223372036854775807),
        (None, None),
        ("", None),
    ],
)
def test_query_int(value, expected):
    assert query_int(value) == expected


def test_query_year():
    assert query_year("2024", default=2026, last=2026) == 2024
    assert query_year("1999", default=2026) == 2026
    assert query_year("2027", default=2026, last=2026) == 2026
    assert query_year("x", default=2026) == 2026
    assert reverse("stations:activity_list") == "/stations/activities/"
