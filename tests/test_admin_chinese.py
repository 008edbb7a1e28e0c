"""The admin is in Chinese on every page a superuser reaches, third-party apps included: the index,
every app index, changelist (with its filters), add form, change form and history page. The walk
reads the visible text of each page and flags English words; data that is Latin by nature (ids,
addresses, user names) is allowed by a short list."""

import re
from html.parser import HTMLParser

import pytest
from auditlog.models import LogEntry
from axes.models import AccessAttempt, AccessFailureLog, AccessLog
from django.contrib import admin
from django.contrib.auth import get_user_model
from django.urls import NoReverseMatch, reverse
from django.utils import timezone
from django_otp.plugins.otp_totp.models import TOTPDevice
from rest_framework.authtoken.models import Token

from core.models import PersonalDataAccess
from stations.models import Opinion, OpinionEvent

# Latin words that belong in a Chinese interface: abbreviations inside a Chinese label and names
# of formats or products.
ALLOWED_WORDS = {
    "ID",
    "IP",
    "TOTP",
    "OTP",
    "URL",
    "API",
    "CSV",
    "Excel",
    "xlsx",
    "JSON",
    "SMS",
    "Celery",
    "Token",
    "Unix",
    # Django's own help for multiple selects names the keys: "按住 Control 键,或者 Mac 上的 Command 键"
    "Control",
    "Command",
    "Mac",
}
# Chunks that are data, not interface: addresses, paths, e-mail addresses, keys.
DATA_CHUNK = re.compile(
    r"^(https?://\S+|/\S*|\S+@\S+|.*[\d*].*|[\w.-]+\.(xlsx|csv|pdf|docx?|png|jpe?g))$"
)
# Codes an administrator types, listed in a field's help text (none left: 结构关 categories are
# chosen by name).
ALLOWED_ON_PAGE: dict[str, set[str]] = {}
WORD = re.compile(r"[A-Za-z]{2,}")
CHUNK = re.compile(r"[\x21-\x7e]+")


class VisibleText(HTMLParser):
    """The text a user reads: element text (not scripts or styles), page title, button labels,
    placeholders and tooltips."""

    SKIP = {"script", "style", "textarea"}

    def __init__(self):
        super().__init__()
        self.texts: list[str] = []
        self._skipping = 0

    def handle_starttag(self, tag, attrs):
        if tag in self.SKIP:
            self._skipping += 1
        attrs = dict(attrs)
        if tag == "input" and attrs.get("type") in {"submit", "button", "reset"}:
            self.texts.append(attrs.get("value") or "")
        for name in ("placeholder", "title", "aria-label"):
            if attrs.get(name):
                self.texts.append(attrs[name])

    def handle_endtag(self, tag):
        if tag in self.SKIP and self._skipping:
            self._skipping -= 1

    def handle_data(self, data):
        if not self._skipping and data.strip():
            self.texts.append(data)


def english_words(html: str, data_words: set[str] = frozenset()) -> set[str]:
    parser = VisibleText()
    parser.feed(html)
    found = set()
    for text in parser.texts:
        for chunk in CHUNK.findall(text):
            bare = chunk.strip("()[]<>\"'“”,.:;")
            if bare in data_words or chunk in data_words or DATA_CHUNK.match(bare):
                continue
            found.update(w for w in WORD.findall(chunk) if w not in ALLOWED_WORDS)
    return found


def admin_urls(user) -> list[str]:
    """Every admin page of every registered model: changelist, add form, and for the first row
    its change form and history."""
    urls = [reverse("admin:index")]
    app_labels = set()
    for model, model_admin in admin.site._registry.items():
        opts = model._meta
        app_labels.add(opts.app_label)
        prefix = f"admin:{opts.app_label}_{opts.model_name}"
        urls.append(reverse(f"{prefix}_changelist"))
        try:
            add = reverse(f"{prefix}_add")
        except NoReverseMatch:
            add = None
        if add and model_admin.has_add_permission(_request_for(user)):
            urls.append(add)
        first = model_admin.get_queryset(_request_for(user)).order_by("pk").first()
        if first is not None:
            urls.append(reverse(f"{prefix}_change", args=[first.pk]))
            urls.append(reverse(f"{prefix}_history", args=[first.pk]))
    urls += [reverse("admin:app_list", args=[label]) for label in sorted(app_labels)]
    return urls


def _request_for(user):
    from django.test import RequestFactory

    request = RequestFactory().get("/admin/")
    request.user = user
    return request


def walk(client, user, data_words: set[str]) -> dict[str, set[str]]:
    """English words per admin URL."""
    problems = {}
    for url in admin_urls(user):
        response = client.get(url)
        assert response.status_code == 200, (url, response.status_code)
        words = english_words(response.content.decode(), data_words)
        words -= ALLOWED_ON_PAGE.get(url, set())
        if words:
            problems[url] = words
    return problems


