"""The supervision topic page numbers its sections without a gap, whether or not a rectification
deadline is set (issue 20, wording)."""

import re

from django.urls import reverse

from .builders import make_topic

CHINESE = "一二三四五六七八九十"


def test_the_topic_page_numbers_its_sections_without_a_gap(world, users, client_for):
    topic = make_topic(world, users["staff"])
    page = client_for("staff").get(reverse("oversight:topic_detail", args=[topic.pk]))
    numbers = re.findall(
        r"<h2[^>]*>\s*(?:{[^}]*})?\s*([一二三四五六七八九十]+)、", page.content.decode()
    )
    assert numbers == list(CHINESE[: len(numbers)]) and len(numbers) >= 5
