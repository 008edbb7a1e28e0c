"""民意直通车: an opinion sent without an account lands in the triage queue; every refusal says
why in Chinese and saves nothing."""

import math
import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test import Client
from django.urls import reverse

from public.models import OnlineOpinion
from stations.models import Opinion

from .conftest import captcha_answer, png

URL = "/public/opinions/new/"


def form_data(world, client, **overrides):
    client.get(URL)  # issues the CAPTCHA question into the session
    data = {
        "station": world.home_a1.pk,
        "category": "roads",
        "content": "村口道路坑洼,雨天无法通行,请帮忙反映。",
        "contact": "13912345678",
        "captcha": str(captcha_answer(client)),
        "website": "",
    }
    data.update(overrides)
    return data


def test_the_form_works_without_an_account_and_the_opinion_lands_in_the_queue(public_county, world):
    client = Client()
    page = client.get(URL)
    assert page.status_code == 200
    assert "民意直通车" in page.content.decode()
    data = form_data(world, client, photo=png())
    response = client.post(URL, data)
    assert response.status_code == 302
    opinion = Opinion.objects.get()
    assert response["Location"] == reverse("public:track", args=[opinion.tracking_code])
    assert opinion.channel == Opinion.Channel.ONLINE
    assert opinion.status == Opinion.Status.RECEIVED
    assert (opinion.township, opinion.station) == (world.a1, world.home_a1)
    assert opinion.created_by is None
    assert opinion.voter_phone == "13912345678"
    assert opinion.events.get().note.startswith("网上民意直通车受理")
    assert OnlineOpinion.objects.get(opinion=opinion).photo.name.startswith("opinions/")
    # The contact is stored encrypted: the raw column does not hold the number.
    with connection.cursor() as cursor:
        cursor.execute("SELECT voter_phone FROM stations_opinion WHERE id = %s", [opinion.pk])
        assert "13912345678" not in cursor.fetchone()[0]
    # The sender follows it with the code; the contact never shows.
    page = client.get(response["Location"]).content.decode()
    assert "已受理" in page and "村口道路坑洼" in page and opinion.tracking_code in page
    assert "13912345678" not in page


def test_an_opinion_to_a_named_deputy_goes_to_the_deputys_station(public_county, world):
    client = Client()
    assert world.deputy_a1.name in client.get(f"{URL}?deputy={world.deputy_a1.pk}").content.decode()
    data = form_data(world, client, station="", deputy=world.deputy_a1.pk, contact="")
    assert client.post(URL, data).status_code == 302
    opinion = Opinion.objects.get()
    assert opinion.station == world.deputy_a1.station
    assert opinion.online.deputy == world.deputy_a1
    assert world.deputy_a1.name in opinion.events.get().note


def test_a_township_alone_is_enough(public_county, world):
    client = Client()
    data = form_data(world, client, station="", township=world.a2.pk)
    assert client.post(URL, data).status_code == 302
    assert Opinion.objects.get().township == world.a2


def test_a_station_of_another_county_is_refused(public_county, world):
    client = Client()
    response = client.post(URL, form_data(world, client, station=world.home_b1.pk))
    assert response.status_code == 400
    assert "请选择本县的家站" in response.content.decode()
    assert not Opinion.objects.exists()


def test_wrong_captcha_is_refused_and_a_new_question_is_asked(public_county, world):
    client = Client()
    data = form_data(world, client)
    data["captcha"] = str(int(data["captcha"]) + 1)
    first_question = client.session["public_captcha"]["question"]
    response = client.post(URL, data)
    assert response.status_code == 400
    assert "验证码计算结果不正确" in response.content.decode()
    assert "村口道路坑洼" in response.content.decode()  # what was typed is kept
    assert not Opinion.objects.exists()
    assert client.session["public_captcha"]["question"]  # a new question is waiting
    del first_question


def test_a_captcha_answer_is_used_once(public_county, world):
    client = Client()
    data = form_data(world, client)
    assert client.post(URL, data).status_code == 302
    response = client.post(URL, data)  # replaying the same answer without a new question
    assert response.status_code == 400
    assert "验证码" in response.content.decode()
    assert Opinion.objects.count() == 1


def test_posting_without_having_loaded_the_form_is_refused(public_county, world):
    client = Client()
    response = client.post(
        URL, {"station": world.home_a1.pk, "category": "roads", "content": "x", "captcha": "3"}
    )
    assert response.status_code == 400
    assert "验证码已过期" in response.content.decode()


def test_honeypot_is_refused(public_county, world):
    client = Client()
    response = client.post(URL, form_data(world, client, website="http://spam.example"))
    assert response.status_code == 400
    assert "请不要填写" in response.content.decode()
    assert not Opinion.objects.exists()


def test_too_long_content_is_refused(public_county, world):
    client = Client()
    response = client.post(URL, form_data(world, client, content="长" * 2001))
    assert response.status_code == 400
    assert "意见内容最多2000字" in response.content.decode()
    assert not Opinion.objects.exists()


def test_oversize_photo_is_refused(public_county, world, settings):
    settings.PUBLIC_PHOTO_MAX_BYTES = 1024
    client = Client()
    response = client.post(URL, form_data(world, client, photo=png(size=(400, 400))))
    # A 400×400 PNG of one colour compresses well; make sure it really is over the limit.
    assert response.status_code == 400
    assert "文件过大" in response.content.decode()
    assert not Opinion.objects.exists()


