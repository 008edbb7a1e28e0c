"""The demo's 人代会: the county congress's session of the suggestions' year with attendance, motions
and the suggestions made at it, and the demo township's session."""

import pytest
from django.core.management import call_command
from django.test import override_settings

from accounts.models import User
from deputies.models import DutyRecord
from plenary.models import Attendance, Motion, Session
from suggestions.models import Suggestion


@pytest.fixture
def demo(db):
    with override_settings(DEBUG=True):
        call_command("seed_demo", verbosity=0)


def test_the_demo_holds_a_session_with_attendance_motions_and_suggestions(demo):
    county = Session.objects.get(congress_level="county")
    assert county.delegates.count() == 282
    assert county.sittings.count() == 4
    statuses = Attendance.objects.filter(sitting__session=county)
    assert statuses.filter(status="leave").values("deputy").distinct().count() == 3
    assert statuses.filter(status="absent").count() == 1
    assert not statuses.filter(status="leave", leave_approved_by="").exists()
    decisions = list(county.motions.values_list("decision", flat=True))
    assert len(decisions) == 8
    assert decisions.count(Motion.Decision.SUGGESTION) == 4
    assert {Motion.Decision.AGENDA, Motion.Decision.REJECTED} <= set(decisions)
    # The suggestions made at the session are the session's, the rest between sessions.
    during = Suggestion.objects.filter(session=county)
    assert during.filter(from_motion__isnull=False).count() == 4
    assert during.count() > 4
    assert Suggestion.objects.filter(session__isnull=True, congress_level="county").exists()
    attended = DutyRecord.objects.filter(
        kind=DutyRecord.Kind.SESSION_ATTENDANCE, source_type__model="session"
    )
    assert attended.filter(source_id=county.pk).count() == 282 - 3
    township = User.objects.get(username="township").township
    own = Session.objects.get(congress=township)
    assert own.delegates.exists() and own.motions.count() == 1
    assert attended.filter(source_id=own.pk).count() == own.delegates.count() - 1
    # Built once.
    with override_settings(DEBUG=True):
        call_command("seed_demo", verbosity=0)
    assert Session.objects.count() == 2
