"""Accounts and sessions as 等保 2.0 asks: password rules and expiry, lockout, timeouts, 2FA."""

import datetime
import logging
import time

import pytest
from axes.models import AccessAttempt, AccessFailureLog, AccessLog
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.test import Client
from django.utils import timezone
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice
from rest_framework.authtoken.models import Token

from accounts.middleware import SESSION_AUTH_AT, SESSION_SEEN_AT
from tests.factories import PASSWORD


def login(client: Client, username: str, password: str = PASSWORD):
    return client.post("/accounts/login/", {"username": username, "password": password})


# Passwords ---------------------------------------------------------------------------------


@pytest.mark.parametrize("password", ["abcdefgh", "abcd1234", "ABCD!@#$", "Ab1!xyz"])
def test_weak_passwords_are_refused(password):
    with pytest.raises(ValidationError):
        validate_password(password)


@pytest.mark.parametrize("password", ["Abcd1234x", "abcd!2345", "QWER!@#$q", "Demo@2026"])
def test_passwords_with_three_character_classes_pass(password):
    validate_password(password)


def test_password_change_page_explains_the_rule(client_for):
    html = client_for("staff").get("/accounts/password/").content.decode()
    assert "至少3类" in html


def test_expired_password_forces_a_change_before_anything_else(client_for, users):
    user = users["township"]
    user.password_changed_at = timezone.now() - datetime.timedelta(days=91)
    user.save(update_fields=["password_changed_at"])
    client = client_for("township")
    response = client.get("/deputies/")
    assert response.status_code == 302 and response["Location"] == "/accounts/password/"
    assert client.get("/api/v1/deputies/").status_code == 403
    response = client.post(
        "/accounts/password/",
        {
            "old_password": PASSWORD,
            "new_password1": "Xinmima#2027",
            "new_password2": "Xinmima#2027",
        },
    )
    assert response.status_code == 302
    assert client.get("/deputies/").status_code == 200


def test_password_expiry_can_be_turned_off(client_for, users, settings):
    settings.PASSWORD_EXPIRY_DAYS = 0
    users["township"].password_changed_at = None
    users["township"].save(update_fields=["password_changed_at"])
    assert client_for("township").get("/deputies/").status_code == 200


# Lockout and login log ---------------------------------------------------------------------


def test_five_failures_lock_the_username_for_thirty_minutes(client, users):
    for _ in range(4):
        assert login(client, "t_staff", "wrong-Password1").status_code == 200
    assert login(client, "t_staff", "wrong-Password1").status_code == 429  # the fifth locks
    locked = login(client, "t_staff")  # even the right password is refused now
    assert locked.status_code == 429
    assert "已被锁定" in locked.content.decode()
    assert not Client().get("/").wsgi_request.user.is_authenticated
    # Other usernames are not affected (the lock is per username, not per address).
    assert login(Client(), "t_township").status_code == 302
    # After 30 minutes the lock expires.
    past = timezone.now() - datetime.timedelta(minutes=31)
    AccessAttempt.objects.update(attempt_time=past)
    for attempt in AccessAttempt.objects.all():
        expiration = getattr(attempt, "expiration", None)
        if expiration is not None:
            expiration.expires_at = past
            expiration.save()
    assert login(Client(), "t_staff").status_code == 302


def test_every_login_success_and_failure_is_logged(client, users, caplog):
    with caplog.at_level(logging.INFO, logger="portal.security"):
        login(client, "t_staff", "wrong-Password1")
        login(client, "t_staff")
    assert AccessFailureLog.objects.filter(username="t_staff").count() == 1
    assert AccessLog.objects.filter(username="t_staff").count() == 1
    messages = [record.getMessage() for record in caplog.records]
    assert any("login failed user=t_staff" in m for m in messages)
    assert any("login succeeded user=t_staff" in m for m in messages)


# Sessions ----------------------------------------------------------------------------------


def test_session_key_is_rotated_at_login(client, users):
    client.get("/accounts/login/")
    session = client.session
    session["before"] = 1
    session.save()
    before = session.session_key
    login(client, "t_staff")
    assert client.session.session_key != before


