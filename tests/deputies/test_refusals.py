"""Manual duty records entered and decided by committee staff of the deputy's county only (and
never decided by the one who entered them); every other role is refused by the service."""

import datetime
import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from accounts.models import Role
from core.errors import DomainError
from deputies.models import DutyRecord, ManualDutyRecord
from deputies.services import manual_record_decide, manual_record_propose
from tests import factories as f

ROLES = ["admin", "staff", "member", "township", "keeper", "deputy", "unit", "outsider", "staff_b"]


def _photo() -> SimpleUploadedFile:
    buffer = io.BytesIO()
    Image.new("RGB", (8, 6), (9, 9, 9)).save(buffer, format="JPEG")
    return SimpleUploadedFile("evidence.jpg", buffer.getvalue(), content_type="image/jpeg")


def _propose(user, world):
    return manual_record_propose(
        user=user,
        deputy=world.deputy_a1,
        kind=DutyRecord.Kind.OTHER,
        occurred_on=datetime.date(2026, 3, 1),
        title="协调修路",
        description="",
        evidence=_photo(),
    )


@pytest.mark.parametrize("role", ROLES)
def test_only_the_countys_staff_enter_and_decide(users, world, role, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    actors = {**users, "staff_b": f.make_user(Role.COMMITTEE_STAFF, county=world.county_b)}
    second = f.make_user(Role.COMMITTEE_STAFF, county=world.county_a)
    record = _propose(second, world)
    if role in ("admin", "staff"):
        assert _propose(actors[role], world).status == "pending"
        decided = manual_record_decide(user=actors[role], record=record, approve=True)
        assert decided.status == "approved"
        assert DutyRecord.objects.get(source_id=record.pk).deputy == world.deputy_a1
        return
    with pytest.raises(DomainError, match="只有本县常委会工作人员"):
        _propose(actors[role], world)
    with pytest.raises(DomainError, match="只有本县常委会工作人员"):
        manual_record_decide(user=actors[role], record=record, approve=True)
    assert list(ManualDutyRecord.objects.values_list("pk", "status")) == [(record.pk, "pending")]
    assert not DutyRecord.objects.exists()


def test_the_one_who_entered_it_does_not_decide_it(users, world, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    record = _propose(users["staff"], world)
    with pytest.raises(DomainError, match="录入人不能审核自己录入的记录"):
        manual_record_decide(user=users["staff"], record=record, approve=True)
    assert ManualDutyRecord.objects.get().status == "pending"


# Many cases, one world: built once for the module, each case in a savepoint (tests/conftest.py).
@pytest.fixture
def world(shared_world):
    return shared_world


@pytest.fixture
def users(shared_users):
    return shared_users
