"""A keeper with one station is not asked to pick it: the wish, ledger and mailbox forms start
from the user's scope (core.forms.settle_single_choice), and a posted other station changes
nothing."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from stations.models import Opinion, SmallWish, StationActivity


@pytest.mark.parametrize(
    "url_name", ["stations:wish_create", "stations:activity_new", "stations:opinion_new"]
)
def test_the_keepers_station_is_chosen_not_asked(client_for, world, url_name):
    form = client_for("keeper").get(reverse(url_name)).context["form"]
    field = form["station"]
    assert field.field.disabled and field.value() == world.home_a1.pk
    assert list(field.field.queryset) == [world.home_a1]


def test_township_staff_with_several_stations_still_choose(client_for, world):
    form = client_for("township").get(reverse("stations:wish_create")).context["form"]
    assert not form.fields["station"].disabled
    assert form.fields["station"].queryset.count() > 1


def test_what_the_keeper_saves_lands_at_their_station_whatever_was_posted(client_for, world):
    keeper = client_for("keeper")
    other = world.home_a2.pk
    keeper.post(
        reverse("stations:wish_create"),
        {"station": other, "person_name": "李大爷", "content": "修一盏路灯"},
    )
    assert SmallWish.objects.get().station == world.home_a1
    keeper.post(
        reverse("stations:opinion_new"),
        {
            "station": other,
            "channel": Opinion.Channel.MAILBOX,
            "category": "roads",
            "content": "村道破损",
            "voter_name": "",
            "voter_phone": "",
        },
    )
    assert Opinion.objects.get().station == world.home_a1
    today = timezone.localdate() - datetime.timedelta(days=1)
    keeper.post(
        reverse("stations:activity_new"),
        {
            "station": other,
            "kind": StationActivity.Kind.THEMED,
            "date": today.isoformat(),
            "theme": "法律进社区",
            "people_reached": 20,
            "summary": "宣讲",
        },
    )
    activities = StationActivity.objects.all()
    assert [activity.station for activity in activities] == [world.home_a1]
