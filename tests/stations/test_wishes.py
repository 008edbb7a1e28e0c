import datetime
import io
import json

import pytest
from django.contrib.messages import get_messages
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone
from PIL import Image

from accounts.models import Role
from core.errors import DomainError
from deputies.models import DutyRecord
from stations.models import SmallWish
from stations.services.wishes import wish_claim
from tests import factories as f
from tests.querycount import count_queries

PERSON = "欧阳春花"
MASKED = "欧***"
Status = SmallWish.Status


def make_wish(
    station, *, by, content="轮椅一辆", person_name=PERSON, deputy=None, fulfilled_on=None
):
    wish = SmallWish.objects.create(
        station=station, person_name=person_name, content=content, created_by=by
    )
    if deputy is not None:
        wish.status = Status.FULFILLED if fulfilled_on else Status.CLAIMED
        wish.claimed_by, wish.claimed_at = deputy, timezone.now()
        wish.fulfilled_on = fulfilled_on
        wish.save()
    return wish


def message_texts(response) -> list[str]:
    return [str(m) for m in get_messages(response.wsgi_request)]


def png_upload(name="photo.png") -> SimpleUploadedFile:
    buffer = io.BytesIO()
    Image.new("RGB", (8, 8), "red").save(buffer, "PNG")
    return SimpleUploadedFile(name, buffer.getvalue(), content_type="image/png")


@pytest.fixture
def wish(world, users):
    """An open wish of home_a1 (township A1), recorded by its keeper."""
    return make_wish(world.home_a1, by=users["keeper"])


# --- The workflow ---------------------------------------------------------------------------------