@pytest.fixture
def third_party_rows(users, world):
    """One row in each third-party model, and an opinion whose status and unit were changed."""
    now = timezone.now()
    common = {
        "user_agent": "Mozilla/5.0",
        "ip_address": "10.0.0.1",
        "username": "t_admin",
        "http_accept": "text/html",
        "path_info": "/accounts/login/",
    }
    AccessAttempt.objects.create(
        **common, get_data="", post_data="", failures_since_start=2, attempt_time=now
    )
    AccessLog.objects.create(**common, attempt_time=now, logout_time=now)
    AccessFailureLog.objects.create(**common, attempt_time=now, locked_out=True)
    # Another user's device: one of the admin's own would send the walk to the second-factor page.
    TOTPDevice.objects.create(user=users["staff"], name="手机", confirmed=True)
    Token.objects.create(user=users["admin"])
    PersonalDataAccess.objects.create(
        user=users["staff"],
        action=PersonalDataAccess.Action.VIEW,
        record_type=world.deputy_a1._meta.label,
        record_id=str(world.deputy_a1.pk),
        record_repr=str(world.deputy_a1),
        fields="id_number,phone",
    )
    return changed_opinion(world)


def changed_opinion(world) -> Opinion:
    opinion = Opinion.objects.create(
        channel=Opinion.Channel.VISIT,
        township=world.a1,
        station=world.home_a1,
        category="education",
        content="村小学门口缺少减速带",
        voter_phone="13800001111",
    )
    opinion.status = Opinion.Status.FORWARDED
    opinion.handling_unit = world.unit_a
    opinion.save()
    OpinionEvent.objects.create(
        opinion=opinion,
        from_status=Opinion.Status.RECEIVED,
        to_status=Opinion.Status.FORWARDED,
    )
    return opinion


def test_every_admin_page_is_in_chinese(client_for, users, third_party_rows):
    user = users["admin"]
    data_words = set(get_user_model().objects.values_list("username", flat=True))
    # What django-axes stores when a request lacks a header (the test client's force_login).
    data_words |= {"Mozilla/5.0", "text/html", "<unknown>", "unknown"}
    client = client_for("admin")
    problems = walk(client, user, data_words)
    # The walk opens the first row of each model; the opinion's own audit entry too.
    entry = LogEntry.objects.get_for_object(third_party_rows).first()
    url = reverse("admin:auditlog_logentry_change", args=[entry.pk])
    if words := english_words(client.get(url).content.decode(), data_words):
        problems[url] = words
    report = "\n".join(f"{url}: {' '.join(sorted(words))}" for url, words in problems.items())
    assert not problems, "English in the admin:\n" + report


def test_the_walk_catches_english():
    html = (
        "<html><head><title>Select access attempt</title><script>var x = 'ok';</script></head>"
        "<body><h1>登录尝试</h1><a href='/x'>Attempt Time</a> 4244 → received"
        "<input type='submit' value='保存'> 身份证 ID t_admin https://example.org</body></html>"
    )
    assert english_words(html, {"t_admin"}) == {
        "Select",
        "access",
        "attempt",
        "Attempt",
        "Time",
        "received",
    }


def test_the_app_names_are_chinese_and_the_labels_unchanged(client_for, users):
    from django.apps import apps

    names = {label: str(apps.get_app_config(label).verbose_name) for label in LABELS}
    assert names == {"axes": "登录保护", "auditlog": "变更记录", "otp_totp": "两步验证"}
    html = client_for("admin").get(reverse("admin:index")).content.decode()
    for name in ("登录保护", "变更记录", "两步验证", "登录尝试", "TOTP 验证设备"):
        assert name in html
    # The subclasses keep each app's ready(): axes has connected its login signals.
    assert type(apps.get_app_config("axes")).initialized


LABELS = ["axes", "auditlog", "otp_totp"]


def test_permissions_are_named_in_chinese(client_for, users):
    html = client_for("admin").get(reverse("admin:auth_group_add")).content.decode()
    assert "可新增群众意见" in html and "可查看登录尝试" in html
    assert "Can add" not in html and "Can view" not in html


def test_opinion_events_read_as_status_labels(client_for, users, world):
    opinion = changed_opinion(world)
    event = opinion.events.get()
    assert str(event) == "已受理 → 已转办"
    html = client_for("admin").get(reverse("admin:stations_opinion_change", args=[opinion.pk]))
    html = html.content.decode()
    assert "已受理 → 已转办" in html
    assert "received" not in html and f"{opinion.pk} →" not in html


def test_personal_data_access_names_record_types_and_fields(client_for, third_party_rows):
    html = client_for("admin").get(reverse("admin:core_personaldataaccess_changelist"))
    html = html.content.decode()
    assert "公民身份号码、手机号码" in html
    # The model label stays in the filter's query string, not in the text.
    assert ">directory.Deputy<" not in html and ">人大代表</a>" in html
