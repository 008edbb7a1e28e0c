from django.db.models.fields.files import FieldFile
from django.http import FileResponse, Http404


def private_file_response(field_file: FieldFile) -> FileResponse:
    """Serve an uploaded file the caller has already checked the user may see; never through
    MEDIA_URL. Cached by the browser only, not by shared proxies."""
    if not field_file:
        raise Http404
    try:
        response = FileResponse(field_file.open("rb"))
    except FileNotFoundError:
        raise Http404 from None
    response["Cache-Control"] = "private, max-age=3600"
    return response
