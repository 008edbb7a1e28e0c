"""Private files go out only after the portal's check; behind nginx as an X-Accel-Redirect."""

from django.core.files.base import ContentFile

from core.models import ExportJob


def _done_export(user) -> ExportJob:
    job = ExportJob.objects.create(
        user=user,
        exporter="suggestion_register",
        status=ExportJob.Status.DONE,
        filename="登记.xlsx",
    )
    job.file.save("register.xlsx", ContentFile(b"PK\x03\x04 workbook bytes"), save=True)
    return job


def test_without_the_setting_the_portal_streams_the_file(client_for, users, settings):
    settings.PRIVATE_MEDIA_ACCEL_REDIRECT = ""
    job = _done_export(users["staff"])
    response = client_for("staff").get(f"/exports/{job.pk}/download/")
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == b"PK\x03\x04 workbook bytes"
    assert "X-Accel-Redirect" not in response


def test_behind_nginx_the_portal_answers_with_x_accel_redirect(client_for, users, settings):
    settings.PRIVATE_MEDIA_ACCEL_REDIRECT = "/_protected_media/"
    job = _done_export(users["staff"])
    response = client_for("staff").get(f"/exports/{job.pk}/download/")
    assert response.status_code == 200
    assert response["X-Accel-Redirect"] == f"/_protected_media/{job.file.name}"
    assert response.content == b""
    assert response["Content-Disposition"].startswith("attachment")
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Cache-Control"] == "private, no-store"


def test_x_accel_redirect_only_after_the_permission_check(client_for, users, settings):
    settings.PRIVATE_MEDIA_ACCEL_REDIRECT = "/_protected_media/"
    job = _done_export(users["staff"])
    response = client_for("admin").get(f"/exports/{job.pk}/download/")  # not the owner
    assert response.status_code == 404
    assert "X-Accel-Redirect" not in response
