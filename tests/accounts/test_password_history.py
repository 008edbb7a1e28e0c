"""A password change must change the password: neither the current one nor one of the last
PASSWORD_HISTORY_COUNT (5) is accepted, on the change page, in the admin and by validate_password."""

import datetime

import pytest
from django.contrib.auth.hashers import make_password
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.db import connection
from django.test import Client
from django.utils import timezone

from accounts.models import PasswordHistory, Role, User
from tests.factories import PASSWORD, make_user

REUSED = "新密码不能与当前密码或最近5次使用过的密码相同,请换一个新密码。"
NEW_PASSWORDS = [f"Xinmima#{n}a" for n in range(1, 7)]


def change(client: Client, old: str, new: str):
    return client.post(
        "/accounts/password/",
        {"old_password": old, "new_password1": new, "new_password2": new},
    )


@pytest.fixture
def staff_client(users):
    client = Client()
    client.force_login(users["staff"])
    return client


def test_the_current_password_is_refused_on_the_change_page(staff_client, users):
    before = users["staff"].password_changed_at
    response = change(staff_client, PASSWORD, PASSWORD)
    assert response.status_code == 200
    assert REUSED in response.content.decode()
    user = User.objects.get(pk=users["staff"].pk)
    assert user.check_password(PASSWORD) and user.password_changed_at == before
    assert not PasswordHistory.objects.exists()


def test_the_last_five_are_refused_and_the_sixth_back_is_accepted_again(staff_client, users):
    current = PASSWORD
    for new in NEW_PASSWORDS[:5]:
        assert change(staff_client, current, new).status_code == 302
        current = new
    user = User.objects.get(pk=users["staff"].pk)
    assert PasswordHistory.objects.filter(user=user).count() == 5
    # Current: the fifth new one; history: PASSWORD and the first four new ones.
    for old in [PASSWORD, *NEW_PASSWORDS[:4]]:
        response = change(staff_client, current, old)
        assert response.status_code == 200 and REUSED in response.content.decode(), old
    assert change(staff_client, current, NEW_PASSWORDS[5]).status_code == 302
    # Six changes: the oldest (PASSWORD) fell out of the five kept and may be used again.
    assert PasswordHistory.objects.filter(user=user).count() == 5
    assert change(staff_client, NEW_PASSWORDS[5], PASSWORD).status_code == 302


def test_history_keeps_salted_hashes_never_the_password(staff_client, users):
    change(staff_client, PASSWORD, NEW_PASSWORDS[0])
    with connection.cursor() as cursor:
        cursor.execute("SELECT password FROM accounts_passwordhistory")
        (stored,) = cursor.fetchone()
    assert PASSWORD not in stored and stored.startswith("md5$")  # the test hasher
    assert stored == make_password(PASSWORD, salt=stored.split("$")[1])


def test_the_admin_set_password_form_refuses_a_recent_password(client_for, users):
    target = users["township"]
    url = f"/admin/accounts/user/{target.pk}/password/"
    admin = client_for("admin")
    response = admin.post(url, {"password1": PASSWORD, "password2": PASSWORD})
    assert response.status_code == 200 and REUSED in response.content.decode()
    response = admin.post(url, {"password1": "Houtai#2027x", "password2": "Houtai#2027x"})
    assert response.status_code == 302
    target.refresh_from_db()
    assert target.check_password("Houtai#2027x")
    assert PasswordHistory.objects.filter(user=target).count() == 1


def test_validate_password_refuses_for_an_existing_user_and_not_for_a_new_one(users):
    with pytest.raises(ValidationError) as error:
        validate_password(PASSWORD, users["keeper"])
    assert [e.code for e in error.value.error_list] == ["password_reused"]
    validate_password(PASSWORD, User(username="new", role=Role.DEPUTY))
    validate_password(PASSWORD)


def test_a_hash_upgrade_at_login_is_not_a_password_change(db, settings):
    settings.PASSWORD_HASHERS = [
        "django.contrib.auth.hashers.PBKDF2PasswordHasher",
        "django.contrib.auth.hashers.MD5PasswordHasher",
    ]
    user = make_user(Role.ADMINISTRATOR, "upgrade")
    user.password = make_password(PASSWORD, hasher="md5")
    changed_at = timezone.now() - datetime.timedelta(days=80)
    user.password_changed_at = changed_at
    user.save()
    assert (
        Client().post("/accounts/login/", {"username": "upgrade", "password": PASSWORD}).status_code
        == 302
    )
    user.refresh_from_db()
    assert user.password.startswith("pbkdf2_sha256$")  # upgraded
    assert user.password_changed_at == changed_at  # the expiry clock did not restart
    assert not PasswordHistory.objects.filter(user=user).exists()


def test_the_change_page_states_the_rule(staff_client):
    assert (
        "不能与当前密码或最近5次使用过的密码相同"
        in staff_client.get("/accounts/password/").content.decode()
    )
