"""Reception days, their rota and reminders, and logging a reception on a phone."""

import datetime
import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone
from PIL import Image

from core.models import Notification
from deputies.models import DutyRecord
from stations.models import (
    Opinion,
    Reception,
    ReceptionDay,
    ReceptionDuty,
    ReceptionPhoto,
    SmallWish,
)
from stations.services.receptions import reception_days_generate, reception_reminders_send
from tests import factories as f
from tests.querycount import count_queries

TODAY = timezone.localdate()


def png(name="photo.png") -> SimpleUploadedFile:
    buffer = io.BytesIO()
    Image.new("RGB", (40, 30), "red").save(buffer, format="PNG")
    return SimpleUploadedFile(name, buffer.getvalue(), content_type="image/png")


def form_data(day, deputy=None, **extra):
    data = {
        "reception_day": day.pk,
        "voters_received": "12",
        "summary": "群众反映村道破损",
        "opinions-TOTAL_FORMS": "2",
        "opinions-INITIAL_FORMS": "0",
        "opinions-MAX_NUM_FORMS": "30",
        "opinions-0-category": "roads",
        "opinions-0-content": "三组村道雨天泥泞,希望硬化",
        "opinions-0-voter_name": "王大明",
        "opinions-0-voter_phone": "13812345678",
        "opinions-1-category": "water",
        "opinions-1-content": "自来水压力不足",
        "wishes-TOTAL_FORMS": "1",
        "wishes-INITIAL_FORMS": "0",
        "wishes-MAX_NUM_FORMS": "30",
        "wishes-0-person_name": "李婆婆",
        "wishes-0-content": "一台取暖器",
    }
    if deputy is not None:
        data["deputy"] = deputy.pk
    data.update(extra)
    return data


@pytest.fixture
def past_day(world):
    return f.make_reception_day(
        world.home_a1, TODAY - datetime.timedelta(days=1), on_duty=[world.deputy_a1]
    )


def saved_nothing():
    return not (
        Reception.objects.exists()
        or Opinion.objects.exists()
        or SmallWish.objects.exists()
        or ReceptionPhoto.objects.exists()
        or DutyRecord.objects.exists()
    )


# Logging ------------------------------------------------------------------------------------


def test_deputy_logs_a_reception_with_opinions_wish_and_photo(
    client_for, users, world, past_day, settings, tmp_path
):
    settings.MEDIA_ROOT = tmp_path
    client = client_for("deputy")
    page = client.get(reverse("stations:reception_new"))
    assert page.status_code == 200
    assert page.context["form"].initial["reception_day"] == past_day.pk  # pre-selected
    data = form_data(past_day, deputy=world.deputy_a1)
    data["photos"] = [png("a.png"), png("b.png")]
    response = client.post(reverse("stations:reception_new"), data)
    reception = Reception.objects.get()
    assert response.status_code == 302 and response["Location"] == reverse(
        "stations:reception_detail", args=[reception.pk]
    )
    assert (reception.deputy, reception.station, reception.voters_received) == (
        world.deputy_a1,
        world.home_a1,
        12,
    )
    opinions = list(reception.opinions.order_by("pk"))
    assert [o.category for o in opinions] == ["roads", "water"]
    assert all(
        o.channel == "reception" and o.township == world.a1 and len(o.tracking_code) >= 22
        for o in opinions
    )
    assert opinions[0].voter_phone == "13812345678"
    assert reception.small_wishes.get().person_name == "李婆婆"
    assert reception.photos.count() == 2
    past_day.refresh_from_db()
    assert past_day.status == ReceptionDay.Status.HELD
    record = DutyRecord.objects.get()
    assert (record.deputy, record.kind, record.occurred_on) == (
        world.deputy_a1,
        "reception",
        past_day.date,
    )
    detail = client.get(response["Location"]).content.decode()
    assert "王大明" not in detail and "13812345678" not in detail  # masked
    assert "王**" in detail and "138****5678" in detail


def test_keeper_logs_on_behalf_of_a_deputy(client_for, world, past_day):
    response = client_for("keeper").post(
        reverse("stations:reception_new"), form_data(past_day, deputy=world.deputy_a1)
    )
    assert response.status_code == 302
    assert Reception.objects.get().logged_by.username == "t_keeper"


def test_reception_photo_is_served_only_within_the_scope(
    client_for, world, past_day, settings, tmp_path
):
    settings.MEDIA_ROOT = tmp_path
    data = form_data(past_day, deputy=world.deputy_a1)
    data["photos"] = [png()]
    client_for("deputy").post(reverse("stations:reception_new"), data)
    photo = ReceptionPhoto.objects.get()
    url = reverse("stations:reception_photo", args=[photo.pk])
    assert client_for("keeper").get(url).status_code == 200
    assert client_for("outsider").get(url).status_code == 404


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"voters_received": "-3"}, "接待人数不能为负数"),
        ({"opinions-0-voter_phone": "call me"}, "电话号码格式不正确"),
        ({"opinions-0-content": ""}, "该字段是必填项"),
    ],
)
def test_bad_input_is_refused_and_nothing_is_saved(client_for, world, past_day, change, message):
    response = client_for("deputy").post(
        reverse("stations:reception_new"), form_data(past_day, deputy=world.deputy_a1, **change)
    )
    assert response.status_code == 200
    assert message in response.content.decode()
    assert saved_nothing()


