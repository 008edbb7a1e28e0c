"""Serving uploaded and generated files to the users allowed to see them."""

import os
import re
from urllib.parse import quote

from django.conf import settings
from django.db.models.fields.files import FieldFile
from django.http import FileResponse, Http404, HttpResponse, HttpResponseBase
from django.utils.http import content_disposition_header

from .uploads import IMAGE_CONTENT_TYPES, IMAGE_EXTENSIONS, image_format_of

_SAFE_STEM = re.compile(r"[A-Za-z0-9_-]{1,64}")


def private_file_response(
    field_file: FieldFile, *, content_type: str | None = None, filename: str | None = None
) -> HttpResponseBase:
    """Serve a stored file the caller has already checked the user may see; never through
    MEDIA_URL. Cached by the browser only, not by shared proxies.

    Without ``content_type`` the file is a photo: its type comes from the format Pillow reads in
    the stored bytes, never from the name (a file stored before photos were re-encoded may be
    called ``poly.html``); it is shown inline under a name with that format's extension. Anything
    else, and anything that is not a JPEG, PNG or WebP picture, is sent as a download. The
    browser is told not to guess (``nosniff``), so no upload is ever rendered as a page.

    With PRIVATE_MEDIA_ACCEL_REDIRECT set (behind nginx), the answer carries no body but an
    ``X-Accel-Redirect`` to nginx's internal location for the file, which nginx then streams
    with these same headers (deploy/nginx/portal.conf)."""
    if not field_file:
        raise Http404
    try:
        handle = field_file.open("rb")
    except FileNotFoundError:
        raise Http404 from None
    inline = False
    if content_type is None:
        image_format = image_format_of(handle)
        if image_format is not None:
            content_type, inline = IMAGE_CONTENT_TYPES[image_format], True
            filename = _safe_stem(field_file.name or "") + IMAGE_EXTENSIONS[image_format]
        else:
            content_type = "application/octet-stream"
    accel_prefix = settings.PRIVATE_MEDIA_ACCEL_REDIRECT
    response: HttpResponseBase
    if accel_prefix:
        handle.close()
        response = HttpResponse(content_type=content_type)
        response["X-Accel-Redirect"] = accel_prefix.rstrip("/") + "/" + quote(field_file.name or "")
    else:
        response = FileResponse(handle, content_type=content_type)
    # Never None: a file name is always given.
    response["Content-Disposition"] = content_disposition_header(  # type: ignore[assignment]
        as_attachment=not inline, filename=filename or "download.bin"
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, max-age=3600"
    return response


def _safe_stem(name: str) -> str:
    stem = os.path.splitext(os.path.basename(name))[0]
    return stem if _SAFE_STEM.fullmatch(stem) else "photo"
