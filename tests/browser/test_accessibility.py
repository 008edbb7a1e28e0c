"""An axe-core audit (WCAG 2.1 AA, vendored, no network) of every public page and every page of
the deputy's menu on a 390 px phone: no serious or critical violation. Government sites must be
usable by older people and people with disabilities (GB/T 37668-2019, 适老化)."""

import json
from pathlib import Path

import pytest

from congress_portal.navigation import menu_for
from tests.factories import PASSWORD
from tests.test_permission_matrix import objects, station_work, suggestion_with_evaluation  # noqa: F401

pytestmark = pytest.mark.browser

AXE = (Path(__file__).parent / "vendor" / "axe.min.js").read_text(encoding="utf-8")
RUN = """async () => {
  const result = await axe.run(document, {
    runOnly: {type: "tag", values: ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]},
  });
  return result.violations
    .filter((v) => v.impact === "serious" || v.impact === "critical")
    .map((v) => ({id: v.id, impact: v.impact, nodes: v.nodes.slice(0, 3).map((n) => n.target.join(" "))}));
}"""
PUBLIC = [
    "/public/",
    "/public/opinions/new/",
    "/public/stations/",
    "/public/showcase/",
    "/public/disclosure/",
    "/public/figures/",
    "/public/track/",
    "/accounts/login/",
]


def _audit(page, url: str) -> list:
    page.goto(url)
    page.add_script_tag(content=AXE)
    return page.evaluate(RUN)


def _phone(browser):
    return browser.new_context(
        viewport={"width": 390, "height": 844},
        locale="zh-CN",
        is_mobile=True,
        has_touch=True,
        bypass_csp=True,  # to inject axe; the pages' own scripts are all same-origin files
    )


def test_the_public_pages_have_no_serious_violation(live_server, browser, objects):  # noqa: F811
    context = _phone(browser)
    page = context.new_page()
    try:
        found = {url: _audit(page, live_server.url + url) for url in PUBLIC}
        station = objects["public:station_wall"]
        wall = f"/public/stations/{station.pk}/"
        found[wall] = _audit(page, live_server.url + wall)
    finally:
        context.close()
    found = {url: violations for url, violations in found.items() if violations}
    assert not found, json.dumps(found, ensure_ascii=False, indent=1)


def test_the_deputys_pages_have_no_serious_violation(live_server, browser, users, objects):  # noqa: F811
    user = users["deputy"]
    context = _phone(browser)
    page = context.new_page()
    found = {}
    try:
        page.goto(f"{live_server.url}/accounts/login/")
        page.fill("#id_username", user.username)
        page.fill("#id_password", PASSWORD)
        page.click("button[type=submit]")
        page.wait_for_url(f"{live_server.url}/")
        urls = ["/", *(link["url"] for s in menu_for(user) for link in s["links"])]
        for url in urls:
            violations = _audit(page, live_server.url + url)
            if violations:
                found[url] = violations
    finally:
        context.close()
    assert not found, json.dumps(found, ensure_ascii=False, indent=1)


def test_the_large_text_mode_is_one_tap_and_remembered(live_server, browser, objects):  # noqa: F811
    context = _phone(browser)
    page = context.new_page()
    try:
        page.goto(f"{live_server.url}/public/")
        size = page.evaluate("() => parseFloat(getComputedStyle(document.body).fontSize)")
        page.click("[data-text-size]")
        larger = page.evaluate("() => parseFloat(getComputedStyle(document.body).fontSize)")
        assert larger >= size * 1.2
        page.goto(f"{live_server.url}/public/stations/")  # remembered on the next page
        assert page.evaluate("() => document.documentElement.classList.contains('public-large')")
        assert page.get_attribute("[data-text-size]", "aria-pressed") == "true"
    finally:
        context.close()
