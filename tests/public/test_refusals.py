"""Duty stories written and published by committee staff of the county only: every other role
is refused by the service and nothing is written."""

import datetime

import pytest

from accounts.models import Role
from core.errors import DomainError
from public.models import DutyStory
from public.services import duty_story_publish, duty_story_save
from tests import factories as f

ROLES = ["admin", "staff", "member", "township", "keeper", "deputy", "unit", "outsider", "staff_b"]


@pytest.mark.parametrize("role", ROLES)
def test_only_the_countys_staff_write_and_publish_stories(users, world, role):
    actors = {**users, "staff_b": f.make_user(Role.COMMITTEE_STAFF, county=world.county_b)}
    data = {
        "title": "代表连夜抢修水管",
        "outlet": "苍溪发布",
        "published_on": datetime.date(2026, 3, 1),
        "text": "正文",
    }
    story = duty_story_save(user=users["staff"], county=world.county_a, data=data)
    before = list(DutyStory.objects.values())
    if role in ("admin", "staff"):
        duty_story_save(user=actors[role], county=world.county_a, data=data, story=story)
        assert duty_story_publish(user=actors[role], story=story, published=True).is_published
        return
    with pytest.raises(DomainError, match="只有常委会工作人员"):
        duty_story_save(user=actors[role], county=world.county_a, data=data)
    with pytest.raises(DomainError, match="只有常委会工作人员"):
        duty_story_publish(user=actors[role], story=story, published=True)
    assert list(DutyStory.objects.values()) == before


# Many cases, one world: built once for the module, each case in a savepoint (tests/conftest.py).
@pytest.fixture
def world(shared_world):
    return shared_world


@pytest.fixture
def users(shared_users):
    return shared_users