def test_a_photo_that_is_not_an_image_is_refused(client_for, world, past_day):
    data = form_data(past_day, deputy=world.deputy_a1)
    data["photos"] = [
        SimpleUploadedFile("photo.jpg", b"MZ this is a program", content_type="image/jpeg")
    ]
    response = client_for("deputy").post(reverse("stations:reception_new"), data)
    assert "photo.jpg" in response.content.decode() and "图片" in response.content.decode()
    assert saved_nothing()


def test_a_future_reception_day_cannot_be_logged(client_for, world, past_day):
    future = f.make_reception_day(world.home_a1, TODAY + datetime.timedelta(days=5))
    response = client_for("keeper").post(
        reverse("stations:reception_new"), form_data(future, deputy=world.deputy_a1)
    )
    assert response.status_code == 200
    assert "选择一个有效的选项" in response.content.decode()  # not offered at all
    assert saved_nothing()


def test_the_service_refuses_a_future_day_with_its_own_message(world, users):
    from core.errors import DomainError
    from stations.services.receptions import reception_log

    future = f.make_reception_day(world.home_a1, TODAY + datetime.timedelta(days=5))
    with pytest.raises(DomainError, match="还没有到"):
        reception_log(user=users["keeper"], day=future, deputy=world.deputy_a1, voters_received=1)
    assert saved_nothing()


def test_a_deputy_of_another_station_cannot_be_logged_at_this_station(world, users, past_day):
    from core.errors import DomainError
    from stations.services.receptions import reception_log

    with pytest.raises(DomainError, match="不在"):
        reception_log(user=users["staff"], day=past_day, deputy=world.deputy_a2, voters_received=3)
    assert saved_nothing()


def test_a_deputy_cannot_log_for_another_deputy(client_for, world, past_day):
    other = f.make_deputy(world.home_a1, name="同站代表")
    response = client_for("deputy").post(
        reverse("stations:reception_new"), form_data(past_day, deputy=other)
    )
    assert response.status_code == 200
    assert saved_nothing()


def test_the_same_reception_cannot_be_logged_twice(client_for, world, past_day):
    client = client_for("deputy")
    client.post(reverse("stations:reception_new"), form_data(past_day, deputy=world.deputy_a1))
    response = client.post(
        reverse("stations:reception_new"), form_data(past_day, deputy=world.deputy_a1)
    )
    assert "已经登记过了" in response.content.decode()
    assert Reception.objects.count() == 1 and Opinion.objects.count() == 2


# Reading ------------------------------------------------------------------------------------


def test_deputy_sees_only_own_receptions_and_keeper_the_station(client_for, world, past_day, users):
    other = f.make_deputy(world.home_a1, name="同站代表")
    from stations.services.receptions import reception_log

    mine = reception_log(
        user=users["keeper"], day=past_day, deputy=world.deputy_a1, voters_received=5
    )
    theirs = reception_log(user=users["keeper"], day=past_day, deputy=other, voters_received=6)
    deputy = client_for("deputy")
    assert [r.pk for r in deputy.get(reverse("stations:reception_list")).context["page"]] == [
        mine.pk
    ]
    assert deputy.get(reverse("stations:reception_detail", args=[theirs.pk])).status_code == 404
    assert {r["id"] for r in deputy.get("/api/v1/receptions/").json()["results"]} == {mine.pk}
    keeper_rows = client_for("keeper").get(reverse("stations:reception_list")).context["page"]
    assert {r.pk for r in keeper_rows} == {mine.pk, theirs.pk}
    assert (
        client_for("outsider").get(reverse("stations:reception_detail", args=[mine.pk])).status_code
        == 404
    )


def test_handling_unit_has_no_business_here(client_for, world):
    client = client_for("unit")
    for name in ("stations:reception_list", "stations:reception_new", "stations:reception_days"):
        assert client.get(reverse(name)).status_code == 403


def test_reception_list_query_count_does_not_grow(client_for, world, users):
    from stations.services.receptions import reception_log

    client = client_for("staff")

    def add(n, start):
        for i in range(n):
            day = f.make_reception_day(world.home_a1, TODAY - datetime.timedelta(days=start + i))
            reception_log(
                user=users["staff"],
                day=day,
                deputy=world.deputy_a1,
                voters_received=i,
                opinions=[{"category": "other", "content": "x"}],
            )

    add(3, 1)
    small = count_queries(client, reverse("stations:reception_list"))
    add(9, 10)
    assert count_queries(client, reverse("stations:reception_list")) == small


