"""A staff member logs in with a real browser and sees the county dashboard, on a desktop screen
and on a 390 px wide phone."""

import pytest

from tests.factories import PASSWORD

pytestmark = pytest.mark.browser


@pytest.mark.parametrize(
    ("label", "viewport"),
    [("desktop", {"width": 1366, "height": 900}), ("phone", {"width": 390, "height": 844})],
)
def test_staff_logs_in_and_sees_the_dashboard(
    live_server, browser, users, world, screenshot_dir, label, viewport
):
    context = browser.new_context(viewport=viewport, locale="zh-CN")
    page = context.new_page()
    try:
        page.goto(f"{live_server.url}/deputies/")
        assert "/accounts/login/" in page.url
        page.fill("#id_username", users["staff"].username)
        page.fill("#id_password", PASSWORD)
        page.click("button[type=submit]")
        page.wait_for_url(f"{live_server.url}/deputies/")
        page.goto(f"{live_server.url}/")
        assert page.locator("h1").first.inner_text().startswith("工作台")
        assert page.locator("[data-figure=station_total]").inner_text() == "3"
        assert page.locator("[data-figure=deputy_total]").inner_text() == "3"
        # Nothing overflows sideways on a phone: the page is as wide as the screen.
        scroll_width = page.evaluate("document.documentElement.scrollWidth")
        assert scroll_width <= viewport["width"], scroll_width
        page.screenshot(path=f"{screenshot_dir}/dashboard-{label}.png", full_page=True)
        if label == "phone":
            # The menu collapses behind the toggler and opens on tap (Bootstrap JS is served).
            assert not page.locator("#main-nav").is_visible()
            page.click(".navbar-toggler")
            # A section of the menu opens on tap too, and leads to its pages.
            page.click("#main-nav .dropdown-toggle:text('代表履职')")
            page.locator("#main-nav a[href='/deputies/']").wait_for(state="visible")
    finally:
        context.close()


def test_wrong_password_shows_a_message(live_server, browser, users, world):
    page = browser.new_page()
    try:
        page.goto(f"{live_server.url}/accounts/login/")
        page.fill("#id_username", users["staff"].username)
        page.fill("#id_password", "wrong-password")
        page.click("button[type=submit]")
        assert "/accounts/login/" in page.url
        assert "请输入一个正确的" in page.locator(".alert-danger").inner_text()
    finally:
        page.close()
