import datetime

import pytest
from django.core.management import CommandError, call_command
from django.test import override_settings
from django.utils import timezone

from accounts.models import Role, User
from demo.seed import DEMO_PASSWORD
from demo.station_work import CATEGORY_UNITS
from directory.models import Deputy, DeputyGroup, Mandate, Station
from stations.models import Opinion


@pytest.fixture
def demo(db, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path  # the reply letters the demo writes
    with override_settings(DEBUG=True):
        call_command("seed_demo", verbosity=0)


def test_demo_county_has_the_seeds_numbers(demo):
    assert Station.objects.filter(kind=Station.Kind.HOME).count() == 32
    assert Station.objects.filter(kind=Station.Kind.LIAISON).count() == 89
    assert Deputy.objects.count() == 2192
    assert not Deputy.objects.filter(station__isnull=True).exists()  # all stationed
    levels = set(Mandate.objects.filter(is_active=True).values_list("level", flat=True))
    assert levels == {"national", "provincial", "city", "county", "township"}
    county_deputies = Deputy.objects.with_active_level("county")
    assert county_deputies.count() == 282
    assert DeputyGroup.objects.count() == 8
    in_groups = county_deputies.filter(groups__isnull=False).distinct().count()
    assert in_groups == 282
    # Opinions raised at the stations go to a unit of their kind (roads to transport), as a
    # county office would forward them (issue 19).
    forwarded = Opinion.objects.filter(
        handling_unit__isnull=False, channel__in=("reception", "mailbox", "visit")
    ).values_list("category", "handling_unit__name")
    assert forwarded
    assert all(unit in CATEGORY_UNITS[category] for category, unit in forwarded)


def test_demo_has_one_login_per_role_with_the_published_password(demo):
    usernames = {"admin", "staff", "township", "keeper", "deputy", "unit", "member"}
    users = {u.username: u for u in User.objects.filter(username__in=usernames)}
    assert set(users) == usernames
    assert {u.role for u in users.values()} == set(Role.values)
    assert all(u.check_password(DEMO_PASSWORD) for u in users.values())


def test_demo_has_linkages_and_scores(demo):
    from django.utils import timezone

    from deputies.models import DutyRecord, DutyScore
    from linkages.models import MemberLink, Voter

    member = User.objects.get(username="member")
    deputy = User.objects.get(username="deputy").deputy
    assert MemberLink.objects.filter(member=member, ended_on__isnull=True).count() == 3
    assert MemberLink.objects.filter(member=member, deputy=deputy).exists()
    assert Voter.objects.filter(deputy=deputy).count() == 6
    assert DutyRecord.objects.filter(kind="member_contact", deputy=deputy).exists()
    assert DutyScore.objects.filter(year=timezone.localdate().year, deputy=deputy).exists()


def test_demo_has_a_year_of_oversight(demo):
    from deputies.models import DutyRecord
    from oversight.models import (
        Ballot,
        CommitteeMeeting,
        Inspection,
        InspectionRecommendation,
        MajorMatter,
        MeetingAttendance,
        ReviewOpinion,
        SupervisionTopic,
        VoteParticipation,
    )
    from oversight.selectors import review_opinion_stage, topic_stage

    assert Inspection.objects.count() == 3
    recommendations = InspectionRecommendation.objects.all()
    assert recommendations.count() == 12 and recommendations.filter(status="adopted").count() == 10
    stages = {t.title: topic_stage(t) for t in SupervisionTopic.objects.select_related("rating")}
    assert sorted(stages.values()) == ["published", "published", "rectifying"]
    assert all(t.opinions.exists() for t in SupervisionTopic.objects.all())
    assert CommitteeMeeting.objects.count() == 12 and MajorMatter.objects.count() == 1
    invited = list(MeetingAttendance.objects.values_list("deputy_id", flat=True))
    assert len(invited) == 96 and len(set(invited)) == 96  # 282 eligible: nobody twice yet
    assert DutyRecord.objects.filter(kind="meeting").exists()
    # 列席 is for deputies who do not sit on the committee: the `member` account never is.
    seated = User.objects.filter(role=Role.COMMITTEE_MEMBER, deputy__isnull=False)
    assert seated.filter(username="member").exists()
    assert not set(invited) & set(seated.values_list("deputy_id", flat=True))
    # Anonymous votes: totals against the members present, no named vote anywhere. The demo's
    # committee: the `member`, 30 colleagues paired in 三联 and six more (37, issue 20).
    members = User.objects.filter(role=Role.COMMITTEE_MEMBER).count()
    assert members == 37
    assert all(m.members_present.count() == members for m in CommitteeMeeting.objects.all())
    assert Ballot.objects.count() == VoteParticipation.objects.count() == 4 * members
    # 审议意见: one reported back, heard with a vote and published; one overdue; one not due.
    stages = sorted(review_opinion_stage(o) for o in ReviewOpinion.objects.all())
    assert stages == ["overdue", "published", "sent"]


def test_running_it_twice_duplicates_nothing(demo):
    from linkages.models import MemberContact, VoterContact

    counts = (
        Deputy.objects.count(),
        Station.objects.count(),
        Mandate.objects.count(),
        User.objects.count(),
        MemberContact.objects.count(),
        VoterContact.objects.count(),
    )
    with override_settings(DEBUG=True):
        call_command("seed_demo", verbosity=0)
    assert (
        Deputy.objects.count(),
        Station.objects.count(),
        Mandate.objects.count(),
        User.objects.count(),
        MemberContact.objects.count(),
        VoterContact.objects.count(),
    ) == counts


def test_refuses_to_run_with_debug_off(db):
    with override_settings(DEBUG=False), pytest.raises(CommandError, match="DEBUG"):
        call_command("seed_demo", verbosity=0)
    assert not Deputy.objects.exists()


def test_demo_people_are_deterministic():
    from demo.seed import CountyBuilder
    from directory.models import Region

    station = Station(name="站", kind="home", township=Region(name="镇", level="township"))

    def people(seed):
        builder = CountyBuilder(code="519901", name="甲县", seed=seed)
        return [
            (p.name, p.id_number, p.phone) for p in (builder._person(station) for _ in range(20))
        ]

    assert people(5) == people(5)
    assert people(5) != people(6)


def _dated_after(today) -> list[tuple[str, object]]:
    """(model.field, latest value) of every date after ``today`` in the database, by local date,
    but for deadlines (set ahead by nature) and reception and voter-visit days still planned
    (the rota)."""
    import datetime

    from django.apps import apps
    from django.db import models
    from django.db.models import Max
    from django.utils import timezone

    from stations.models import ReceptionDay, VisitDay

    found = []
    for model in apps.get_models():
        manager = model._base_manager
        if model in (ReceptionDay, VisitDay):
            manager = manager.exclude(status=model.Status.PLANNED)
        for field in model._meta.concrete_fields:
            if not isinstance(field, models.DateField) or "deadline" in field.name:
                continue
            latest = manager.aggregate(latest=Max(field.attname))["latest"]
            if isinstance(latest, datetime.datetime):
                latest = timezone.localdate(latest)
            if latest is not None and latest > today:
                found.append((f"{model._meta.label}.{field.name}", latest))
    return found


def test_demo_dates_nothing_after_the_seeding_day(demo):
    """Demo records are of things done: none is dated after the day the demo was seeded (a 述职
    dated 12-20 on 12-06 made 履职预警 show a future 最近一次履职)."""
    from django.utils import timezone

    assert _dated_after(timezone.localdate()) == []


def test_demo_has_legislative_opinions(demo):
    from legislation.models import Draft, LegislativeOpinion, LiaisonPoint

    assert LiaisonPoint.objects.count() == 3
    open_draft = Draft.objects.get(status=Draft.Status.OPEN, level=Draft.Level.PROVINCE)
    channels = set(open_draft.opinions.values_list("channel", flat=True))
    assert channels == set(LegislativeOpinion.Channel.values)
    reported = Draft.objects.get(status=Draft.Status.REPORTED)
    assert reported.reported_on is not None and reported.article_summaries.count() == 2
    keeper = User.objects.get(username="keeper")
    assert LiaisonPoint.objects.filter(station=keeper.station).exists()
    # The county's own draft: past its deadline, closed by the daily task, not yet summarised.
    closed = Draft.objects.get(status=Draft.Status.CLOSED)
    assert closed.level == Draft.Level.COUNTY and closed.deadline < timezone.localdate()
    assert closed.opinions.count() == 2 and not closed.article_summaries.exists()
    assert set(closed.opinions.values_list("created_at__date", flat=True)) < {
        closed.published_on + datetime.timedelta(days=d) for d in range(31)
    }


def test_the_demo_county_could_exist(demo):
    """Issue 20: township deputies in township constituencies of one to three, none in a 街道;
    each township's congress its own term; deputies to higher congresses stationed across the
    county; liaison stations in villages and communities; institutions named as they are."""
    from collections import Counter

    from directory.models import Region

    township_mandates = Mandate.objects.filter(level="township", is_active=True).select_related(
        "deputy__station__township"
    )
    assert not township_mandates.filter(deputy__station__township__name__endswith="街道").exists()
    sizes = Counter(
        (m.deputy.station.township_id, m.constituency) for m in township_mandates
    ).values()
    assert set(sizes) <= {1, 2, 3} and max(sizes) == 3
    terms = {
        m.deputy.station.township_id: m.term for m in township_mandates
    }  # one term per township's congress
    assert len(set(terms.values())) > 1
    by_township = Counter((m.deputy.station.township_id, m.term) for m in township_mandates)
    assert len(by_township) == len(terms)  # never two terms in one township
    higher = Deputy.objects.filter(mandates__level__in=("national", "provincial", "city"))
    assert higher.count() == 35
    assert higher.values("station").distinct().count() > 15
    assert not Station.objects.filter(kind="liaison", village__isnull=True).exists()
    for subdistrict in Region.objects.filter(level="township", name__endswith="街道"):
        assert not Region.objects.filter(parent=subdistrict, name__endswith="村").exists()
        workplaces = Deputy.objects.filter(station__township=subdistrict).values_list(
            "workplace", flat=True
        )
        assert not any("卫生院" in w or "村民" in w for w in workplaces)


def test_the_demo_has_pairings_groups_visits_mailboxes_and_candidates(demo):
    from django.utils import timezone

    from deputies.models import DutyRecord
    from elections.models import Candidate, StructureTarget
    from linkages.models import GroupActivity, GroupTask, MemberLink
    from stations.models import Mailbox, VisitDay
    from stations.selectors.visits import mailbox_coverage

    links = MemberLink.objects.filter(ended_on__isnull=True)
    assert links.count() > 90 and links.values("member").distinct().count() > 30
    year = timezone.localdate().year
    for group in DeputyGroup.objects.all():
        assert group.leader is not None and group.members.filter(pk=group.leader_id).exists()
        assert GroupTask.objects.filter(group=group, year=year).exists()
        assert GroupActivity.objects.filter(group=group, date__year=year).exists()
    from django.contrib.contenttypes.models import ContentType

    activity = GroupActivity.objects.first()
    records = DutyRecord.objects.filter(
        source_type=ContentType.objects.get_for_model(GroupActivity), source_id=activity.pk
    )
    assert records.count() == activity.participants.count()
    assert VisitDay.objects.filter(status="held", activity__isnull=False).exists()
    assert Mailbox.objects.filter(village__isnull=True).count() == 32
    coverage = mailbox_coverage(user=User.objects.get(username="staff"))
    assert len(coverage) == 32 and all(row.complete for row in coverage)
    elected = Candidate.objects.filter(deputy__isnull=False)
    assert elected.count() == 282
    assert Candidate.objects.filter(deputy__isnull=True).count() > 100
    assert StructureTarget.objects.filter(term=18, level="county").exists()


def test_demo_has_the_years_plans_site_inspections_and_an_inquiry(demo):
    """Issue 22 §4–5: this year's 监督工作计划 with items done, in progress and not started, a
    代表工作要点, two 专题视察 whose deputies have duty records, one 专题询问 of five questions
    with promises in several states."""
    from django.utils import timezone

    from deputies.models import DutyRecord
    from oversight import selectors
    from oversight.models import Inquiry, SiteInspection, WorkPlan

    year = timezone.localdate().year
    supervision = WorkPlan.objects.get(kind="supervision", year=year)
    items = selectors.work_plan_items(supervision)
    counts = selectors.plan_state_counts(items)
    assert len(items) >= 10
    assert counts["done"] and counts["in_progress"] and counts["not_started"], counts
    assert WorkPlan.objects.get(kind="deputy_work", year=year).items.count() >= 3
    visits = list(SiteInspection.objects.all())
    assert len(visits) == 2
    for visit in visits:
        deputies = set(visit.deputies.values_list("pk", flat=True))
        recorded = set(
            DutyRecord.objects.filter(
                source_id=visit.pk, kind="research", title__startswith="参加专题视察"
            ).values_list("deputy_id", flat=True)
        )
        assert deputies and deputies == recorded
    inquiry = Inquiry.objects.get()
    assert inquiry.questions.count() == 5
    statuses = set(inquiry.questions.exclude(promise="").values_list("promise_status", flat=True))
    assert statuses == {"pending", "in_progress", "done"}
    assert selectors.overdue_promises(user=User.objects.get(username="staff")).exists()


def test_the_demo_has_a_resignation_its_by_election_and_a_termination(demo):
    from directory.models import MandateEvent

    kinds = sorted(MandateEvent.objects.values_list("kind", flat=True))
    assert kinds == ["by_elected", "qualified", "resigned", "terminated"]
    filled = MandateEvent.objects.get(kind="by_elected")
    assert filled.vacancy.events.get().kind == "resigned"
    assert filled.mandate.is_active and filled.mandate.constituency == filled.vacancy.constituency
    terminated = MandateEvent.objects.get(kind="terminated")
    assert terminated.ground == "moved_away" and not terminated.mandate.is_active
    county = Mandate.objects.filter(level="county", is_active=True)
    assert not county.filter(certificate_number="").exists()
    assert county.values("certificate_number").distinct().count() == county.count()
