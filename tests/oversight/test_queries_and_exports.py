"""Every oversight page within a fixed number of queries whatever the data behind it, and each
register exports to Excel with the rows the user's pages show."""

import datetime
import io

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from core.exports import run_export, start_export
from core.models import ExportJob
from oversight import services
from tests import factories as f
from tests.querycount import count_queries

from .builders import (
    TODAY,
    count_vote,
    make_inspection,
    make_meeting,
    make_topic,
    research_and_report,
)


def add_data(world, users, n: int, offset: int) -> dict:
    """n of each record with their children; returns one of each for the detail pages."""
    staff = users["staff"]
    for _ in range(n):
        f.make_deputy(world.home_a1)
    deputies = [world.deputy_a1, world.deputy_a2]
    built = {}
    for i in range(n):
        inspection = make_inspection(world, staff, deputies=deputies, law=f"法律{offset + i}")
        for _ in range(2):
            services.recommendation_add(
                user=staff, inspection=inspection, unit=world.unit_a, content="建议"
            )
        topic = make_topic(world, staff, title=f"议题{offset + i}")
        research_and_report(topic, staff, deputies=deputies)
        meeting = make_meeting(world, staff, number=offset + i + 1, quota=3)
        services.attendees_invite(user=staff, meeting=meeting)
        services.observer_apply(user=staff, meeting=meeting, name=f"公民{i}")
        rating = services.rating_open(user=staff, topic=topic, meeting=meeting)
        services.public_score_record(user=staff, rating=rating, representative="甲", score=90)
        count_vote(staff, rating.vote, [users["member"]], ["basic"])
        opinion = services.review_opinion_create(
            user=staff,
            county=world.county_a,
            kind="work_report",
            report_title=f"工作报告{offset + i}",
            meeting=meeting,
            unit=world.unit_a,
            content="审议意见",
            sent_on=meeting.date,
            deadline=TODAY + datetime.timedelta(days=30),
        )
        services.handling_report_submit(
            user=staff, opinion=opinion, handling_report="已研究处理", reported_on=meeting.date
        )
        services.handling_report_hear(user=staff, opinion=opinion, meeting=meeting, with_vote=True)
        count_vote(staff, opinion.vote, [users["member"]], ["satisfied"])
        matter = services.matter_create(user=staff, county=world.county_a, title=f"事项{i}")
        services.matter_step_record(
            user=staff, matter=matter, step="before", date=TODAY, document="文号"
        )
        built = {
            "inspection": inspection,
            "topic": topic,
            "meeting": meeting,
            "matter": matter,
            "opinion": opinion,
        }
    return built


def pages(built) -> list[str]:
    return [
        reverse("oversight:inspections"),
        reverse("oversight:inspection_detail", args=[built["inspection"].pk]),
        reverse("oversight:topics"),
        reverse("oversight:topic_detail", args=[built["topic"].pk]),
        reverse("oversight:matters"),
        reverse("oversight:matter_detail", args=[built["matter"].pk]),
        reverse("oversight:meetings"),
        reverse("oversight:meeting_detail", args=[built["meeting"].pk]),
        reverse("oversight:review_opinions"),
        reverse("oversight:review_opinion_detail", args=[built["opinion"].pk]),
        "/api/v1/review-opinions/",
        "/api/v1/inspections/",
        "/api/v1/inspection-recommendations/",
        "/api/v1/supervision-topics/",
        "/api/v1/major-matters/",
        "/api/v1/committee-meetings/",
    ]


def _kept(url: str, role: str) -> bool:
    """A unit reads inspections, topics and the 审议意见 sent to it only."""
    return role == "staff" or any(k in url for k in ("inspection", "topic", "review-opinion"))


@pytest.mark.parametrize("role", ["staff", "unit"])
def test_queries_do_not_grow_with_the_data(client_for, world, users, role):
    client = client_for(role)
    small = [u for u in pages(add_data(world, users, 1, 0)) if _kept(u, role)]
    before = [count_queries(client, url) for url in small]
    large = [u for u in pages(add_data(world, users, 6, 10)) if _kept(u, role)]
    after = [count_queries(client, url) for url in large]
    assert before == after, list(zip(large, before, after, strict=True))


@pytest.mark.parametrize(
    ("identifier", "sheets"),
    [
        ("oversight_inspections", {"执法检查": 2, "改进建议": 4}),
        ("oversight_topics", {"监督议题": 2, "测评明细": 4}),
        ("oversight_matters", {"重大事项": 2}),
        ("oversight_meetings", {"常委会会议": 2, "列席代表": 6, "公民旁听": 2}),
    ],
)
def test_each_register_exports(world, users, identifier, sheets, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    add_data(world, users, 2, 0)  # four eligible deputies, two meetings of three places each
    job = start_export(user=users["staff"], identifier=identifier, data={})
    assert run_export(str(job.pk)) == "done"
    job = ExportJob.objects.get(pk=job.pk)
    workbook = load_workbook(io.BytesIO(job.file.read()))
    # Each sheet has a title row and a header row before the data.
    counts = {ws.title: ws.max_row - 2 for ws in workbook.worksheets}
    assert counts == sheets


def test_a_unit_exports_only_what_concerns_it(world, users, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    add_data(world, users, 1, 0)
    other = f.make_unit(world.county_a, "甲县林业局")
    inspection = make_inspection(world, users["staff"], law="森林法")
    services.recommendation_add(
        user=users["staff"], inspection=inspection, unit=other, content="别人的"
    )
    job = start_export(user=users["unit"], identifier="oversight_inspections", data={})
    run_export(str(job.pk))
    workbook = load_workbook(io.BytesIO(ExportJob.objects.get(pk=job.pk).file.read()))
    assert workbook["执法检查"].max_row - 2 == 1 and workbook["改进建议"].max_row - 2 == 2
    with pytest.raises(services.DomainError):
        start_export(user=users["unit"], identifier="oversight_matters", data={})
