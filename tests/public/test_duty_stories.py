"""履职故事: committee staff enter and publish them; the API lists them in the user's county."""

from django.urls import reverse
from django.utils import timezone

from public.models import DutyStory


def entry(world, **overrides):
    data = {
        "title": "代表帮村民修好了村道",
        "outlet": "苍溪县融媒体中心",
        "published_on": timezone.localdate().isoformat(),
        "link": "https://example.org/story/1",
        "text": "",
        "station": world.home_a1.pk,
        "deputies": [world.deputy_a1.pk],
    }
    data.update(overrides)
    return data


def test_staff_enter_a_story_unpublished_then_publish_and_withdraw_it(world, client_for):
    staff = client_for("staff")
    response = staff.post(reverse("public:story_new"), entry(world))
    assert response.status_code == 302
    story = DutyStory.objects.get()
    assert (story.county, story.station, story.is_published) == (
        world.county_a,
        world.home_a1,
        False,
    )
    assert list(story.deputies.all()) == [world.deputy_a1]
    url = reverse("public:story_publish", args=[story.pk])
    assert staff.post(url, {"publish": "1"}).status_code == 302
    story.refresh_from_db()
    assert story.is_published and story.published_at is not None
    assert staff.post(url, {"publish": "0"}).status_code == 302
    story.refresh_from_db()
    assert not story.is_published and story.published_at is None


def test_a_story_needs_a_link_or_a_text(world, client_for):
    response = client_for("staff").post(reverse("public:story_new"), entry(world, link=""))
    assert response.status_code == 200
    assert "请填写链接或正文" in response.content.decode()
    assert not DutyStory.objects.exists()


def test_only_committee_staff_write_stories(world, client_for, users):
    story = DutyStory.objects.create(
        county=world.county_a,
        title="t",
        outlet="o",
        published_on=timezone.localdate(),
        text="x",
        created_by=users["staff"],
    )
    for role in ("township", "keeper", "deputy", "member"):
        client = client_for(role)
        assert client.get(reverse("public:story_list")).status_code == 200
        assert client.post(reverse("public:story_new"), entry(world)).status_code == 403
        publish = reverse("public:story_publish", args=[story.pk])
        assert client.post(publish, {"publish": "1"}).status_code == 403
    story.refresh_from_db()
    assert not story.is_published
    assert DutyStory.objects.count() == 1


def test_the_api_lists_stories_of_the_users_county_with_filters(world, users, client_for):
    mine = DutyStory.objects.create(
        county=world.county_a,
        title="甲县故事",
        outlet="o",
        published_on=timezone.localdate(),
        text="x",
        is_published=True,
        created_by=users["staff"],
    )
    DutyStory.objects.create(
        county=world.county_b,
        title="乙县故事",
        outlet="o",
        published_on=timezone.localdate(),
        text="x",
        created_by=users["admin"],
    )
    body = client_for("staff").get("/api/v1/duty-stories/").json()
    assert [row["title"] for row in body["results"]] == ["甲县故事"]
    body = client_for("admin").get("/api/v1/duty-stories/", {"is_published": "false"}).json()
    assert [row["title"] for row in body["results"]] == ["乙县故事"]
    assert client_for("unit").get("/api/v1/duty-stories/").status_code == 403
    assert client_for("staff").get(f"/api/v1/duty-stories/{mine.pk}/").status_code == 200
