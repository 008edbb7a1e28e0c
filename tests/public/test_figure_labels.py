"""/public/figures/ names each reception figure for what it counts: the receptions logged
(次代表接待) and the voters they received (人次选民得到接待), never one under the other's label;
both equal the staff dashboard's figures of the same receptions."""

import re

from django.core.cache import cache
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from stations.services.receptions import reception_log
from tests import factories as f


def _figure(page: str, key: str, label: str) -> int:
    match = re.search(rf'data-figure="{key}">(\d+)</span>{label}<', page)
    assert match, (key, label)
    return int(match.group(1))


def test_receptions_and_voters_received_each_under_their_own_label(
    public_county, world, users, client_for
):
    today = timezone.localdate()
    day = f.make_reception_day(world.home_a1, today)
    reception_log(user=users["keeper"], day=day, deputy=world.deputy_a1, voters_received=30)
    other = f.make_reception_day(world.home_a2, today)
    reception_log(user=users["staff"], day=other, deputy=world.deputy_a2, voters_received=7)
    cache.clear()
    page = Client().get(reverse("public:figures")).content.decode()
    assert _figure(page, "receptions", "次代表接待") == 2
    assert _figure(page, "voters_received", "人次选民得到接待") == 37
    assert "次接待选民" not in page
    work = client_for("staff").get("/").context["work"]
    assert (work.receptions, work.voters_received) == (2, 37)
