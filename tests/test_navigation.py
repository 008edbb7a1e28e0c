"""The menu as each role finds it (congress_portal/navigation.py), derived from the permission
matrix: every menu link opens; a crawl of every page a role reaches from its menu finds no link
that answers it 403 or 404; and every page the matrix lets a role use is reachable from its menu
within two clicks."""

import re
from html.parser import HTMLParser
from urllib.parse import urlsplit

import pytest
from django.test import Client
from django.urls import NoReverseMatch, Resolver404, resolve, reverse

from congress_portal.navigation import menu_for

from .permission_matrix import EXPECTED, ROLES
from .test_permission_matrix import objects, station_work, suggestion_with_evaluation  # noqa: F401

SIGNED_IN = [role for role in ROLES if role != "anonymous"]

# Pages a role may open that are not a place to go from a menu: the steps of a flow started
# elsewhere, files, and what a link in a message or a notification opens.
NOT_DESTINATIONS = {
    "password_change_done",  # after changing the password
    "two_factor_setup",  # from the password page / the administrator's instruction
    "two_factor_verify",  # asked at sign-in
    "rosters:template",  # a download on the import page
    "api-schema",  # the machine-readable schema behind 接口文档
    "admin:index",  # Django admin has its own navigation
    "suggestions:deputy_search",  # the draft form's picker asks it (JSON), not a page
    "directory:deputy_search",  # the pickers' sources (JSON)
    "directory:station_search",
    "stations:reception_day_search",  # the reception form's day picker (JSON)
    "directory:unit_search",
    "healthz",  # for the load balancer
    "readyz",
}


class _Links(HTMLParser):
    def __init__(self):
        super().__init__()
        self.hrefs: list[str] = []

    def handle_starttag(self, tag, attrs):
        if tag == "a":
            href = dict(attrs).get("href") or ""
            if href.startswith("/") and not href.startswith("//"):
                self.hrefs.append(href)


def _links(html: str) -> list[str]:
    parser = _Links()
    parser.feed(html)
    return parser.hrefs


# Links the crawl does not follow: files, the admin (its own permission tests), the public side
# (anonymous, tests/public), signing out.
SKIP = re.compile(
    r"^/(static|media|admin|api|public)/|/download/|/photo|/evidence|\.(xlsx|pdf|png)$"
)


def _without_arguments(name: str) -> bool:
    """A page of its own (a list, a register, a form), not one record's page: those are reached
    through their lists."""
    try:
        path = reverse(name)
    except NoReverseMatch:
        return False
    return not path.startswith("/api/")  # the API's endpoints are not pages


def _key(path: str):
    try:
        match = resolve(path)
    except Resolver404:
        return None
    return match.view_name, tuple(sorted(match.kwargs.items()))


def _crawl(client: Client, menu_urls: list[str]) -> tuple[dict, set[str]]:
    """Open the menu's pages (one click) and every page they link to (two clicks), one request
    per view and arguments. Returns the status of each page opened by path and the view names
    reached."""
    statuses: dict[str, int] = {}
    seen: set = set()
    reached: set[str] = set()

    def visit(path: str) -> str:
        response = client.get(path)
        statuses[path] = response.status_code
        is_page = response.get("Content-Type", "").startswith("text/html")
        if response.status_code != 200 or not is_page or response.streaming:
            return ""
        return response.content.decode()

    second: list[str] = []
    for url in ["/", *menu_urls]:
        key = _key(urlsplit(url).path)
        seen.add(key)
        reached.add(key[0] if key else url)
        second += _links(visit(url))
    for href in second:
        path = urlsplit(href).path
        if SKIP.search(path):
            continue
        key = _key(path)
        if key is None or key in seen:
            continue
        seen.add(key)
        reached.add(key[0])
        visit(href)
    return statuses, reached


@pytest.mark.parametrize("role", SIGNED_IN)
def test_each_role_reaches_its_pages_from_its_menu_and_no_link_refuses_it(objects, users, role):  # noqa: F811
    user = users[role]
    client = Client()
    client.force_login(user)
    menu = [link for section in menu_for(user) for link in section["links"]]
    user_menu = ["/notifications/", "/exports/", "/accounts/password/"]
    for link in menu:
        assert client.get(link["url"]).status_code == 200, (role, link["url"])
    statuses, reached = _crawl(client, [link["url"] for link in menu] + user_menu)
    refused = {path: status for path, status in statuses.items() if status in (403, 404)}
    assert not refused, f"{role} is offered links that refuse it: {refused}"
    may_use = {
        name
        for name, table in EXPECTED.items()
        if table.get(role) == 200
        and not name.startswith(("/", "admin:", "api", "public:"))
        and name not in NOT_DESTINATIONS
        and _without_arguments(name)
    }
    unreachable = sorted(may_use - reached)
    assert not unreachable, f"{role} cannot reach these pages within two clicks: {unreachable}"


def test_the_api_documentation_is_in_the_administrators_menu_only(users):
    for role in SIGNED_IN:
        names = {link["name"] for s in menu_for(users[role]) for link in s["links"]}
        assert ("api-docs" in names) is (role == "admin"), role


def test_a_visitor_at_the_root_is_sent_to_the_public_side_and_the_login_page_leads_there(db):
    client = Client()
    response = client.get("/")
    assert response.status_code == 302 and response["Location"] == "/public/"
    page = client.get("/accounts/login/").content.decode()
    for target in ("/public/opinions/new/", "/public/stations/", "/public/"):
        assert f'href="{target}"' in page


def test_users_of_one_kind_share_a_menu_and_other_kinds_do_not(users, world):
    from accounts.models import Role
    from tests import factories as f

    other_keeper = f.make_user(Role.STATION_KEEPER, "t_keeper_2", station=world.home_a2)
    assert menu_for(other_keeper) == menu_for(users["keeper"])
    archive = [
        link["url"]
        for s in menu_for(users["deputy"])
        for link in s["links"]
        if "archive" in link["url"]
    ]
    assert archive == [f"/deputies/{world.deputy_a1.pk}/archive/"]
    other_deputy = f.make_user(Role.DEPUTY, "t_deputy_2", deputy=world.deputy_a2)
    assert menu_for(other_deputy) != menu_for(users["deputy"])  # their own archive
    assert menu_for(users["member"]) != menu_for(users["staff"])
