"""Every stored photo is re-encoded and named by the portal (core.photos.PhotoField) and served
with the content type of its format, nosniff and a disposition that cannot render a page
(core.files.private_file_response)."""

import io
import re

import pytest
from django.apps import apps
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.core.management import call_command
from django.db import models
from django.urls import reverse
from django.utils import timezone
from PIL import Image, ImageOps

from core.photos import PhotoField
from core.uploads import UploadRejected
from stations.models import ActivityPhoto, ReceptionPhoto, StationActivity
from stations.services.wishes import wish_claim, wish_create
from tests import factories as f

from .images import APPENDED, GPS_IFD, exif_jpeg, exif_jpeg_bytes, exif_webp, png_bytes, polyglot

TODAY = timezone.localdate()
RANDOM_NAME = r"[0-9a-f]{32}"


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


def stored_bytes(field_file) -> bytes:
    with default_storage.open(field_file.name, "rb") as handle:
        return handle.read()


def body(response) -> bytes:
    return b"".join(response.streaming_content)


def activity_form(station, photos):
    return {
        "station": station.pk,
        "kind": StationActivity.Kind.THEMED,
        "date": TODAY.isoformat(),
        "theme": "专题活动",
        "deputies": [],
        "people_reached": 10,
        "summary": "",
        "photos": photos,
    }


def test_every_image_field_of_every_model_is_a_photo_field():
    image_fields = [
        f"{model._meta.label}.{field.name}"
        for model in apps.get_models()
        for field in model._meta.get_fields()
        if isinstance(field, models.ImageField)
    ]
    assert len(image_fields) >= 7
    for label in image_fields:
        model_label, name = label.rsplit(".", 1)
        assert isinstance(apps.get_model(model_label)._meta.get_field(name), PhotoField), label


@pytest.mark.parametrize("name", ["poly.html", "poly.htm", "poly.svg", "poly.xhtml"])
def test_a_png_with_html_appended_is_stored_and_served_as_a_plain_png(client_for, world, name):
    client = client_for("keeper")
    response = client.post(
        reverse("stations:activity_new"), activity_form(world.home_a1, [polyglot(name)])
    )
    assert response.status_code == 302
    photo = ActivityPhoto.objects.get()
    assert re.fullmatch(rf"activities/\d{{4}}/\d{{2}}/{RANDOM_NAME}\.png", photo.image.name)
    data = stored_bytes(photo.image)
    assert b"<html" not in data and b"script" not in data
    assert data.endswith(b"IEND\xaeB`\x82")  # nothing after the PNG's last chunk
    with Image.open(io.BytesIO(data)) as image:
        assert (image.format, image.size) == ("PNG", (40, 20))

    served = client.get(reverse("stations:activity_photo", args=[photo.pk]))
    assert served.status_code == 200
    assert served["Content-Type"] == "image/png"
    assert served["X-Content-Type-Options"] == "nosniff"
    stem = photo.image.name.rsplit("/", 1)[1]
    assert served["Content-Disposition"] == f'inline; filename="{stem}"'
    assert body(served) == data


def test_a_phone_photo_is_turned_upright_and_loses_its_exif_and_gps(client_for, world):
    day = f.make_reception_day(world.home_a1, TODAY, on_duty=[world.deputy_a1])
    client = client_for("deputy")
    response = client.post(
        reverse("stations:reception_new"),
        {
            "reception_day": day.pk,
            "deputy": world.deputy_a1.pk,
            "voters_received": "3",
            "summary": "接待",
            "opinions-TOTAL_FORMS": "0",
            "opinions-INITIAL_FORMS": "0",
            "wishes-TOTAL_FORMS": "0",
            "wishes-INITIAL_FORMS": "0",
            "photos": [exif_jpeg(), exif_webp()],
        },
    )
    assert response.status_code == 302, response.content.decode()
    photos = list(ReceptionPhoto.objects.order_by("pk"))
    assert [p.image.name.rsplit(".", 1)[1] for p in photos] == ["jpg", "webp"]
    for photo, fmt in zip(photos, ("JPEG", "WEBP"), strict=True):
        data = stored_bytes(photo.image)
        assert b"Exif" not in data and APPENDED.encode() not in data
        expected = ImageOps.exif_transpose(Image.open(io.BytesIO(exif_jpeg_bytes(fmt))))
        with Image.open(io.BytesIO(data)) as image:
            assert image.format == fmt
            assert image.size == (20, 40) == expected.size  # orientation 6: turned a quarter
            assert not image.getexif() and GPS_IFD not in image.getexif()
            assert "exif" not in image.info and "xmp" not in image.info
            rgb = image.convert("RGB")
            for point in ((2, 2), (17, 2), (2, 37), (17, 37)):
                got, want = rgb.getpixel(point), expected.convert("RGB").getpixel(point)
                assert all(abs(a - b) < 40 for a, b in zip(got, want, strict=True)), point
        served = client.get(reverse("stations:reception_photo", args=[photo.pk]))
        assert served["Content-Type"] == f"image/{fmt.lower()}"
        assert served["X-Content-Type-Options"] == "nosniff"


