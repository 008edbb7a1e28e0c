"""Uploads stay in memory, never in a clear temporary file.

Django's default handlers spool an upload larger than ``FILE_UPLOAD_MAX_MEMORY_SIZE`` (2.5 MiB)
to a temporary file in ``FILE_UPLOAD_TEMP_DIR``: a voter list or a roster would then sit in
clear on disk for as long as the request runs, which breaks the raw-dump promise of
docs/security.md. This handler keeps every upload in memory whatever its size; the body's size is
bounded before it is read by ``core.uploads.RequestSizeLimitMiddleware`` (``REQUEST_MAX_BYTES``,
and the larger limit of the 三零 page), so memory per request is bounded too. What is kept is
then sealed (core.crypto) or re-encoded (core.photos) before it reaches the disk."""

from django.core.files.uploadhandler import MemoryFileUploadHandler


class MemoryOnlyUploadHandler(MemoryFileUploadHandler):
    def handle_raw_input(self, input_data, META, content_length, boundary, encoding=None):
        # The parent activates only below FILE_UPLOAD_MAX_MEMORY_SIZE and leaves larger files to
        # the next handler (a temporary file); there is none, so it always takes the file.
        self.activated = True
