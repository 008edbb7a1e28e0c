import pytest
from django.core.exceptions import ValidationError

from accounts.access import can_view_personal_data
from accounts.models import Role, User


def test_only_committee_staff_and_administrators_see_personal_data(users):
    allowed = {name for name, user in users.items() if can_view_personal_data(user)}
    assert allowed == {"admin", "staff"}


def test_committee_staff_may_use_the_admin_for_domain_records_only(users):
    staff = users["staff"]
    assert staff.has_perm("directory.change_deputy")
    assert staff.has_module_perms("stations")
    assert not staff.has_perm("accounts.change_user")
    assert not users["township"].has_perm("directory.change_deputy")


def test_user_county_is_derived_from_the_most_specific_link(users, world):
    assert users["township"].county_id == world.county_a.pk
    assert users["keeper"].county_id == world.county_a.pk
    assert users["deputy"].county_id == world.county_a.pk
    assert users["unit"].county_id == world.county_a.pk


def test_a_role_without_its_link_is_refused_with_a_message(db):
    user = User(username="x", role=Role.STATION_KEEPER)
    with pytest.raises(ValidationError) as excinfo:
        user.clean()
    assert "station" in excinfo.value.message_dict
