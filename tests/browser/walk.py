"""Helpers of the role walks: each person in their own phone-sized browser context, signed in
through the login page, finding pages through the menu as they would."""

import os
import re

from playwright.sync_api import expect

from tests.factories import PASSWORD

PHONE = {"width": 390, "height": 844}


def sign_in(browser, live_server, user):
    """A fresh 390 px context for one person, signed in at the login page; returns (context,
    page) on the dashboard."""
    context = browser.new_context(viewport=PHONE, locale="zh-CN", is_mobile=True, has_touch=True)
    context.set_default_timeout(10_000)
    page = context.new_page()
    page.goto(f"{live_server.url}/accounts/login/")
    page.fill("#id_username", user.username)
    page.fill("#id_password", PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_url(f"{live_server.url}/")
    return context, page


def via_menu(page, section: str, link: str) -> None:
    """Open the collapsed phone menu, its section, and follow the link. The menu's collapse
    animation must end before the section is tapped (a tap during it can leave the section shut),
    and a section that stayed shut is tapped again, as a person would."""
    page.click(".navbar-toggler")
    menu = page.locator("#main-nav")
    expect(menu).to_have_class(re.compile(r"\bshow\b"))
    opener = (
        menu.get_by_role("button", name=section)
        .or_(menu.get_by_role("link", name=section, exact=True))
        .first
    )
    target = menu.get_by_role("link", name=link, exact=True)
    for _attempt in range(3):
        if opener.get_attribute("aria-expanded") != "true":  # a link section has none
            opener.click()
        try:
            expect(target).to_be_visible(timeout=3_000)
            break
        except AssertionError:
            continue
    target.click()
    page.wait_for_load_state()


def fits(page) -> None:
    """Nothing on the page is wider than the phone's screen."""
    overflow = page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
    assert overflow <= 0, f"{page.url} overflows a 390 px screen by {overflow} px"


def shot(page, directory: str, name: str) -> None:
    fits(page)
    page.screenshot(path=os.path.join(directory, f"walk-{name}.png"), full_page=True)


def pick(page, field_id: str, query: str, label: str) -> None:
    """Choose in a searchable picker (core.widgets.SearchPicker) by typing part of a name."""
    page.fill(f"#{field_id}_search", query)
    results = page.locator(f"#{field_id}_search ~ .picker-results .picker-result")
    results.filter(has_text=label).first.click()
    expect(page.locator(f"#{field_id} option:checked", has_text=label)).to_have_count(1)


def expect_success(page, text: str) -> None:
    expect(page.locator(".alert-success")).to_contain_text(text)
