"""Crafted photos for the upload tests: polyglots, and pictures carrying personal data in their
metadata and after their image data."""

import io

from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

ID_NUMBER = "510824197503081236"
PHONE = "13812345678"
APPENDED = f"<html><body><script>alert(document.cookie)</script>{ID_NUMBER} {PHONE}</body></html>"

ORIENTATION, GPS_IFD, IMAGE_DESCRIPTION, ARTIST = 0x0112, 0x8825, 0x010E, 0x013B


def picture(size=(40, 20)) -> Image.Image:
    """Red with a blue block in the top-left corner, so a rotation shows."""
    image = Image.new("RGB", size, (200, 30, 30))
    image.paste((20, 40, 220), (0, 0, size[0] // 4, size[1] // 4))
    return image


def png_bytes(size=(40, 20)) -> bytes:
    buffer = io.BytesIO()
    picture(size).save(buffer, format="PNG")
    return buffer.getvalue()


def polyglot(name: str = "poly.html") -> SimpleUploadedFile:
    """A valid PNG with an HTML page appended, under a name that says HTML or SVG."""
    return SimpleUploadedFile(name, png_bytes() + APPENDED.encode(), content_type="text/html")


def exif_jpeg_bytes(fmt: str = "JPEG", orientation: int = 6) -> bytes:
    """A photo as a phone takes it: stored sideways with an EXIF orientation, the GPS position,
    and an ID number and phone in its description; text appended after the image data."""
    exif = Image.Exif()
    exif[ORIENTATION] = orientation
    exif[IMAGE_DESCRIPTION] = f"{ID_NUMBER} {PHONE}"
    exif[ARTIST] = PHONE
    exif[GPS_IFD] = {1: "N", 2: (31.0, 43.0, 55.0), 3: "E", 4: (105.0, 56.0, 12.0)}
    buffer = io.BytesIO()
    picture().save(buffer, format=fmt, exif=exif.tobytes(), quality=95)
    return buffer.getvalue() + APPENDED.encode()


def exif_jpeg(name: str = "IMG_0001.JPG") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, exif_jpeg_bytes(), content_type="image/jpeg")


def exif_webp(name: str = "photo.webp") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, exif_jpeg_bytes("WEBP"), content_type="image/webp")
