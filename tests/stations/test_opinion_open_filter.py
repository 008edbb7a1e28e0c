"""The opinion list's 待办 filter offers two choices, 全部 and 仅看待办 (it offered 未知/是/否);
the dashboard's ?open=true is the second, and the API may still ask ?open=false."""

import re

from django.urls import reverse

from stations.models import Opinion
from tests import factories as f

LIST = reverse("stations:opinion_list")


def _opinions(users, world):
    for status in (Opinion.Status.RECEIVED, Opinion.Status.FORWARDED, Opinion.Status.ANSWERED):
        f.make_opinion(users["keeper"], world.home_a1, status=status)


def test_the_open_filter_offers_two_choices(client_for, users, world):
    _opinions(users, world)
    client = client_for("staff")
    html = client.get(LIST).content.decode()
    select = re.search(r'<select[^>]*name="open"[^>]*>(.*?)</select>', html, re.S).group(1)
    options = re.findall(r'<option value="([^"]*)"[^>]*>([^<]*)</option>', select)
    assert options == [("", "全部"), ("true", "仅看待办")]
    assert "未知" not in html
    assert client.get(LIST, {"open": "true"}).context["page"].paginator.count == 2
    chosen = client.get(LIST, {"open": "true"}).content.decode()
    assert re.search(r'<option value="true" selected>仅看待办</option>', chosen)
    assert client.get(LIST).context["page"].paginator.count == 3
    assert client.get(LIST, {"open": "false"}).context["page"].paginator.count == 1
