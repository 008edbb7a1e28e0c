"""The request size limit: one limit for every page, a larger one for the pages that take
county-size files (REQUEST_MAX_BYTES_BY_PATH)."""

from django.test import Client


def test_a_large_body_is_refused_except_on_a_page_given_a_larger_limit(settings):
    settings.REQUEST_MAX_BYTES = 1000
    settings.REQUEST_MAX_BYTES_BY_PATH = {"/elections/registration-checks/new/": 5000}
    client = Client()
    body = {"x": "a" * 2000}
    refused = client.post("/accounts/login/", body)
    assert refused.status_code == 413 and "上传的内容过大" in refused.content.decode()
    # The larger page lets the body through to the view (which sends anonymous users to log in).
    allowed = client.post("/elections/registration-checks/new/", body)
    assert allowed.status_code == 302
    too_large = client.post("/elections/registration-checks/new/", {"x": "a" * 6000})
    assert too_large.status_code == 413
