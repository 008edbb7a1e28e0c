"""述职 batches: the organiser (county office or a township's 主席团) opens a campaign, chooses who
reports this year by a rule and by hand; the campaign shows its batch; the term coverage shows
who has not yet reported this term."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from core.errors import DomainError
from directory.models import Mandate
from dutyreports import evaluation, selectors, services
from dutyreports.models import BatchMember, BatchRule, DutyReport, ReportCampaign
from tests import factories as f
from tests.querycount import count_queries, grow

TODAY = timezone.localdate()
DEADLINE = TODAY + datetime.timedelta(days=20)
COVERAGE = reverse("dutyreports:coverage")


def batch_names(campaign) -> set[str]:
    return set(selectors.in_batch(campaign).values_list("name", flat=True))


def open_county(users, world, **kwargs):
    return services.campaign_open(
        user=users["staff"], county=world.county_a, year=TODAY.year, deadline=DEADLINE, **kwargs
    )


def file(user, campaign, deputy):
    return services.report_file(
        user=user, campaign=campaign, deputy=deputy, written_text="一年来的履职情况"
    )


def test_the_county_office_campaign_holds_the_county_deputies_only(users, world):
    campaign = open_county(users, world)
    assert campaign.township is None and campaign.batch_rule == BatchRule.ALL
    # 李联络 is a township deputy: the township's 主席团 organises their 述职.
    assert batch_names(campaign) == {world.deputy_a1.name, world.deputy_a2.name}


def test_a_township_presidium_runs_its_own_deputies_campaign(users, world):
    campaign = services.campaign_open(
        user=users["township"],
        county=world.county_a,
        township=world.a1,
        year=TODAY.year,
        deadline=DEADLINE,
    )
    assert campaign.organiser_name.endswith("人大主席团")
    assert batch_names(campaign) == {world.deputy_a1_liaison.name}
    # The county office's campaign of the same year is a different one.
    assert open_county(users, world).pk != campaign.pk


@pytest.mark.parametrize(
    ("role", "township"), [("staff", "a1"), ("township", None), ("outsider", "a1")]
)
def test_only_the_organiser_opens_a_campaign(users, world, role, township):
    with pytest.raises(DomainError, match="组织单位"):
        services.campaign_open(
            user=users[role],
            county=world.county_a,
            township=getattr(world, township) if township else None,
            year=TODAY.year,
            deadline=DEADLINE,
        )
    assert not ReportCampaign.objects.exists()


def test_the_rule_not_reported_this_term_leaves_out_who_reported(users, world):
    last = f.make_campaign(
        county=world.county_a,
        year=TODAY.year - 1,
        deadline=DEADLINE.replace(year=TODAY.year - 1),
        opened_by=users["staff"],
    )
    file(users["staff"], last, world.deputy_a1)
    campaign = open_county(users, world)
    size = services.batch_select(
        user=users["staff"], campaign=campaign, rule=BatchRule.NOT_REPORTED
    )
    assert size == 1 and batch_names(campaign) == {world.deputy_a2.name}
    campaign.refresh_from_db()
    assert campaign.batch_rule == BatchRule.NOT_REPORTED


def test_a_report_before_the_term_began_does_not_count_for_this_term(users, world):
    last = f.make_campaign(
        county=world.county_a,
        year=2020,
        deadline=datetime.date(2020, 12, 31),
        opened_by=users["staff"],
    )
    DutyReport.objects.create(campaign=last, deputy=world.deputy_a1, entered_by=users["staff"])
    Mandate.objects.filter(deputy__county=world.county_a).update(
        started_on=datetime.date(2021, 12, 20)
    )
    campaign = open_county(users, world)
    services.batch_select(user=users["staff"], campaign=campaign, rule=BatchRule.NOT_REPORTED)
    assert world.deputy_a1.name in batch_names(campaign)


def test_by_station_and_by_township(users, world):
    campaign = open_county(users, world)
    services.batch_select(
        user=users["staff"],
        campaign=campaign,
        rule=BatchRule.STATIONS,
        station_ids=[world.home_a2.pk],
    )
    assert batch_names(campaign) == {world.deputy_a2.name}
    services.batch_select(
        user=users["staff"], campaign=campaign, rule=BatchRule.TOWNSHIPS, township_ids=[world.a1.pk]
    )
    assert batch_names(campaign) == {world.deputy_a1.name}


def test_a_rule_without_its_stations_is_refused_and_changes_nothing(users, world):
    campaign = open_county(users, world)
    with pytest.raises(DomainError, match="请至少选择一个家站"):
        services.batch_select(user=users["staff"], campaign=campaign, rule=BatchRule.STATIONS)
    assert len(batch_names(campaign)) == 2
    assert ReportCampaign.objects.get().batch_rule == BatchRule.ALL


def test_hand_made_changes_survive_a_new_rule(users, world):
    campaign = open_county(users, world)
    services.batch_remove(user=users["staff"], campaign=campaign, deputy=world.deputy_a2)
    services.batch_select(
        user=users["staff"],
        campaign=campaign,
        rule=BatchRule.STATIONS,
        station_ids=[world.home_a1.pk],
    )
    services.batch_add(user=users["staff"], campaign=campaign, deputy=world.deputy_a2)
    services.batch_select(user=users["staff"], campaign=campaign, rule=BatchRule.ALL)
    assert batch_names(campaign) == {world.deputy_a1.name, world.deputy_a2.name}
    services.batch_remove(user=users["staff"], campaign=campaign, deputy=world.deputy_a2)
    services.batch_select(user=users["staff"], campaign=campaign, rule=BatchRule.ALL)
    assert batch_names(campaign) == {world.deputy_a1.name}


def test_who_reported_stays_on_the_batch(users, world):
    campaign = open_county(users, world)
    file(users["staff"], campaign, world.deputy_a1)
    with pytest.raises(DomainError, match="已经述职"):
        services.batch_remove(user=users["staff"], campaign=campaign, deputy=world.deputy_a1)
    services.batch_select(
        user=users["staff"],
        campaign=campaign,
        rule=BatchRule.STATIONS,
        station_ids=[world.home_a2.pk],
    )
    assert world.deputy_a1.name in batch_names(campaign)


def test_a_deputy_off_the_batch_cannot_file(users, world):
    campaign = open_county(users, world)
    services.batch_remove(user=users["staff"], campaign=campaign, deputy=world.deputy_a2)
    with pytest.raises(DomainError, match="不在本年度的述职名单"):
        file(users["staff"], campaign, world.deputy_a2)
    assert not DutyReport.objects.exists()


def test_only_eligible_deputies_are_added(users, world):
    campaign = open_county(users, world)
    with pytest.raises(DomainError, match="直选代表"):
        services.batch_add(user=users["staff"], campaign=campaign, deputy=world.deputy_a1_liaison)
    assert not BatchMember.objects.filter(deputy=world.deputy_a1_liaison).exists()


def test_the_campaign_page_counts_the_batch(client_for, users, world):
    campaign = open_county(users, world)
    services.batch_remove(user=users["staff"], campaign=campaign, deputy=world.deputy_a2)
    page = client_for("staff").get(reverse("dutyreports:campaign"))
    assert page.context["totals"]["required"] == 1
    assert [d.name for d in page.context["page"]] == [world.deputy_a1.name]


def test_township_staff_see_their_townships_campaign(client_for, users, world):
    services.campaign_open(
        user=users["township"],
        county=world.county_a,
        township=world.a1,
        year=TODAY.year,
        deadline=DEADLINE,
    )
    page = client_for("township").get(reverse("dutyreports:campaign"))
    assert page.context["township"] == world.a1 and page.context["may_manage"]
    assert [d.name for d in page.context["page"]] == [world.deputy_a1_liaison.name]


def test_the_batch_page_belongs_to_the_organiser(client_for, users, world):
    campaign = open_county(users, world)
    url = reverse("dutyreports:batch", args=[campaign.pk])
    assert client_for("township").get(url).status_code == 403
    staff = client_for("staff")
    assert staff.get(url).status_code == 200
    staff.post(url, {"action": "remove", "deputy": world.deputy_a2.pk})
    assert batch_names(campaign) == {world.deputy_a1.name}
    staff.post(url, {"action": "select", "rule": "stations", "stations": [world.home_a2.pk]})
    # The rule chose a2 only, and a2 was taken off by hand: nobody is left.
    assert batch_names(campaign) == set()


def test_the_term_coverage_lists_who_has_not_reported(client_for, users, world):
    last = f.make_campaign(
        county=world.county_a,
        year=TODAY.year - 1,
        deadline=DEADLINE.replace(year=TODAY.year - 1),
        opened_by=users["staff"],
    )
    file(users["staff"], last, world.deputy_a1)
    page = client_for("staff").get(COVERAGE)
    assert page.context["totals"] == {"required": 2, "reported": 1, "missing": 1}
    assert [d.name for d in page.context["page"]] == [world.deputy_a2.name]
    township = client_for("staff").get(COVERAGE + "?level=township&status=all")
    assert [d.name for d in township.context["page"]] == [world.deputy_a1_liaison.name]


@pytest.mark.parametrize("role", ["deputy", "unit"])
def test_the_term_coverage_is_for_the_offices(client_for, role):
    assert client_for(role).get(COVERAGE).status_code == 403


def test_the_coverage_and_batch_pages_queries_do_not_grow(client_for, users, world):
    campaign = open_county(users, world)
    services.batch_remove(user=users["staff"], campaign=campaign, deputy=world.deputy_a2)
    client = client_for("staff")
    urls = [COVERAGE, reverse("dutyreports:batch", args=[campaign.pk])]
    before = [count_queries(client, url) for url in urls]
    grow(world, 8)
    assert [count_queries(client, url) for url in urls] == before


def test_the_api_lists_the_batch_by_scope(client_for, users, world):
    campaign = open_county(users, world)
    services.batch_remove(user=users["staff"], campaign=campaign, deputy=world.deputy_a2)
    url = "/api/v1/duty-report-batch/"
    removed = client_for("staff").get(url, {"source": "removed"}).json()["results"]
    assert [row["deputy_name"] for row in removed] == [world.deputy_a2.name]
    own = client_for("deputy").get(url).json()["results"]
    assert [row["deputy"] for row in own] == [world.deputy_a1.pk]


def test_filtering_a_townships_campaign_stays_on_it(client_for, users, world):
    services.campaign_open(
        user=users["township"],
        county=world.county_a,
        township=world.a1,
        year=TODAY.year,
        deadline=DEADLINE,
    )
    url = reverse("dutyreports:campaign")
    page = client_for("staff").get(url, {"organiser": world.a1.pk, "q": "李"})
    assert page.context["township"] == world.a1
    assert f'name="organiser" value="{world.a1.pk}"' in page.content.decode()
    assert [d.name for d in page.context["page"]] == [world.deputy_a1_liaison.name]


def test_the_township_presidium_runs_its_campaigns_evaluation(users, world):
    campaign = services.campaign_open(
        user=users["township"],
        county=world.county_a,
        township=world.a1,
        year=TODAY.year,
        deadline=DEADLINE,
    )
    report = file(users["township"], campaign, world.deputy_a1_liaison)
    with pytest.raises(DomainError, match="组织单位"):
        evaluation.organisation_vote(user=users["staff"], report=report, grade="excellent")
    evaluation.organisation_vote(user=users["township"], report=report, grade="excellent")
    assert evaluation.evaluation_close(user=users["township"], campaign=campaign) == 1
