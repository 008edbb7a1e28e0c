"""代表述职月: opening the campaign, who must report, filing in three forms (by the deputy or on
their behalf), reminders once a week, access and query counts."""

import datetime

import pytest
from django.contrib.messages import get_messages
from django.urls import reverse
from django.utils import timezone

from core.models import Notification
from deputies.models import DutyRecord
from directory.models import Mandate
from dutyreports.models import DutyReport, ReportCampaign, ReportEvaluation
from dutyreports.services import report_reminders_send
from tests import factories as f
from tests.querycount import count_queries

TODAY = timezone.localdate()
CAMPAIGN = reverse("dutyreports:campaign")
MINE = reverse("dutyreports:mine")


def message(response) -> str:
    return " ".join(str(m) for m in get_messages(response.wsgi_request))


@pytest.fixture
def campaign(users, world):
    return f.make_campaign(
        county=world.county_a,
        year=TODAY.year,
        deadline=TODAY + datetime.timedelta(days=20),
        opened_by=users["staff"],
    )


def test_staff_open_the_campaign_once(client_for, world):
    client = client_for("staff")
    deadline = (TODAY + datetime.timedelta(days=30)).isoformat()
    client.post(reverse("dutyreports:campaign_open"), {"deadline": deadline})
    assert ReportCampaign.objects.get().county == world.county_a
    again = client.post(reverse("dutyreports:campaign_open"), {"deadline": deadline})
    assert "已经发起过了" in message(again) and ReportCampaign.objects.count() == 1


def test_a_past_deadline_is_refused(client_for):
    past = (TODAY - datetime.timedelta(days=1)).isoformat()
    response = client_for("staff").post(reverse("dutyreports:campaign_open"), {"deadline": past})
    assert "不能早于今天" in message(response) and not ReportCampaign.objects.exists()


def test_the_list_holds_the_directly_elected_deputies_in_office(client_for, world, campaign):
    appointed = f.make_deputy(world.home_a1, level="city")  # not directly elected
    retired = f.make_deputy(world.home_a1)
    Mandate.objects.filter(deputy=retired).update(is_active=False)
    response = client_for("staff").get(CAMPAIGN)
    names = {d.name for d in response.context["page"]}
    assert world.deputy_a1.name in names and world.deputy_a2.name in names
    assert appointed.name not in names and retired.name not in names
    assert world.deputy_b1.name not in names  # another county


def test_the_deputy_files_on_a_phone_and_it_counts(client_for, world, campaign):
    client = client_for("deputy")
    response = client.post(
        MINE,
        {
            "onsite_date": TODAY.isoformat(),
            "onsite_place": "甲一镇代表之家",
            "voters_present": 35,
            "written_text": "一年来履职情况……",
            "live_link": "live.example.cn/r/1",
            "live_viewers": 320,
        },
    )
    assert response.status_code == 302
    report = DutyReport.objects.get()
    assert report.forms_filed == ["现场", "书面", "直播"]
    assert report.live_link == "https://live.example.cn/r/1"
    assert DutyRecord.objects.filter(kind="duty_report", deputy=world.deputy_a1).count() == 1
    client.post(MINE, {"written_text": "补充"})  # amending adds no second record
    assert DutyReport.objects.count() == 1
    assert DutyRecord.objects.filter(kind="duty_report").count() == 1
    staff_view = client_for("staff").get(CAMPAIGN, {"status": "done"})
    assert [d.name for d in staff_view.context["page"]] == [world.deputy_a1.name]
    assert staff_view.context["totals"]["reported"] == 1


@pytest.mark.parametrize(
    ("data", "error"),
    [
        ({}, "至少以一种方式述职"),
        ({"onsite_date": TODAY.isoformat()}, "地点和到场选民人数"),
        ({"live_link": "https://live.example.cn/x"}, "观看人数"),
        ({"live_link": "not a link", "live_viewers": 3}, "合法的URL"),
    ],
)
def test_bad_reports_are_refused_and_nothing_saved(client_for, world, campaign, data, error):
    response = client_for("deputy").post(MINE, data)
    assert response.status_code == 200 and error in response.content.decode()
    assert not DutyReport.objects.exists() and not DutyRecord.objects.exists()


def test_staff_file_on_a_deputys_behalf_but_others_may_not(client_for, world, campaign):
    url = reverse("dutyreports:report_for", args=[campaign.pk, world.deputy_a2.pk])
    assert client_for("staff").post(url, {"written_text": "代为录入"}).status_code == 302
    assert DutyReport.objects.get().entered_by.username == "t_staff"
    for role in ("member", "township", "deputy", "unit"):
        assert client_for(role).post(url, {"written_text": "x"}).status_code == 403
    outsider_deputy = reverse("dutyreports:report_for", args=[campaign.pk, world.deputy_b1.pk])
    assert client_for("staff").get(outsider_deputy).status_code == 404


def test_without_a_campaign_the_deputy_is_told_so(client_for):
    response = client_for("deputy").get(MINE)
    assert "还没有发起" in response.content.decode()


def test_reminders_go_weekly_to_who_has_not_reported(users, world, campaign):
    DutyReport.objects.create(
        campaign=campaign, deputy=world.deputy_a2, written_text="x", entered_by=users["staff"]
    )
    assert report_reminders_send(today=TODAY) == 1  # deputy_a1 has the only account
    assert report_reminders_send(today=TODAY) == 0
    assert report_reminders_send(today=TODAY + datetime.timedelta(days=7)) == 1
    assert Notification.objects.filter(recipient=users["deputy"]).count() == 2
    after_deadline = campaign.deadline + datetime.timedelta(days=1)
    assert report_reminders_send(today=after_deadline) == 0


def test_the_campaign_page_query_count_does_not_grow(client_for, users, world, campaign):
    client = client_for("staff")
    DutyReport.objects.create(
        campaign=campaign, deputy=world.deputy_a1, written_text="x", entered_by=users["staff"]
    )
    before = count_queries(client, CAMPAIGN)
    for i in range(5):
        deputy = f.make_deputy(world.home_a1)
        if i % 2:
            report = DutyReport.objects.create(
                campaign=campaign, deputy=deputy, written_text="x", entered_by=users["staff"]
            )
            for kind in ("voter", "voter", "peer", "organisation"):
                ReportEvaluation.objects.create(report=report, kind=kind, grade="competent")
    assert count_queries(client, CAMPAIGN) == before


def test_the_api_shows_a_deputy_only_their_own_report(client_for, users, world, campaign):
    for deputy in (world.deputy_a1, world.deputy_a2):
        DutyReport.objects.create(
            campaign=campaign, deputy=deputy, written_text="x", entered_by=users["staff"]
        )
    mine = client_for("deputy").get(reverse("duty-report-list")).json()["results"]
    assert [row["deputy"] for row in mine] == [world.deputy_a1.pk]
    assert mine[0]["forms_filed"] == ["书面"]
    staff = client_for("staff").get(reverse("duty-report-list"), {"campaign__year": TODAY.year})
    assert len(staff.json()["results"]) == 2
    assert client_for("unit").get(reverse("duty-report-list")).status_code == 403
