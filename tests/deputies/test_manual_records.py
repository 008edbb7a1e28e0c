"""Manual duty records: entered by one staff member with evidence, counted only after another
approves."""

import datetime
import io

import pytest
from django.contrib.messages import get_messages
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone
from PIL import Image

from deputies.models import DutyRecord, DutyScore, ManualDutyRecord
from deputies.scoring import compute_scores
from tests import factories as f
from tests.querycount import count_queries

TODAY = timezone.localdate()
LIST = reverse("deputies:manual_records")


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


def photo(name="evidence.jpg") -> SimpleUploadedFile:
    buffer = io.BytesIO()
    Image.new("RGB", (32, 24), "red").save(buffer, format="JPEG")
    return SimpleUploadedFile(name, buffer.getvalue(), content_type="image/jpeg")


def new_url(deputy) -> str:
    return reverse("deputies:manual_record_new", args=[deputy.pk])


def propose(client, deputy, **overrides):
    data = {
        "kind": "session_speech",
        "occurred_on": TODAY.isoformat(),
        "title": "在县人代会上就乡村道路养护发言",
        "description": "大会第二次全体会议",
        "evidence": photo(),
        **overrides,
    }
    return client.post(new_url(deputy), data)


def decide(client, record, approve: bool, note: str = ""):
    return client.post(
        reverse("deputies:manual_record_decide", args=[record.pk]),
        {"approve": "1" if approve else "0", "note": note},
    )


def message(response) -> str:
    return " ".join(str(m) for m in get_messages(response.wsgi_request))


def test_a_record_counts_only_after_a_second_staff_member_approves(client_for, users, world):
    staff = client_for("staff")
    response = propose(staff, world.deputy_a1)
    assert response.status_code == 302
    record = ManualDutyRecord.objects.get()
    assert record.status == "pending" and not DutyRecord.objects.exists()
    compute_scores(TODAY.year)
    assert not DutyScore.objects.exists()

    refused = decide(staff, record, True)
    assert "录入人不能审核自己录入的记录" in message(refused)
    record.refresh_from_db()
    assert record.status == "pending"

    second = f.make_user("committee_staff", "t_staff2", county=world.county_a)
    from django.test import Client

    other = Client()
    other.force_login(second)
    decide(other, record, True)
    record.refresh_from_db()
    assert record.status == "approved" and record.decided_by == second
    duty = DutyRecord.objects.get()
    assert (duty.kind, duty.deputy_id, duty.source_id) == (
        "session_speech",
        world.deputy_a1.pk,
        record.pk,
    )
    compute_scores(TODAY.year)
    assert DutyScore.objects.get(deputy=world.deputy_a1).activity == 3
    assert "已经审核过" in message(decide(other, record, False, "重复"))


def test_a_rejection_needs_a_reason_and_writes_nothing(client_for, world):
    propose(client_for("staff"), world.deputy_a1)
    record = ManualDutyRecord.objects.get()
    admin = client_for("admin")
    assert "请说明理由" in message(decide(admin, record, False))
    decide(admin, record, False, "佐证材料不清晰")
    record.refresh_from_db()
    assert record.status == "rejected" and record.decision_note == "佐证材料不清晰"
    assert not DutyRecord.objects.exists()


@pytest.mark.parametrize(
    ("overrides", "error"),
    [
        ({"occurred_on": (TODAY + datetime.timedelta(days=3)).isoformat()}, "不能晚于今天"),
        ({"evidence": ""}, "该字段是必填项"),
        (
            {"evidence": SimpleUploadedFile("a.jpg", b"not an image", content_type="image/jpeg")},
            "",
        ),
        ({"title": ""}, "该字段是必填项"),
    ],
)
def test_bad_input_is_refused_on_the_form_and_nothing_saved(client_for, world, overrides, error):
    response = propose(client_for("staff"), world.deputy_a1, **overrides)
    assert response.status_code == 200
    assert response.context["form"].errors
    assert error in response.content.decode()
    assert not ManualDutyRecord.objects.exists()


@pytest.mark.parametrize("role", ["member", "township", "keeper", "deputy", "unit"])
def test_other_roles_may_not_enter_or_approve(client_for, users, world, role):
    propose(client_for("staff"), world.deputy_a1)
    record = ManualDutyRecord.objects.get()
    client = client_for(role)
    assert propose(client, world.deputy_a1).status_code == 403
    assert client.get(LIST).status_code == 403
    assert decide(client, record, True).status_code == 403
    assert ManualDutyRecord.objects.get().status == "pending"


def test_staff_of_another_county_cannot_reach_the_deputy(world):
    from django.test import Client

    other = Client()
    other.force_login(f.make_user("committee_staff", "t_staff_b", county=world.county_b))
    assert propose(other, world.deputy_a1).status_code == 404


def test_the_archive_offers_entry_and_the_list_shows_pending_first(client_for, world):
    staff = client_for("staff")
    html = staff.get(reverse("deputies:archive", args=[world.deputy_a1.pk])).content.decode()
    assert new_url(world.deputy_a1) in html
    propose(staff, world.deputy_a1, title="第一条")
    first = ManualDutyRecord.objects.get()
    decide(client_for("admin"), first, False, "不符合")
    propose(staff, world.deputy_a1, title="第二条")
    titles = [r.title for r in staff.get(LIST).context["page"]]
    assert titles == ["第二条", "第一条"]


def test_the_list_query_count_does_not_grow(client_for, world):
    staff = client_for("staff")
    propose(staff, world.deputy_a1)
    before = count_queries(staff, LIST)
    for i in range(5):
        propose(staff, world.deputy_a2, title=f"记录{i}")
    assert count_queries(staff, LIST) == before
