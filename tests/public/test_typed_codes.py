"""The sender types their tracking code back loosely (lower case, spaces, O for 0): the lookup
form and the tracking page find the opinion (core.codes)."""

from django.test import Client
from django.urls import reverse

from tests.stations.test_opinions import make_opinion


def test_the_sender_finds_the_opinion_with_the_code_typed_loosely(public_county, world):
    opinion = make_opinion(world.home_a1, content="路灯不亮")
    loose = opinion.tracking_code.replace("-", " ").lower().replace("0", "o")
    client = Client()
    response = client.get(reverse("public:track_lookup"), {"code": loose})
    assert response["Location"] == reverse("public:track", args=[opinion.tracking_code])
    assert "路灯不亮" in client.get(reverse("public:track", args=[loose])).content.decode()