def test_the_field_holds_whoever_saves_through_it(world, users):
    """Not only forms: a service or a shell that saves a file through the model gets the same."""
    wish = wish_claim(
        user=users["keeper"],
        wish=wish_create(
            user=users["keeper"], station=world.home_a1, person_name="李婆婆", content="取暖器"
        ),
        deputy=world.deputy_a1,
    )
    wish.photo.save("../../evil.svg", ContentFile(png_bytes() + APPENDED.encode()))
    wish.refresh_from_db()
    assert re.fullmatch(rf"wishes/\d{{4}}/\d{{2}}/{RANDOM_NAME}\.png", wish.photo.name)
    assert APPENDED.encode() not in stored_bytes(wish.photo)
    with pytest.raises(UploadRejected):
        wish.photo.save("page.html", ContentFile(b"<html>not a picture</html>"))
    wish.refresh_from_db()
    assert wish.photo.name.endswith(".png")


def test_a_file_stored_under_another_name_is_served_by_its_content(client_for, world, users):
    """Files stored before re-encoding kept the uploader's name: the type comes from the bytes."""
    activity = StationActivity.objects.create(
        station=world.home_a1,
        kind=StationActivity.Kind.THEMED,
        date=TODAY,
        theme="旧照片",
        people_reached=1,
        created_by=users["keeper"],
    )
    legacy = default_storage.save("activities/old/poly.html", ContentFile(polyglot().read()))
    photo = ActivityPhoto.objects.create(activity=activity, image="placeholder")
    ActivityPhoto.objects.filter(pk=photo.pk).update(image=legacy)
    client = client_for("keeper")
    served = client.get(reverse("stations:activity_photo", args=[photo.pk]))
    assert served["Content-Type"] == "image/png"
    assert served["Content-Disposition"] == 'inline; filename="poly.png"'
    assert served["X-Content-Type-Options"] == "nosniff"

    page = default_storage.save("activities/old/page.svg", ContentFile(b"<svg onload=alert(1)>"))
    ActivityPhoto.objects.filter(pk=photo.pk).update(image=page)
    served = client.get(reverse("stations:activity_photo", args=[photo.pk]))
    assert served["Content-Type"] == "application/octet-stream"
    assert served["Content-Disposition"].startswith("attachment;")
    assert served["X-Content-Type-Options"] == "nosniff"


def test_photos_stored_before_are_re_encoded_by_the_command(world, users):
    activity = StationActivity.objects.create(
        station=world.home_a1,
        kind=StationActivity.Kind.THEMED,
        date=TODAY,
        theme="旧照片",
        people_reached=1,
        created_by=users["keeper"],
    )
    legacy = default_storage.save("activities/old/IMG_0001.html", ContentFile(exif_jpeg_bytes()))
    broken = default_storage.save("activities/old/broken.jpg", ContentFile(b"not a picture"))
    photo = ActivityPhoto.objects.create(activity=activity, image="placeholder")
    other = ActivityPhoto.objects.create(activity=activity, image="placeholder")
    ActivityPhoto.objects.filter(pk=photo.pk).update(image=legacy)
    ActivityPhoto.objects.filter(pk=other.pk).update(image=broken)

    out, err = io.StringIO(), io.StringIO()
    call_command("reencode_photos", stdout=out, stderr=err)
    assert "1 photo(s) re-encoded, 1 could not be read." in out.getvalue()
    assert "broken.jpg" in err.getvalue()
    photo.refresh_from_db()
    assert re.fullmatch(rf"activities/\d{{4}}/\d{{2}}/{RANDOM_NAME}\.jpg", photo.image.name)
    assert not default_storage.exists(legacy)
    data = stored_bytes(photo.image)
    assert b"Exif" not in data and APPENDED.encode() not in data
    with Image.open(io.BytesIO(data)) as image:
        assert image.size == (20, 40)

    call_command("reencode_photos", stdout=out, stderr=err)  # again: nothing left to do
    assert out.getvalue().endswith("0 photo(s) re-encoded, 1 could not be read.\n")
    photo.refresh_from_db()
    assert stored_bytes(photo.image) == data
