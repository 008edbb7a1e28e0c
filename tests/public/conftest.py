import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image


@pytest.fixture
def public_county(world, settings, tmp_path):
    settings.PUBLIC_COUNTY_CODE = world.county_a.code
    settings.MEDIA_ROOT = tmp_path
    return world.county_a


def png(name: str = "photo.png", size=(16, 16)) -> SimpleUploadedFile:
    buffer = io.BytesIO()
    Image.new("RGB", size, "green").save(buffer, format="PNG")
    return SimpleUploadedFile(name, buffer.getvalue(), content_type="image/png")


def captcha_answer(client) -> int:
    """The answer the server expects, read where the server keeps it (the session)."""
    from public.captcha import SESSION_KEY

    return client.session[SESSION_KEY]["answer"]
