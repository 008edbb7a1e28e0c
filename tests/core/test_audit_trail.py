"""Every create, update and delete of domain records is recorded, masked, readable by staff on the
record's page, not editable through the portal, and kept at least 183 days."""

import datetime

import pytest
from auditlog.models import LogEntry
from django.urls import reverse
from django.utils import timezone

from core.models import PersonalDataAccess
from core.tasks import prune_audit_trail
from directory.models import Deputy, Station


def entries_for(obj):
    return LogEntry.objects.get_for_object(obj).order_by("timestamp")


def test_update_through_the_admin_records_who_what_and_where(client_for, users, world):
    deputy = world.deputy_a1
    client = client_for("staff")
    url = reverse("admin:directory_deputy_change", args=[deputy.pk])
    form = client.get(url).context["adminform"].form
    data = {name: form.initial.get(name, "") for name in form.fields}
    data.update(
        {
            "workplace": "县教育局副局长",
            "phone": "13900001111",
            "station": deputy.station_id,
            "mandates-TOTAL_FORMS": "0",
            "mandates-INITIAL_FORMS": "0",
        }
    )
    data = {k: v for k, v in data.items() if v is not None}
    response = client.post(url, data, REMOTE_ADDR="10.9.8.7")
    assert response.status_code == 302, response.content.decode()[:2000]
    entry = entries_for(deputy).last()
    assert entry.action == LogEntry.Action.UPDATE
    assert entry.actor == users["staff"]
    assert entry.remote_addr == "10.9.8.7"
    changes = entry.changes_dict
    assert changes["workplace"][1] == "县教育局副局长"
    # Personal fields are masked in the log.
    assert "13900001111" not in entry.changes
    assert "phone" in changes and changes["phone"][1].startswith("13")


def test_create_and_delete_are_recorded(world):
    station = Station.objects.create(name="新建联络站", kind="home", township=world.a2)
    pk = station.pk
    station.delete()
    actions = list(
        LogEntry.objects.filter(object_pk=str(pk), content_type__model="station")
        .order_by("pk")
        .values_list("action", flat=True)
    )
    assert actions == [LogEntry.Action.CREATE, LogEntry.Action.DELETE]


def test_id_number_never_appears_in_the_audit_log(world):
    text = " ".join(LogEntry.objects.values_list("changes_text", flat=True))
    text += " ".join(str(c) for c in LogEntry.objects.values_list("changes", flat=True))
    for deputy in Deputy.objects.all():
        assert deputy.id_number not in text
        assert deputy.phone not in text


def test_group_membership_changes_are_recorded(world):
    world.group_a.members.add(world.deputy_a1_liaison)
    entry = entries_for(world.group_a).last()
    assert "members" in entry.changes_dict


def test_staff_read_the_history_on_the_record_page_and_township_staff_do_not(client_for, world):
    world.deputy_a1.workplace = "新单位"
    world.deputy_a1.save()
    url = reverse("deputies:detail", args=[world.deputy_a1.pk])
    staff_html = client_for("staff").get(url).content.decode()
    assert "变更记录" in staff_html and "新单位" in staff_html
    assert "变更记录" not in client_for("township").get(url).content.decode()
    station_url = reverse("stations:detail", args=[world.home_a1.pk])
    assert "变更记录" in client_for("staff").get(station_url).content.decode()


def test_audit_entries_cannot_be_changed_or_deleted_through_the_admin(client_for, world):
    entry = LogEntry.objects.first()
    client = client_for("admin")
    change_url = reverse("admin:auditlog_logentry_change", args=[entry.pk])
    assert client.post(change_url, {"action": 0}).status_code == 403
    delete_url = reverse("admin:auditlog_logentry_delete", args=[entry.pk])
    assert client.post(delete_url, {"post": "yes"}).status_code == 403
    changelist = reverse("admin:auditlog_logentry_changelist")
    client.post(
        changelist, {"action": "delete_selected", "_selected_action": [entry.pk], "post": "yes"}
    )
    assert LogEntry.objects.filter(pk=entry.pk).exists()


def test_access_log_cannot_be_changed_or_deleted_through_the_admin(client_for, users):
    entry = PersonalDataAccess.objects.create(
        user=users["staff"],
        action="view",
        record_type="directory.Deputy",
        record_id="1",
        record_repr="x",
        fields="id_number",
    )
    client = client_for("admin")
    assert (
        client.post(
            reverse("admin:core_personaldataaccess_delete", args=[entry.pk]), {"post": "yes"}
        ).status_code
        == 403
    )
    assert PersonalDataAccess.objects.filter(pk=entry.pk).exists()


@pytest.mark.parametrize("configured_days", [30, 183, 400])
def test_retention_never_deletes_entries_younger_than_183_days(
    world, users, settings, configured_days
):
    settings.AUDIT_RETENTION_DAYS = configured_days
    now = timezone.now()
    ages = [10, 182, 200, 500]
    for age in ages:
        LogEntry.objects.create(
            content_type_id=LogEntry.objects.first().content_type_id,
            object_pk="1",
            object_repr=f"age {age}",
            action=LogEntry.Action.UPDATE,
            timestamp=now - datetime.timedelta(days=age),
        )
        access = PersonalDataAccess.objects.create(
            user=users["staff"],
            action="view",
            record_type="x",
            record_id="1",
            record_repr=f"age {age}",
            fields="phone",
        )
        PersonalDataAccess.objects.filter(pk=access.pk).update(
            at=now - datetime.timedelta(days=age)
        )
    prune_audit_trail()
    keep_days = max(configured_days, 183)
    kept = set(
        LogEntry.objects.filter(object_repr__startswith="age ").values_list(
            "object_repr", flat=True
        )
    )
    assert kept == {f"age {age}" for age in ages if age < keep_days}
    kept_access = set(PersonalDataAccess.objects.values_list("record_repr", flat=True))
    assert kept_access == {f"age {age}" for age in ages if age < keep_days}
