"""A member of the public sends an opinion on a 390 px phone, with no account and no script
needed, then follows it with the tracking code."""

import importlib

import pytest
from django.conf import settings as django_settings

from public.captcha import SESSION_KEY
from stations.models import Opinion

pytestmark = pytest.mark.browser


def captcha_answer(context) -> int:
    """The server-side answer of this browser's session (the test reads the session store)."""
    cookie = next(c for c in context.cookies() if c["name"] == django_settings.SESSION_COOKIE_NAME)
    store = importlib.import_module(django_settings.SESSION_ENGINE).SessionStore
    return store(session_key=cookie["value"]).load()[SESSION_KEY]["answer"]


def test_a_phone_user_sends_an_opinion_and_follows_it(
    live_server, browser, world, settings, tmp_path, screenshot_dir
):
    settings.PUBLIC_COUNTY_CODE = world.county_a.code
    settings.MEDIA_ROOT = tmp_path
    viewport = {"width": 390, "height": 844}
    context = browser.new_context(viewport=viewport, locale="zh-CN", java_script_enabled=False)
    page = context.new_page()
    try:
        page.goto(f"{live_server.url}/public/stations/")
        assert "/accounts/login/" not in page.url
        page.click(f"article[data-station='{world.home_a1.pk}'] a:has-text('网上写信')")
        assert page.locator("#id_station").input_value() == str(world.home_a1.pk)
        page.select_option("#id_category", "water")
        page.fill("#id_content", "我们村自来水经常停水,希望尽快解决。")
        page.fill("#id_captcha", str(captcha_answer(context)))
        assert page.evaluate("document.documentElement.scrollWidth") <= viewport["width"]
        page.screenshot(path=f"{screenshot_dir}/public-opinion-form.png", full_page=True)
        page.click("button[type=submit]")
        page.wait_for_url(f"{live_server.url}/public/track/**")
        code = page.locator("[data-tracking-code]").inner_text().strip()
        opinion = Opinion.objects.get()
        assert code == opinion.tracking_code
        assert opinion.channel == "online" and opinion.station == world.home_a1
        assert page.locator("[data-status]").inner_text() == "已受理"
        assert page.evaluate("document.documentElement.scrollWidth") <= viewport["width"]

        # Later, from another visit: the lookup form with the code.
        page.goto(f"{live_server.url}/public/track/")
        page.fill("#id_code", code)
        page.click("button[type=submit]")
        assert page.locator("[data-status]").inner_text() == "已受理"
        assert "我们村自来水经常停水" in page.content()
        page.screenshot(path=f"{screenshot_dir}/public-opinion-track.png", full_page=True)
    finally:
        context.close()