# Schedule, rota and reminders ---------------------------------------------------------------


def test_generation_creates_the_months_ahead_once_with_a_fair_rota(world):
    for i in range(3):
        f.make_deputy(world.home_a1, name=f"轮值{i}")  # home_a1 now has 4 deputies
    today = datetime.date(2026, 11, 20)
    created = reception_days_generate(today=today, months_ahead=3)
    stations = 4  # home_a1, liaison_a1, home_a2, home_b1
    assert created == stations * 4
    assert reception_days_generate(today=today, months_ahead=3) == 0  # idempotent
    days = list(ReceptionDay.objects.filter(station=world.home_a1).order_by("date"))
    assert [d.date for d in days] == [
        datetime.date(2026, 11, 15),
        datetime.date(2026, 12, 15),
        datetime.date(2027, 1, 15),
        datetime.date(2027, 2, 15),
    ]
    # Two on duty per day; four deputies over four days: everyone twice, nobody three times.
    counts = {}
    for duty in ReceptionDuty.objects.filter(reception_day__station=world.home_a1):
        counts[duty.deputy_id] = counts.get(duty.deputy_id, 0) + 1
    assert sorted(counts.values()) == [2, 2, 2, 2]
    first_two = [set(d.on_duty.values_list("pk", flat=True)) for d in days[:2]]
    assert first_two[0].isdisjoint(first_two[1])  # everyone's first turn before anyone's second


def test_reminders_are_sent_once_to_on_duty_deputies_with_accounts(world, users):
    today = datetime.date(2026, 12, 12)
    day = f.make_reception_day(
        world.home_a1, today + datetime.timedelta(days=3), on_duty=[world.deputy_a1]
    )
    no_account = f.make_deputy(world.home_a1, name="无账号代表")
    day.on_duty.add(no_account)
    assert reception_reminders_send(today=today) == 1
    assert reception_reminders_send(today=today) == 0
    notification = Notification.objects.get()
    assert notification.recipient == users["deputy"]
    assert "接待日提醒" in notification.title and world.home_a1.name in notification.title


def test_keeper_adjusts_a_day_and_its_duty(client_for, world):
    day = f.make_reception_day(world.home_a1, TODAY + datetime.timedelta(days=10))
    second = f.make_deputy(world.home_a1, name="第二位")
    url = reverse("stations:reception_day_edit", args=[day.pk])
    response = client_for("keeper").post(
        url,
        {
            "date": day.date.isoformat(),
            "status": "planned",
            "note": "改在村委会",
            "on_duty": [second.pk],
        },
    )
    assert response.status_code == 302
    assert list(day.on_duty.all()) == [second]
    assert client_for("deputy").get(url).status_code == 403
    assert client_for("outsider").get(url).status_code == 404


def test_a_day_cannot_be_moved_onto_another_day_of_the_station(client_for, world):
    day = f.make_reception_day(world.home_a1, TODAY + datetime.timedelta(days=10))
    other = f.make_reception_day(world.home_a1, TODAY + datetime.timedelta(days=40))
    response = client_for("keeper").post(
        reverse("stations:reception_day_edit", args=[day.pk]),
        {"date": other.date.isoformat(), "status": "planned", "note": ""},
    )
    assert response.status_code == 200 and "已有接待日" in response.content.decode()
    day.refresh_from_db()
    assert day.date == TODAY + datetime.timedelta(days=10)


def test_day_list_query_count_does_not_grow(client_for, world):
    client = client_for("staff")
    reception_days_generate(today=TODAY, months_ahead=1)
    small = count_queries(client, reverse("stations:reception_days"))
    reception_days_generate(today=TODAY, months_ahead=4)
    assert count_queries(client, reverse("stations:reception_days")) == small


def test_a_full_media_disk_refuses_the_reception_with_a_clear_message_and_keeps_nothing(
    client_for, world, past_day, settings, tmp_path, monkeypatch
):
    """The second photo no longer fits (scripts/fault_tests.py fills a real tmpfs): the page says
    so in Chinese, no reception is saved and neither the first photo nor the part of the second
    is left on disk."""
    import errno

    from django.core.files.storage import FileSystemStorage

    settings.MEDIA_ROOT = tmp_path
    save = FileSystemStorage._save
    calls = []

    def fills_up(self, name, content):
        calls.append(name)
        if len(calls) == 1:
            return save(self, name, content)
        with open(self.path(name), "wb") as handle:
            handle.write(b"\x89PNG half")
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(FileSystemStorage, "_save", fills_up)
    data = form_data(past_day, deputy=world.deputy_a1)
    data["photos"] = [png("a.png"), png("b.png")]
    response = client_for("deputy").post(reverse("stations:reception_new"), data)
    assert response.status_code == 200 and len(calls) == 2
    assert "服务器存储空间已满" in response.content.decode()
    assert not Reception.objects.exists() and not ReceptionPhoto.objects.exists()
    assert [p for p in tmp_path.rglob("*") if p.is_file()] == []