def test_deputy_records_claims_and_fulfils_a_wish(client_for, world, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    client = client_for("deputy")
    response = client.post(
        reverse("stations:wish_create"),
        {"station": world.home_a1.pk, "person_name": PERSON, "content": "助听器一副"},
    )
    wish = SmallWish.objects.get()
    assert response.status_code == 302 and response.url == reverse(
        "stations:wish_detail", args=[wish.pk]
    )
    assert (wish.station, wish.person_name, wish.status) == (world.home_a1, PERSON, Status.OPEN)

    response = client.post(reverse("stations:wish_claim", args=[wish.pk]))
    wish.refresh_from_db()
    assert (wish.status, wish.claimed_by) == (Status.CLAIMED, world.deputy_a1)
    assert wish.claimed_at is not None
    assert "已由张甲一认领。" in message_texts(response)

    today = timezone.localdate()
    response = client.post(
        reverse("stations:wish_fulfil", args=[wish.pk]),
        {"fulfilled_on": today.isoformat(), "note": "已送到家中", "photo": png_upload("x.html")},
    )
    assert response.status_code == 302
    wish.refresh_from_db()
    assert (wish.status, wish.fulfilled_on, wish.fulfillment_note) == (
        Status.FULFILLED,
        today,
        "已送到家中",
    )
    assert wish.photo.name.endswith(".png")  # our name, not the sender's
    record = DutyRecord.objects.get(deputy=world.deputy_a1)
    assert (record.kind, record.occurred_on) == (DutyRecord.Kind.SMALL_WISH, today)


def test_keeper_claims_on_behalf_of_a_deputy_of_the_station(client_for, world, wish):
    response = client_for("keeper").post(
        reverse("stations:wish_claim", args=[wish.pk]), {"deputy": world.deputy_a1.pk}
    )
    assert response.status_code == 302
    wish.refresh_from_db()
    assert (wish.status, wish.claimed_by) == (Status.CLAIMED, world.deputy_a1)


def test_keeper_fulfils_a_wish_claimed_by_a_deputy(client_for, world, users):
    wish = make_wish(world.home_a1, by=users["keeper"], deputy=world.deputy_a1)
    response = client_for("keeper").post(
        reverse("stations:wish_fulfil", args=[wish.pk]),
        {"fulfilled_on": timezone.localdate().isoformat(), "note": "已办结"},
    )
    assert response.status_code == 302
    wish.refresh_from_db()
    assert wish.status == Status.FULFILLED and not wish.photo
    assert DutyRecord.objects.filter(
        deputy=world.deputy_a1, kind=DutyRecord.Kind.SMALL_WISH
    ).exists()


def test_a_second_claim_is_refused_with_a_message(client_for, world, users, wish):
    colleague = f.make_deputy(world.home_a1, name="孙同站")
    client_for("deputy").post(reverse("stations:wish_claim", args=[wish.pk]))

    response = client_for("keeper").post(
        reverse("stations:wish_claim", args=[wish.pk]), {"deputy": colleague.pk}
    )
    assert "这个心愿已经被认领了。" in message_texts(response)
    wish.refresh_from_db()
    assert wish.claimed_by == world.deputy_a1

    colleague_client = client_for("deputy")
    colleague_client.force_login(f.make_user(Role.DEPUTY, deputy=colleague))
    response = colleague_client.post(reverse("stations:wish_claim", args=[wish.pk]))
    assert "这个心愿已经被认领了。" in message_texts(response)
    wish.refresh_from_db()
    assert wish.claimed_by == world.deputy_a1


def test_a_deputy_of_another_station_cannot_claim(client_for, world, users, wish):
    # The liaison station's deputy does not even see home_a1's wishes.
    other = client_for("deputy")
    other.force_login(f.make_user(Role.DEPUTY, deputy=world.deputy_a1_liaison))
    assert other.post(reverse("stations:wish_claim", args=[wish.pk])).status_code == 404

    # A keeper cannot hand the wish to a deputy stationed elsewhere.
    response = client_for("keeper").post(
        reverse("stations:wish_claim", args=[wish.pk]), {"deputy": world.deputy_a1_liaison.pk}
    )
    assert "所选代表不在本站进驻,不能认领本站的心愿。" in message_texts(response)

    # Nor can the service be talked into it.
    with pytest.raises(DomainError, match="王甲二不在本站进驻"):
        wish_claim(user=users["staff"], wish=wish, deputy=world.deputy_a2)

    wish.refresh_from_db()
    assert (wish.status, wish.claimed_by, wish.claimed_at) == (Status.OPEN, None, None)


def test_claim_is_a_post(client_for, wish):
    assert (
        client_for("deputy").get(reverse("stations:wish_claim", args=[wish.pk])).status_code == 405
    )


def test_member_may_read_but_not_claim_or_fulfil(client_for, world, users, wish):
    client = client_for("member")
    assert client.get(reverse("stations:wish_detail", args=[wish.pk])).status_code == 200
    url = reverse("stations:wish_claim", args=[wish.pk])
    assert client.post(url, {"deputy": world.deputy_a1.pk}).status_code == 403
    claimed = make_wish(world.home_a1, by=users["keeper"], deputy=world.deputy_a1)
    assert client.get(reverse("stations:wish_fulfil", args=[claimed.pk])).status_code == 403
    wish.refresh_from_db()
    assert wish.status == Status.OPEN


def test_only_the_claiming_deputy_fulfils(client_for, world, users):
    colleague = f.make_deputy(world.home_a1, name="孙同站")
    wish = make_wish(world.home_a1, by=users["keeper"], deputy=colleague)
    response = client_for("deputy").post(
        reverse("stations:wish_fulfil", args=[wish.pk]),
        {"fulfilled_on": timezone.localdate().isoformat(), "note": "x"},
    )
    assert response.status_code == 403
    wish.refresh_from_db()
    assert wish.status == Status.CLAIMED


def test_fulfil_form_of_an_open_wish_sends_back_with_a_message(client_for, wish):
    response = client_for("keeper").get(reverse("stations:wish_fulfil", args=[wish.pk]))
    assert response.status_code == 302
    assert "心愿当前为“待认领”,不能登记实现。" in message_texts(response)


# --- Bad input ------------------------------------------------------------------------------------


def test_fulfilment_date_in_the_future_is_refused(client_for, world, users):
    wish = make_wish(world.home_a1, by=users["keeper"], deputy=world.deputy_a1)
    tomorrow = timezone.localdate() + datetime.timedelta(days=1)
    response = client_for("deputy").post(
        reverse("stations:wish_fulfil", args=[wish.pk]),
        {"fulfilled_on": tomorrow.isoformat(), "note": "已送到"},
    )
    assert response.status_code == 200
    assert response.context["form"].errors["fulfilled_on"] == ["实现日期不能晚于今天。"]
    wish.refresh_from_db()
    assert (wish.status, wish.fulfilled_on) == (Status.CLAIMED, None)
    assert not DutyRecord.objects.exists()


def test_a_photo_that_is_not_an_image_is_refused(client_for, world, users, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    wish = make_wish(world.home_a1, by=users["keeper"], deputy=world.deputy_a1)
    fake = SimpleUploadedFile("photo.jpg", b"MZ not really a photo", content_type="image/jpeg")
    response = client_for("deputy").post(
        reverse("stations:wish_fulfil", args=[wish.pk]),
        {"fulfilled_on": timezone.localdate().isoformat(), "note": "已送到", "photo": fake},
    )
    assert response.status_code == 200
    assert "图片无法识别" in response.context["form"].errors["photo"][0]
    assert "图片无法识别" in response.content.decode()
    wish.refresh_from_db()
    assert (wish.status, wish.photo.name) == (Status.CLAIMED, "")
    assert not DutyRecord.objects.exists()
    assert not any(tmp_path.rglob("*.*"))


def test_create_refuses_blank_fields_and_foreign_stations(client_for, world):
    # Township staff choose among their stations (a keeper's one station is not asked).
    client = client_for("township")
    response = client.post(
        reverse("stations:wish_create"),
        {"station": world.home_a1.pk, "person_name": "", "content": "  "},
    )
    assert set(response.context["form"].errors) == {"person_name", "content"}
    response = client.post(
        reverse("stations:wish_create"),
        {"station": world.home_a2.pk, "person_name": PERSON, "content": "轮椅"},
    )
    assert "station" in response.context["form"].errors
    assert not SmallWish.objects.exists()


def test_create_offers_the_stations_the_user_may_record_for(client_for, world):
    def offered(role):
        form = client_for(role).get(reverse("stations:wish_create")).context["form"]
        return set(form.fields["station"].queryset)

    assert offered("deputy") == {world.home_a1}
    assert offered("keeper") == {world.home_a1}
    assert offered("township") == {world.home_a1, world.liaison_a1}
    assert offered("staff") == {world.home_a1, world.liaison_a1, world.home_a2}


@pytest.mark.parametrize("role", ["member", "unit"])
def test_create_is_refused_to_roles_that_keep_no_station(client_for, world, role):
    assert client_for(role).get(reverse("stations:wish_create")).status_code == 403


# --- Access ---------------------------------------------------------------------------------------


def test_unit_gets_403_on_the_wish_pages_and_api(client_for, wish):
    client = client_for("unit")
    assert client.get(reverse("stations:wish_list")).status_code == 403
    assert client.get(reverse("stations:wish_stats")).status_code == 403
    assert client.get(reverse("stations:wish_detail", args=[wish.pk])).status_code == 403
    assert client.get("/api/v1/small-wishes/").status_code == 403


def test_deputy_gets_403_on_the_counts_page(client_for, wish):
    assert client_for("deputy").get(reverse("stations:wish_stats")).status_code == 403


def test_outsider_gets_404_on_a_wish_of_a1(client_for, world, users, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    wish = make_wish(world.home_a1, by=users["keeper"], deputy=world.deputy_a1)
    wish.photo.save("p.png", png_upload())
    client = client_for("outsider")
    for name in ("wish_detail", "wish_fulfil", "wish_photo"):
        assert client.get(reverse(f"stations:{name}", args=[wish.pk])).status_code == 404, name
    assert client.post(reverse("stations:wish_claim", args=[wish.pk])).status_code == 404
    assert client.get(f"/api/v1/small-wishes/{wish.pk}/").status_code == 404
    assert wish.pk not in {w.pk for w in client.get(reverse("stations:wish_list")).context["page"]}


def test_keeper_sees_only_their_station(client_for, world, users):
    make_wish(world.home_a1, by=users["admin"], content="本站心愿")
    make_wish(world.liaison_a1, by=users["admin"], content="联络站心愿")
    page = client_for("keeper").get(reverse("stations:wish_list")).context["page"]
    assert [w.content for w in page] == ["本站心愿"]


def test_photo_is_served_through_the_scoped_view_only(client_for, world, users, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    wish = make_wish(world.home_a1, by=users["keeper"], deputy=world.deputy_a1)
    client_for("deputy").post(
        reverse("stations:wish_fulfil", args=[wish.pk]),
        {"fulfilled_on": timezone.localdate().isoformat(), "note": "好", "photo": png_upload()},
    )
    html = client_for("keeper").get(reverse("stations:wish_detail", args=[wish.pk])).content
    photo_url = reverse("stations:wish_photo", args=[wish.pk])
    assert photo_url in html.decode() and settings.MEDIA_URL not in html.decode()
    response = client_for("township").get(photo_url)
    assert response.status_code == 200 and response["Content-Type"] == "image/png"
    assert b"".join(response.streaming_content).startswith(b"\x89PNG")
    api = client_for("staff").get(f"/api/v1/small-wishes/{wish.pk}/").json()
    assert api["photo_url"].endswith(photo_url)


def test_photo_of_a_wish_without_one_is_404(client_for, wish):
    assert (
        client_for("keeper").get(reverse("stations:wish_photo", args=[wish.pk])).status_code == 404
    )


# --- Masking --------------------------------------------------------------------------------------


def test_person_name_is_masked_in_pages_and_api(client_for, world, users):
    wish = make_wish(world.home_a1, by=users["keeper"])
    page_urls = (reverse("stations:wish_list"), reverse("stations:wish_detail", args=[wish.pk]))
    api_urls = ("/api/v1/small-wishes/", f"/api/v1/small-wishes/{wish.pk}/")
    for role in ("staff", "keeper", "deputy", "admin"):
        client = client_for(role)
        for url in page_urls:
            html = client.get(url).content.decode()
            assert PERSON not in html and MASKED in html, (role, url)
        for url in api_urls:
            body = json.dumps(client.get(url).json(), ensure_ascii=False)
            assert PERSON not in body and MASKED in body, (role, url)
    assert client_for("staff").get(api_urls[1]).json()["person_name"] == MASKED


def test_wish_history_on_the_detail_page_keeps_the_name_masked(client_for, world, users):
    wish = make_wish(world.home_a1, by=users["keeper"])
    response = client_for("admin").get(reverse("stations:wish_detail", args=[wish.pk]))
    assert response.context["history"]  # the audit trail is shown to the administrator
    assert PERSON not in response.content.decode()


# --- Lists and filters ----------------------------------------------------------------------------


def test_list_counts_by_status_and_keeps_them_while_one_status_is_picked(client_for, world, users):
    keeper = users["keeper"]
    make_wish(world.home_a1, by=keeper)
    make_wish(world.home_a1, by=keeper, deputy=world.deputy_a1)
    make_wish(world.home_a1, by=keeper, deputy=world.deputy_a1, fulfilled_on=timezone.localdate())
    make_wish(world.home_a2, by=keeper)
    client = client_for("staff")

    response = client.get(reverse("stations:wish_list"))
    assert [count for _, _, count in response.context["status_counts"]] == [4, 2, 1, 1]

    response = client.get(reverse("stations:wish_list"), {"status": "open"})
    assert {w.status for w in response.context["page"]} == {Status.OPEN}
    assert [count for _, _, count in response.context["status_counts"]] == [4, 2, 1, 1]

    response = client.get(reverse("stations:wish_list"), {"station": world.home_a2.pk})
    assert [count for _, _, count in response.context["status_counts"]] == [1, 1, 0, 0]


def test_list_filters(client_for, world, users):
    keeper = users["keeper"]
    make_wish(world.home_a1, by=keeper, content="轮椅一辆")
    make_wish(world.home_a1, by=keeper, content="书包两个", deputy=world.deputy_a1)
    make_wish(world.liaison_a1, by=keeper, content="台灯", deputy=world.deputy_a1_liaison)
    make_wish(world.home_a2, by=keeper, content="冬衣")
    client = client_for("staff")

    def contents(**params):
        return {
            w.content for w in client.get(reverse("stations:wish_list"), params).context["page"]
        }

    assert contents(q="书包") == {"书包两个"}
    assert contents(status="claimed") == {"书包两个", "台灯"}
    assert contents(township=world.a2.pk) == {"冬衣"}
    assert contents(station=world.liaison_a1.pk) == {"台灯"}
    assert contents(claimed_by=world.deputy_a1.pk) == {"书包两个"}


def test_claimed_by_select_offers_only_claimers_in_scope(client_for, world, users):
    make_wish(world.home_a1, by=users["keeper"], deputy=world.deputy_a1)
    make_wish(world.home_a2, by=users["admin"], deputy=world.deputy_a2)
    make_wish(world.home_b1, by=users["admin"], deputy=world.deputy_b1)
    form = client_for("township").get(reverse("stations:wish_list")).context["filter"].form
    assert set(form.fields["claimed_by"].queryset) == {world.deputy_a1}


def test_deputy_sees_a_claim_button_on_open_wishes_only(client_for, world, users, wish):
    make_wish(world.home_a1, by=users["keeper"], deputy=world.deputy_a1)
    claim_url = reverse("stations:wish_claim", args=[wish.pk])
    html = client_for("deputy").get(reverse("stations:wish_list")).content.decode()
    assert html.count('action="/stations/wishes/') == 2  # phone card + table row, one wish
    assert claim_url in html
    assert claim_url not in client_for("keeper").get(reverse("stations:wish_list")).content.decode()


def test_api_lists_wishes_with_filters(client_for, world, users):
    keeper = users["keeper"]
    make_wish(world.home_a1, by=keeper, content="轮椅一辆")
    make_wish(world.home_a1, by=keeper, content="书包两个", deputy=world.deputy_a1)
    make_wish(world.home_b1, by=users["admin"], content="乙县心愿")
    client = client_for("staff")

    def contents(query=""):
        response = client.get(f"/api/v1/small-wishes/{query}")
        assert response.status_code == 200, response.content
        return {row["content"] for row in response.json()["results"]}

    assert contents() == {"轮椅一辆", "书包两个"}
    assert contents("?status=claimed") == {"书包两个"}
    assert contents(f"?claimed_by={world.deputy_a1.pk}") == {"书包两个"}
    assert contents("?q=轮椅") == {"轮椅一辆"}
    assert client.get("/api/v1/small-wishes/?status=lost").status_code == 400


# --- Counts page ----------------------------------------------------------------------------------


@pytest.fixture
def counted(world, users):
    """Hand-built wishes for this year, plus some that must not be counted."""
    admin, today = users["admin"], timezone.localdate()
    this_year = today.replace(month=1, day=1)
    for _ in range(2):
        make_wish(world.home_a1, by=admin)
    make_wish(world.home_a1, by=admin, deputy=world.deputy_a1)
    for _ in range(2):
        make_wish(world.home_a1, by=admin, deputy=world.deputy_a1, fulfilled_on=this_year)
    make_wish(world.liaison_a1, by=admin, deputy=world.deputy_a1_liaison, fulfilled_on=today)
    make_wish(world.home_a2, by=admin)
    make_wish(world.home_b1, by=admin, deputy=world.deputy_b1, fulfilled_on=today)  # county B
    # Recorded last year and fulfilled last year: in neither table this year.
    old = make_wish(
        world.home_a1,
        by=admin,
        deputy=world.deputy_a1,
        fulfilled_on=this_year - datetime.timedelta(days=1),
    )
    last_december = datetime.datetime(
        today.year - 1, 12, 31, 12, tzinfo=timezone.get_current_timezone()
    )
    SmallWish.objects.filter(pk=old.pk).update(created_at=last_december)
    return today.year


def _stats(client, year):
    context = client.get(reverse("stations:wish_stats"), {"year": year}).context
    by_station = {
        row["station__name"]: (row["total"], row["open"], row["claimed"], row["fulfilled"])
        for row in context["by_station"]
    }
    by_deputy = {row["claimed_by__name"]: row["fulfilled"] for row in context["by_deputy"]}
    return by_station, by_deputy, context["totals"]


def test_counts_page_figures_for_the_committee_staff(client_for, counted):
    by_station, by_deputy, totals = _stats(client_for("staff"), counted)
    assert by_station == {
        "甲一镇代表之家": (5, 2, 1, 2),
        "甲一村联络站": (1, 0, 0, 1),
        "甲二镇代表之家": (1, 1, 0, 0),
    }
    assert totals == {"total": 7, "open": 3, "claimed": 1, "fulfilled": 3}
    assert by_deputy == {"张甲一": 2, "李联络": 1}


def test_counts_page_figures_within_a_township_and_a_station(client_for, counted):
    by_station, by_deputy, _ = _stats(client_for("township"), counted)
    assert set(by_station) == {"甲一镇代表之家", "甲一村联络站"}
    assert by_deputy == {"张甲一": 2, "李联络": 1}
    by_station, by_deputy, _ = _stats(client_for("keeper"), counted)
    assert by_station == {"甲一镇代表之家": (5, 2, 1, 2)}
    assert by_deputy == {"张甲一": 2}


def test_counts_page_of_last_year(client_for, counted):
    by_station, by_deputy, _ = _stats(client_for("staff"), counted - 1)
    assert by_station == {"甲一镇代表之家": (1, 0, 0, 1)}
    assert by_deputy == {"张甲一": 1}


# --- Query counts ---------------------------------------------------------------------------------


def grow_wishes(world, users, n: int) -> None:
    """n wishes per station of county A, in every status, with new claiming deputies."""
    keeper = users["keeper"]
    for station in (world.home_a1, world.liaison_a1, world.home_a2):
        for i in range(n):
            deputy = f.make_deputy(station) if i % 3 else None
            fulfilled = timezone.localdate() if i % 2 and deputy else None
            make_wish(station, by=keeper, deputy=deputy, fulfilled_on=fulfilled)


@pytest.mark.parametrize("role", ["staff", "township", "keeper", "deputy"])
def test_wish_list_query_count_does_not_grow_with_data(client_for, world, users, role):
    client = client_for(role)
    url = reverse("stations:wish_list") + "?status=claimed"
    grow_wishes(world, users, 3)
    small = count_queries(client, url)
    grow_wishes(world, users, 9)
    assert count_queries(client, url) == small


def test_wish_stats_query_count_does_not_grow_with_data(client_for, world, users):
    client = client_for("staff")
    url = reverse("stations:wish_stats")
    grow_wishes(world, users, 3)
    small = count_queries(client, url)
    grow_wishes(world, users, 9)
    assert count_queries(client, url) == small
    # session, user, two-factor device check, counts by station, counts by deputy
    assert small <= 5
