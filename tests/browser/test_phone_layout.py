"""Every page of the deputy's and the keeper's menus on a 390 px phone: nothing wider than the
screen, and no table cell squeezed narrower than two characters (a word one character a line,
"状/态"). Lists become stacked cards (js/tables.js, css/portal.css); a screenshot of each page is
kept as a CI artefact."""

import os

import pytest

from congress_portal.navigation import menu_for
from tests.factories import PASSWORD
from tests.test_permission_matrix import objects, station_work, suggestion_with_evaluation  # noqa: F401

pytestmark = pytest.mark.browser

MEASURE = """() => {
  const narrow = [];
  document.querySelectorAll("main td, main th").forEach((cell) => {
    const box = cell.getBoundingClientRect();
    const text = cell.textContent.trim();
    if (!box.width || !text || cell.closest(".table-grid")) return;
    const size = parseFloat(getComputedStyle(cell).fontSize);
    if (box.width < 2 * size) {
      const row = cell.closest("tr");
      narrow.push(`${text.slice(0, 20)} in "${row ? row.textContent.trim().slice(0, 40) : ""}"`);
    }
  });
  return {overflow: document.documentElement.scrollWidth - window.innerWidth, narrow};
}"""


@pytest.mark.parametrize("role", ["deputy", "keeper"])
def test_the_menu_pages_fit_a_phone(live_server, browser, users, objects, screenshot_dir, role):  # noqa: F811
    user = users[role]
    pages = [link for section in menu_for(user) for link in section["links"]]
    assert pages
    context = browser.new_context(
        viewport={"width": 390, "height": 844}, locale="zh-CN", is_mobile=True, has_touch=True
    )
    page = context.new_page()
    problems = {}
    try:
        page.goto(f"{live_server.url}/accounts/login/")
        page.fill("#id_username", user.username)
        page.fill("#id_password", PASSWORD)
        page.click("button[type=submit]")
        page.wait_for_url(f"{live_server.url}/")
        for link in ["/", *(entry["url"] for entry in pages)]:
            page.goto(f"{live_server.url}{link}")
            found = page.evaluate(MEASURE)
            name = link.strip("/").replace("/", "-") or "dashboard"
            page.screenshot(path=os.path.join(screenshot_dir, f"phone-{role}-{name}.png"))
            if found["overflow"] > 0 or found["narrow"]:
                problems[link] = found
    finally:
        context.close()
    assert not problems, problems