def test_a_file_that_is_not_an_image_is_refused(public_county, world):
    client = Client()
    fake = SimpleUploadedFile("photo.jpg", b"MZ\x90\x00 not a picture", content_type="image/jpeg")
    response = client.post(URL, form_data(world, client, photo=fake))
    assert response.status_code == 400
    assert "JPEG、PNG 或 WebP" in response.content.decode()
    assert not Opinion.objects.exists()


def test_an_address_is_rate_limited(public_county, world, settings):
    settings.PUBLIC_OPINION_LIMIT = 2
    client = Client()
    for _i in range(2):
        assert client.post(URL, form_data(world, client)).status_code == 302
    response = client.post(URL, form_data(world, client))
    assert response.status_code == 429
    assert "提交过于频繁" in response.content.decode()
    assert Opinion.objects.count() == 2
    # Another address is not affected.
    other = Client(REMOTE_ADDR="10.9.9.9")
    assert other.post(URL, form_data(world, other)).status_code == 302


def test_the_captcha_image_is_a_png(public_county):
    client = Client()
    client.get(URL)
    response = client.get(reverse("public:captcha"))
    assert response.status_code == 200
    assert response["Content-Type"] == "image/png"
    assert response.content.startswith(b"\x89PNG")
    assert "no-cache" in response["Cache-Control"] or "max-age=0" in response["Cache-Control"]


# Tracking codes ---------------------------------------------------------------------------------


def test_tracking_codes_are_random_and_long(public_county, world):
    client = Client()
    codes = []
    for _i in range(4):
        client.post(URL, form_data(world, client))
    codes = list(Opinion.objects.order_by("pk").values_list("tracking_code", flat=True))
    assert len(set(codes)) == 4
    for code in codes:
        # Crockford base32 in groups of four (issue 19): 26 symbols of 32 = 130 random bits.
        assert re.fullmatch(r"([0-9A-HJKMNP-TV-Z]{4}-){6}[0-9A-HJKMNP-TV-Z]{2}", code)
        assert len(code.replace("-", "")) * math.log2(32) >= 128
        assert not code.isdigit()
    pks = [str(pk) for pk in Opinion.objects.order_by("pk").values_list("pk", flat=True)]
    assert not set(codes) & set(pks)


@pytest.mark.parametrize("code", ["1", "x" * 22, "..", "%20", "A" * 200])
def test_a_wrong_code_reveals_nothing(public_county, world, code):
    client = Client()
    client.post(URL, form_data(world, client))
    real = Opinion.objects.get().tracking_code
    wrong = client.get(reverse("public:track", args=[code]))
    near_miss = client.get(
        reverse("public:track", args=[real[:-1] + ("A" if real[-1] != "A" else "B")])
    )
    assert wrong.status_code == near_miss.status_code == 404
    assert wrong.content == near_miss.content
    assert "村口道路坑洼" not in wrong.content.decode()


def test_the_lookup_form_sends_to_the_tracking_page(public_county, world):
    client = Client()
    client.post(URL, form_data(world, client))
    code = Opinion.objects.get().tracking_code
    response = client.get(reverse("public:track_lookup"), {"code": f" {code} "})
    assert response.status_code == 302
    assert response["Location"] == reverse("public:track", args=[code])


def test_the_answer_shows_on_the_tracking_page_without_staff_names(public_county, world, users):
    from stations.services.opinions import opinion_answer

    client = Client()
    client.post(URL, form_data(world, client))
    opinion = Opinion.objects.get()
    opinion_answer(opinion=opinion, user=users["keeper"], answer="已联系交通部门,下月修复。")
    page = client.get(reverse("public:track", args=[opinion.tracking_code])).content.decode()
    assert "已答复" in page and "已联系交通部门,下月修复。" in page
    assert users["keeper"].username not in page


def test_a_malformed_deputy_is_refused_plainly(public_county, world):
    client = Client()
    assert client.get(f"{URL}?deputy=abc").status_code == 200
    response = client.post(URL, form_data(world, client, deputy="abc"))
    assert response.status_code == 400
    assert "找不到这位代表" in response.content.decode()


def test_staff_see_the_senders_photo_on_the_opinion_page(public_county, world, users):
    from stations.services.opinions import opinion_create

    opinion = opinion_create(
        user=None,
        channel="online",
        township=world.a1,
        station=world.home_a1,
        category="roads",
        content="村道破损",
    )
    OnlineOpinion.objects.create(opinion=opinion, deputy=world.deputy_a1, photo=png("p.png"))
    staff = Client()
    staff.force_login(users["staff"])
    page = staff.get(reverse("stations:opinion_detail", args=[opinion.pk])).content.decode()
    photo_url = reverse("public:opinion_photo", args=[opinion.pk])
    assert photo_url in page and f"致代表:{world.deputy_a1.name}" in page
    response = staff.get(photo_url)
    assert response.status_code == 200 and response["Cache-Control"] == "private, max-age=3600"
    assert b"".join(response.streaming_content).startswith(b"\x89PNG")
    outsider = Client()
    outsider.force_login(users["outsider"])
    assert outsider.get(photo_url).status_code == 404
    assert Client().get(photo_url).status_code == 302  # to the login page
