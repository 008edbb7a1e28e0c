"""A deputy logs a reception on a 390 px phone screen: day pre-selected, two opinions (the second
row added with the button), a photo from the camera roll, saved in one go."""

import datetime

import pytest
from django.utils import timezone
from PIL import Image

from stations.models import Reception
from tests import factories as f
from tests.factories import PASSWORD

pytestmark = pytest.mark.browser


def test_deputy_logs_a_reception_on_a_phone(
    live_server, browser, users, world, screenshot_dir, tmp_path, settings
):
    settings.MEDIA_ROOT = tmp_path / "media"
    day = f.make_reception_day(
        world.home_a1, timezone.localdate() - datetime.timedelta(days=2), on_duty=[world.deputy_a1]
    )
    photo = tmp_path / "scene.jpg"
    Image.new("RGB", (64, 48), "green").save(photo, format="JPEG")
    context = browser.new_context(
        viewport={"width": 390, "height": 844}, locale="zh-CN", is_mobile=True, has_touch=True
    )
    page = context.new_page()
    try:
        page.goto(f"{live_server.url}/stations/receptions/new/")
        page.fill("#id_username", users["deputy"].username)
        page.fill("#id_password", PASSWORD)
        page.click("button[type=submit]")
        page.wait_for_url("**/stations/receptions/new/")
        assert page.locator("#id_reception_day").input_value() == str(day.pk)
        page.fill("#id_voters_received", "9")
        page.select_option("#id_opinions-0-category", "roads")
        page.fill("#id_opinions-0-content", "村道破损需要维修")
        page.click("[data-formset-add=opinions]")
        page.select_option("#id_opinions-1-category", "water")
        page.fill("#id_opinions-1-content", "饮水管网漏水")
        page.fill("#id_opinions-1-voter_phone", "13900001234")
        page.set_input_files("#id_photos", str(photo))
        assert page.evaluate("document.documentElement.scrollWidth") <= 390
        page.screenshot(path=f"{screenshot_dir}/reception-form-phone.png", full_page=True)
        page.click("main form[enctype] button[type=submit]")
        page.wait_for_url("**/stations/receptions/*/")
        assert "已登记" in page.locator(".alert-success").inner_text()
        reception = Reception.objects.get()
        assert (
            reception.voters_received == 9
            and reception.opinions.count() == 2
            and reception.photos.count() == 1
        )
        assert "139****1234" in page.content() and "13900001234" not in page.content()
        page.screenshot(path=f"{screenshot_dir}/reception-detail-phone.png", full_page=True)
    finally:
        context.close()
