"""Every stored photo passes through :class:`PhotoField`: whatever the form, service, admin or
command that assigns the upload, the file written to storage is the picture re-encoded by
:func:`core.uploads.reencode_image` (upright, without EXIF/GPS or anything appended), under a
random name the portal chooses with the extension of the format Pillow decoded. The uploader's
file name is never used. Photos are served by :func:`core.files.private_file_response`."""

import re
import secrets

from django.core.files.base import ContentFile
from django.db import models
from django.db.models.fields.files import ImageFieldFile

from .uploads import reencode_image

_PORTAL_NAME = re.compile(r"[0-9a-f]{32}\.(?:jpg|png|webp)")


def photo_name(extension: str) -> str:
    """A name that says nothing about the uploader or the upload: 32 random hex digits."""
    return f"{secrets.token_hex(16)}{extension}"


def is_portal_name(name: str) -> bool:
    """Whether a stored file has a name :func:`photo_name` gave (so it was re-encoded)."""
    return bool(_PORTAL_NAME.fullmatch(name.rsplit("/", 1)[-1]))


class PhotoFieldFile(ImageFieldFile):
    def save(self, name, content, save=True):
        clean = reencode_image(content)
        super().save(photo_name(clean.extension), ContentFile(clean.content), save)


class PhotoField(models.ImageField):
    """An ImageField whose files are always re-encoded and named by the portal (see above).
    Raises core.uploads.UploadRejected on save if the upload is not a sound photo."""

    attr_class = PhotoFieldFile
