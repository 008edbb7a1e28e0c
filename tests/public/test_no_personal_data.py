"""Nothing personal on any public page: the full demo county is built and every public page is
rendered and scanned for resident ID numbers and mobile phone numbers."""

import re

import pytest
from django.test import Client, override_settings
from django.urls import reverse

from demo.seed import build_demo
from directory.models import Station
from public.models import DutyStory
from stations.models import Opinion

ID_NUMBER = re.compile(r"(?<![0-9A-Za-z])\d{17}[\dXx](?![0-9A-Za-z])")
MOBILE = re.compile(r"(?<!\d)1[3-9]\d{9}(?!\d)")


def pages_of(client, url: str, key: str = "page", param: str = "page") -> list[str]:
    """A paginated page and all its following pages."""
    pages, number = [], 1
    while True:
        response = client.get(url, {param: number})
        assert response.status_code == 200, url
        pages.append(response.content.decode())
        if not response.context[key].has_next():
            return pages
        number += 1


@pytest.mark.django_db
def test_no_id_number_or_phone_on_any_public_page_of_the_demo_county(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    with override_settings(DEBUG=True):
        build_demo()
    # The demo really holds personal data the pages must keep to themselves.
    from directory.models import Deputy

    deputy = Deputy.objects.exclude(phone="").first()
    assert deputy is not None and MOBILE.search(deputy.phone)
    assert DutyStory.objects.filter(is_published=True).exists()
    assert DutyStory.objects.filter(is_published=False).exists()

    client = Client()
    html = []
    for name in ("public:home", "public:figures", "public:opinion_new", "public:track_lookup"):
        response = client.get(reverse(name))
        assert response.status_code == 200
        html.append(response.content.decode())
    html += pages_of(client, reverse("public:station_directory"))
    html += pages_of(client, reverse("public:disclosure"), "suggestions")
    # The published duty reports with their evaluation results, and the rectifications.
    html += pages_of(client, reverse("public:disclosure"), "reports", "reports")
    html += pages_of(client, reverse("public:disclosure"), "rectifications", "rectifications")
    html += pages_of(client, reverse("public:showcase"))
    for station in Station.objects.filter(is_active=True).order_by("pk"):
        response = client.get(reverse("public:station_wall", args=[station.pk]))
        assert response.status_code == 200
        html.append(response.content.decode())
    for opinion in Opinion.objects.order_by("pk")[:50]:
        response = client.get(reverse("public:track", args=[opinion.tracking_code]))
        assert response.status_code == 200
        html.append(response.content.decode())
    assert len(html) > 130

    disclosed = "".join(html)
    assert "代表建议办理结果" in disclosed and "承办单位" in disclosed  # something is disclosed
    for pattern in (ID_NUMBER, MOBILE):
        found = pattern.findall(disclosed)
        assert not found, f"{pattern.pattern}: {found[:5]}"
    for masked in Deputy.objects.values_list("id_number_masked", flat=True)[:200]:
        assert masked not in disclosed
    # Unpublished stories stay out.
    for title in DutyStory.objects.filter(is_published=False).values_list("title", flat=True):
        assert title not in disclosed
