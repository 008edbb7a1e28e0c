"""HTTP hardening visible on every response."""

from django.test import Client, override_settings


def test_security_headers_on_pages(client_for, world):
    response = client_for("staff").get("/")
    csp = response["Content-Security-Policy"]
    assert "script-src 'self'" in csp and "unsafe-inline" not in csp
    assert "frame-ancestors 'none'" in csp
    assert response["X-Frame-Options"] == "DENY"
    assert response["Referrer-Policy"] == "same-origin"
    assert response["X-Content-Type-Options"] == "nosniff"


def test_no_inline_scripts_or_styles_in_rendered_pages(client_for, world):
    client = client_for("staff")
    for url in ("/", "/deputies/", "/stations/", f"/deputies/{world.deputy_a1.pk}/", "/api/docs/"):
        html = client.get(url).content.decode()
        assert "<script>" not in html and "<script type=" not in html.replace(
            'type="module"', ""
        ), url
        assert " style=" not in html, url


def test_login_form_has_csrf_protection(db):
    client = Client(enforce_csrf_checks=True)
    response = client.post("/accounts/login/", {"username": "x", "password": "y"})
    assert response.status_code == 403


def test_oversized_request_body_is_refused_with_413_before_parsing(client_for, settings):
    settings.REQUEST_MAX_BYTES = 1024
    response = client_for("staff").post(
        "/accounts/password/", data="x" * 4096, content_type="application/octet-stream"
    )
    assert response.status_code == 413


@override_settings(SECURE_SSL_REDIRECT=False)
def test_health_check_is_public_and_uncached(db):
    response = Client().get("/healthz")
    assert response.status_code == 200
    assert "no-cache" in response["Cache-Control"]
