"""core.uploads.reencode_image and image_format_of, called directly: the format kept, the photo
turned upright, transparency kept, the JPEG quality written (its quantisation tables), and what
is refused. The forms that store photos are tested in tests/security/test_photo_uploads.py."""

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from core.uploads import UploadRejected, image_format_of, reencode_image
from tests.security.images import APPENDED, exif_jpeg_bytes, png_bytes

# The base luminance table of the JPEG standard (Annex K, Table K.1), row by row as Pillow
# reports it.
_LUMA = (
    16, 11, 10, 16, 24, 40, 51, 61,
    12, 12, 14, 19, 26, 58, 60, 55,
    14, 13, 16, 24, 40, 57, 69, 56,
    14, 17, 22, 29, 51, 87, 80, 62,
    18, 22, 37, 56, 68, 109, 103, 77,
    24, 35, 55, 64, 81, 104, 113, 92,
    49, 64, 78, 87, 103, 121, 120, 101,
    72, 92, 95, 98, 112, 100, 103, 99,
)  # fmt: skip


def luma_table(quality: int) -> list[int]:
    """libjpeg's scaling of the base table for a quality of 50 or more (jcparam.c)."""
    scale = 200 - 2 * quality
    return [min(max((base * scale + 50) // 100, 1), 255) for base in _LUMA]


def upload(data: bytes, name: str = "photo") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, data)


def test_a_jpeg_is_written_again_at_quality_90():
    clean = reencode_image(upload(exif_jpeg_bytes()))
    assert (clean.format, clean.extension, clean.content_type) == ("JPEG", ".jpg", "image/jpeg")
    with Image.open(io.BytesIO(clean.content)) as image:
        assert list(image.quantization[0]) == luma_table(90)
        assert list(image.quantization[0]) != luma_table(91)
        assert image.size == (20, 40)  # the EXIF orientation 6 applied: upright, no EXIF left
        assert not image.getexif()
    assert APPENDED.encode() not in clean.content


def test_a_webp_is_written_again_at_quality_90():
    original = exif_jpeg_bytes("WEBP")
    clean = reencode_image(upload(original))
    assert (clean.format, clean.extension, clean.content_type) == ("WEBP", ".webp", "image/webp")
    with Image.open(io.BytesIO(original)) as image:
        upright = image.transpose(Image.Transpose.ROTATE_270)  # orientation 6
        for quality, same in ((90, True), (91, False), (89, False)):
            expected = io.BytesIO()
            upright.save(expected, format="WEBP", quality=quality)
            assert (expected.getvalue() == clean.content) is same, quality


def test_a_png_keeps_its_transparency_and_drops_what_follows_it():
    image = Image.new("P", (8, 8), 0)
    image.putpalette([255, 255, 255, 0, 0, 0])
    buffer = io.BytesIO()
    image.save(buffer, format="PNG", transparency=0)
    clean = reencode_image(upload(buffer.getvalue() + APPENDED.encode()))
    assert (clean.format, clean.extension, clean.content_type) == ("PNG", ".png", "image/png")
    with Image.open(io.BytesIO(clean.content)) as again:
        assert again.info["transparency"] == 0
    assert APPENDED.encode() not in clean.content


def test_the_file_is_read_from_the_start_and_left_at_the_start():
    photo = upload(png_bytes())
    photo.seek(10)
    clean = reencode_image(photo)
    assert clean.format == "PNG"
    assert photo.tell() == 0


def test_what_is_not_a_photo_is_refused_before_anything_is_written():
    with pytest.raises(UploadRejected) as caught:
        reencode_image(upload(b"<html>" + APPENDED.encode(), "poly.png"))
    assert "图片" in str(caught.value)


def test_the_format_of_an_image_from_its_bytes():
    handle = io.BytesIO(png_bytes())
    handle.seek(5)
    assert image_format_of(handle) == "PNG"
    assert handle.tell() == 0
    assert image_format_of(io.BytesIO(exif_jpeg_bytes())) == "JPEG"
    assert image_format_of(io.BytesIO(b"GIF89a" + b"\0" * 20)) is None
    assert image_format_of(io.BytesIO(b"not an image")) is None


@pytest.mark.parametrize("fmt", ["JPEG", "PNG"])
def test_a_colour_profile_is_not_carried_over(fmt):
    buffer = io.BytesIO()
    Image.new("RGB", (8, 8), (10, 20, 30)).save(buffer, format=fmt, icc_profile=b"fake-profile")
    with Image.open(io.BytesIO(buffer.getvalue())) as original:
        assert original.info["icc_profile"] == b"fake-profile"
    clean = reencode_image(upload(buffer.getvalue()))
    with Image.open(io.BytesIO(clean.content)) as again:
        assert "icc_profile" not in again.info


def test_the_size_limit_holds_when_re_encoding():
    data = png_bytes()
    with pytest.raises(UploadRejected) as caught:
        reencode_image(upload(data), max_bytes=len(data) - 1)
    assert caught.value.code == "file_too_large"
    assert reencode_image(upload(data), max_bytes=len(data)).format == "PNG"