def test_idle_timeout_logs_out_after_thirty_minutes(client_for):
    client = client_for("staff")
    assert client.get("/").status_code == 200
    session = client.session
    session[SESSION_SEEN_AT] = int(time.time()) - 31 * 60
    session.save()
    response = client.get("/deputies/")
    assert response.status_code == 302 and response["Location"].startswith("/accounts/login/")
    assert client.get("/").status_code == 302  # the session is gone, not just this request


def test_activity_keeps_the_session_alive(client_for):
    client = client_for("staff")
    client.get("/")
    session = client.session
    session[SESSION_SEEN_AT] = int(time.time()) - 29 * 60
    session.save()
    assert client.get("/").status_code == 200
    assert client.session[SESSION_SEEN_AT] >= int(time.time()) - 5


def test_absolute_timeout_after_twelve_hours_even_when_active(client_for):
    client = client_for("staff")
    client.get("/")
    session = client.session
    session[SESSION_AUTH_AT] = int(time.time()) - 12 * 3600 - 1
    session[SESSION_SEEN_AT] = int(time.time())
    session.save()
    assert client.get("/").status_code == 302
    api = client_for("staff")
    api.get("/")
    session = api.session
    session[SESSION_AUTH_AT] = int(time.time()) - 13 * 3600
    session.save()
    assert api.get("/api/v1/deputies/").status_code == 401


def test_logout_invalidates_the_session(client, users):
    login(client, "t_staff")
    cookie = client.cookies["sessionid"].value
    client.post("/accounts/logout/")
    stale = Client()
    stale.cookies["sessionid"] = cookie
    assert stale.get("/").status_code == 302


# Two factors -------------------------------------------------------------------------------


def _token(device: TOTPDevice) -> str:
    return f"{totp(device.bin_key, step=device.step, t0=device.t0, digits=device.digits):06d}"


def test_staff_must_enrol_a_second_factor_when_the_setting_is_on(client, users, settings):
    settings.OTP_REQUIRED_FOR_STAFF = True
    settings.OTP_TOTP_THROTTLE_FACTOR = 0  # django-otp slows retries after a wrong code
    login(client, "t_staff")
    response = client.get("/deputies/")
    assert response["Location"].startswith("/accounts/2fa/setup/")
    page = client.get("/accounts/2fa/setup/")
    assert page.status_code == 200 and "data:image/svg+xml;base64," in page.content.decode()
    device = TOTPDevice.objects.get(user=users["staff"], confirmed=False)
    bad = client.post(
        "/accounts/2fa/setup/", {"token": "000000" if _token(device) != "000000" else "111111"}
    )
    assert "验证码不正确" in bad.content.decode()
    assert (
        client.post("/accounts/2fa/setup/", {"token": _token(device), "next": "/deputies/"})[
            "Location"
        ]
        == "/deputies/"
    )
    assert client.get("/deputies/").status_code == 200
    # Next login asks for the code.
    fresh = Client()
    assert login(fresh, "t_staff").status_code == 302
    assert fresh.get("/")["Location"].startswith("/accounts/2fa/verify/")
    device.refresh_from_db()
    device.last_t = -1  # allow the same time step again in this test
    device.save()
    assert fresh.post("/accounts/2fa/verify/", {"token": _token(device)}).status_code == 302
    assert fresh.get("/").status_code == 200


def test_deputies_are_not_asked_for_a_second_factor(client_for, settings):
    settings.OTP_REQUIRED_FOR_STAFF = True
    assert client_for("deputy").get("/").status_code == 200


def test_second_factor_is_off_by_default(client_for):
    assert client_for("staff").get("/").status_code == 200


# API tokens --------------------------------------------------------------------------------


def test_api_token_authenticates_with_the_same_scoping(users, world):
    token = Token.objects.create(user=users["township"])
    client = Client(HTTP_AUTHORIZATION=f"Token {token.key}")
    response = client.get("/api/v1/deputies/")
    assert response.status_code == 200
    assert {row["id"] for row in response.json()["results"]} == {
        world.deputy_a1.pk,
        world.deputy_a1_liaison.pk,
    }
    assert Client(HTTP_AUTHORIZATION="Token nonsense").get("/api/v1/deputies/").status_code in (
        401,
        403,
    )
