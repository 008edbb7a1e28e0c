"""Every URL of the project, found by walking the URL conf: anonymous visitors are sent to a login
page (pages) or refused (API); only the few public URLs answer them."""

import re

import pytest
from django.urls import URLPattern, URLResolver, get_resolver, resolve, reverse
from django.urls.resolvers import RegexPattern, RoutePattern
from rest_framework.views import APIView

# Names of URLs that anonymous visitors may use.
PUBLIC = {
    "login",
    "logout",
    "healthz",
    "readyz",  # the readiness check for the load balancer and monitoring
    "admin:login",
    "admin:logout",
    "suggestions:public_evaluation",  # a one-time code is the key
    "dutyreports:evaluate",  # a voter's one-time evaluation code
    # The public side (issue 9): 民意直通车, tracking by code, directory, walls, disclosure.
    "public:home",
    "public:opinion_new",
    "public:captcha",
    "public:track_lookup",
    "public:track",
    "public:station_directory",
    "public:station_wall",
    "public:showcase",
    "public:disclosure",
    "public:figures",
    "public:station_search",  # the opinion form's station picker (JSON)
    "public:legislation_list",  # 立法意见征集: drafts open for comment, and the form
    "public:legislation_comment",
}

# A visitor at the root is a citizen: sent to the public side, not to a login page (issue 19).
TO_PUBLIC_SIDE = {"dashboard"}

_CONVERTER = re.compile(r"<(?:(?P<conv>\w+):)?(?P<name>\w+)>")
_NAMED_GROUP = re.compile(r"\(\?P<(?P<name>\w+)>(?P<body>[^)]*)\)")


def _route_to_path(route: str) -> str | None:
    if "drf_format_suffix" in route:
        return None  # DRF's format-suffix twin of the API root
    placeholders = {None: "1", "int": "1", "uuid": "00000000-0000-4000-8000-000000000000"}
    return _CONVERTER.sub(lambda m: placeholders.get(m["conv"], "x"), route)


def _regex_to_path(regex: str) -> str | None:
    if "(?P<format>" in regex:
        return None  # DRF's format-suffix twins of the same views

    def group(match):
        body = match["body"]
        if re.fullmatch(r"[\w|]+", body):
            return body.split("|")[0]
        return "1"

    text = _NAMED_GROUP.sub(group, regex)
    return text.lstrip("^").rstrip("$").replace("\\.", ".").replace("/?", "/")


def _walk(patterns, prefix="", namespace=""):
    for pattern in patterns:
        if isinstance(pattern.pattern, RoutePattern):
            piece = _route_to_path(str(pattern.pattern))
        elif isinstance(pattern.pattern, RegexPattern):
            piece = _regex_to_path(pattern.pattern.regex.pattern)
        else:  # pragma: no cover - Django has only these two
            raise AssertionError(pattern)
        if piece is None:
            continue
        if isinstance(pattern, URLResolver):
            ns = f"{namespace}{pattern.namespace}:" if pattern.namespace else namespace
            yield from _walk(pattern.url_patterns, prefix + piece, ns)
        elif isinstance(pattern, URLPattern):
            yield f"{namespace}{pattern.name}" if pattern.name else None, "/" + prefix + piece


def _is_api_view(url: str) -> bool:
    """DRF endpoints answer 401/403; the API docs page is a page and redirects to login."""
    view_class = getattr(resolve(url).func, "cls", None)
    is_drf = view_class is not None and issubclass(view_class, APIView)
    return is_drf and url != reverse("api-docs")


def all_urls():
    urls = sorted(set(_walk(get_resolver().url_patterns)), key=lambda item: item[1])
    return [(name, url) for name, url in urls if not url.startswith("/static/")]


def test_the_walk_finds_every_kind_of_url():
    names = {name for name, _ in all_urls()}
    assert {"dashboard", "stations:list", "deputies:detail", "admin:index", "api-schema"} <= names
    assert any(url.startswith("/api/v1/deputies/") for _, url in all_urls())
    for _, url in all_urls():
        resolve(url)  # every generated URL really maps to a view


@pytest.mark.parametrize(("name", "url"), [item for item in all_urls() if item[0] not in PUBLIC])
def test_anonymous_visitor_is_sent_to_login_or_refused(db, client, name, url):
    response = client.get(url)
    if _is_api_view(url):
        assert response.status_code in (401, 403), (url, response.status_code)
    elif name in TO_PUBLIC_SIDE:
        assert response.status_code == 302 and response["Location"] == "/public/", url
    else:
        assert response.status_code == 302, (url, response.status_code)
        assert response["Location"].startswith(("/accounts/login/", "/admin/login/")), url


def test_public_urls_answer_anonymous_visitors(db, client):
    assert client.get("/accounts/login/").status_code == 200
    assert client.get("/healthz").json() == {"status": "ok"}
    assert client.get("/admin/login/").status_code == 200
