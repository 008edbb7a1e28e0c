"""The public pages: anonymous visitors are served (never sent to the login page), only what is
published shows, and each page's SQL stays the same as the data grows."""

import datetime
import re

import pytest
from django.core.cache import cache
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from public.models import DutyStory
from tests import factories as f
from tests.querycount import count_queries, grow

PAGES = [
    "public:home",
    "public:station_directory",
    "public:showcase",
    "public:disclosure",
    "public:figures",
    "public:opinion_new",
    "public:track_lookup",
]


def story(world, users, *, published: bool, title: str, station=None) -> DutyStory:
    return DutyStory.objects.create(
        county=world.county_a,
        station=station or world.home_a1,
        title=title,
        outlet="苍溪县融媒体中心",
        published_on=timezone.localdate(),
        text="正文",
        is_published=published,
        created_by=users["staff"],
    )


@pytest.mark.parametrize("name", PAGES)
def test_anonymous_visitors_get_every_public_page(public_county, name):
    response = Client().get(reverse(name))
    assert response.status_code == 200
    assert "苍溪县人大" in response.content.decode()


def test_the_station_wall_shows_only_published_stories_and_public_profiles(
    public_county, world, users
):
    story(world, users, published=True, title="公开的故事")
    story(world, users, published=False, title="草稿故事")
    story(world, users, published=True, title="别站的故事", station=world.home_a2)
    page = Client().get(reverse("public:station_wall", args=[world.home_a1.pk])).content.decode()
    assert "公开的故事" in page
    assert "草稿故事" not in page and "别站的故事" not in page
    assert world.deputy_a1.name in page
    assert "教育卫生小组" in page  # group
    assert world.deputy_a1.id_number_masked not in page
    showcase = Client().get(reverse("public:showcase")).content.decode()
    assert "公开的故事" in showcase and "别站的故事" in showcase and "草稿故事" not in showcase


def test_stations_of_another_county_are_not_shown(public_county, world):
    assert Client().get(reverse("public:station_wall", args=[world.home_b1.pk])).status_code == 404
    page = Client().get(reverse("public:station_directory")).content.decode()
    assert world.home_a1.name in page and world.home_b1.name not in page


def test_the_directory_finds_stations_by_name_pinyin_and_initials(public_county, world):
    from tests import factories as f

    f.make_station(world.a1, name="陵江镇代表之家")

    def names(**params):
        return Client().get(reverse("public:station_directory"), params).content.decode()

    for query in ("陵江", "lingjiang", "LingJiang", "ljz", "ling jiang"):
        page = names(q=query)
        assert "陵江镇代表之家" in page, query
        assert world.home_a2.name not in page, query
    assert world.home_a2.name in names(township=world.a2.pk)
    assert world.home_a1.name not in names(township=world.a2.pk)
    assert "没有找到" in names(q="zzzz")


def test_the_directory_shows_the_next_reception_day_and_who_is_on_duty(public_county, world):
    from tests.factories import make_reception_day

    day = timezone.localdate() + datetime.timedelta(days=5)
    make_reception_day(world.home_a1, day, on_duty=[world.deputy_a1])
    page = Client().get(reverse("public:station_directory")).content.decode()
    assert f"{day.year}年{day.month}月{day.day}日" in page
    assert f"值班代表:{world.deputy_a1.name}" in page


def test_only_closed_suggestions_are_disclosed(public_county, world, users):
    from suggestions import services
    from tests.test_permission_matrix import suggestion_with_evaluation

    evaluated = suggestion_with_evaluation(world, users)
    page = Client().get(reverse("public:disclosure")).content.decode()
    assert "暂无公开的建议办理结果" in page  # evaluated, not yet closed
    services.suggestion_close(user=users["staff"], suggestion=evaluated, version=evaluated.version)
    cache.clear()
    page = Client().get(reverse("public:disclosure")).content.decode()
    assert "甲县交通运输局" in page and "已办" in page and "代表测评满意" in page
    assert "A " in page  # the reply category


def test_public_figures_equal_the_staff_statistics(public_county, world, users):
    from tests.test_permission_matrix import suggestion_with_evaluation

    suggestion_with_evaluation(world, users)
    page = Client().get(reverse("public:figures")).content.decode()
    staff = users["staff"]
    client = Client()
    client.force_login(staff)
    stats = client.get(reverse("suggestions:statistics")).context["statistics"].totals
    assert f'data-figure="supervised">{stats.supervised}<' in page
    assert f'data-figure="solved">{stats.solved}<' in page
    assert f'data-figure="satisfaction">{stats.satisfaction_rate:.1f}%<' in page
    # The chart is drawn on the server: the page's only script is the 大字模式 button's file.
    assert "<svg" in page and "<rect" in page
    assert re.findall(r"<script[^>]*>", page) == ['<script src="/static/js/textsize.js">']


def test_public_pages_are_cached(public_county, world, users, settings):
    settings.PUBLIC_CACHE_SECONDS = 60
    url = reverse("public:showcase")
    Client().get(url)
    story(world, users, published=True, title="新公开的故事")
    assert "新公开的故事" not in Client().get(url).content.decode()
    assert "max-age=60" in Client().get(url)["Cache-Control"]
    cache.clear()
    assert "新公开的故事" in Client().get(url).content.decode()


def _public_urls(world):
    return [
        reverse("public:station_directory"),
        reverse("public:station_wall", args=[world.home_a1.pk]),
        reverse("public:showcase"),
        reverse("public:disclosure"),
        reverse("public:figures"),
        reverse("public:opinion_new"),
    ]


def _counts(world) -> dict[str, int]:
    counts = {}
    for url in _public_urls(world):
        cache.clear()
        counts[url] = count_queries(Client(), url)
    return counts


def test_query_counts_do_not_grow_with_the_data(public_county, world, users):
    from tests.factories import make_reception_day

    def add_work(n: int):
        for i in range(n):
            story(world, users, published=True, title=f"故事{i}")
        make_reception_day(
            world.home_a1,
            timezone.localdate() + datetime.timedelta(days=n),
            on_duty=[world.deputy_a1],
        )

    add_work(1)
    before = _counts(world)
    grow(world, 40)
    add_work(25)
    after = _counts(world)
    assert after == before


def test_track_page_query_count_is_fixed(public_county, world, users):
    from stations.services.opinions import opinion_answer, opinion_create

    opinion = opinion_create(
        user=None, channel="online", township=world.a1, category="roads", content="路"
    )
    url = reverse("public:track", args=[opinion.tracking_code])
    before = count_queries(Client(), url)
    opinion_answer(opinion=opinion, user=users["staff"], answer="答")
    assert count_queries(Client(), url) == before


def test_only_approved_duty_reports_results_rectifications_and_topics_are_disclosed(
    public_county, world, users
):
    from dutyreports import evaluation
    from dutyreports.models import DutyReport, ExcellentCandidate, ReportCampaign

    staff = users["staff"]
    campaign = f.make_campaign(
        county=world.county_a,
        year=timezone.localdate().year,
        deadline=timezone.localdate(),
        opened_by=staff,
    )
    shown, hidden = (
        DutyReport.objects.create(
            campaign=campaign,
            deputy=deputy,
            written_text=f"{deputy.name}的书面述职",
            entered_by=staff,
        )
        for deputy in (world.deputy_a1, world.deputy_a2)
    )
    for report in (shown, hidden):
        evaluation.organisation_vote(user=staff, report=report, grade="excellent")
    page = Client().get(reverse("public:disclosure")).content.decode()
    assert "书面述职" not in page  # nothing approved yet
    evaluation.report_publish(user=staff, report=shown, what="report")
    item = evaluation.rectification_add(
        user=staff,
        report=shown,
        problem="进站接待偏少",
        measure="每月进站",
        deadline=timezone.localdate(),
    )
    evaluation.rectification_add(
        user=staff,
        report=hidden,
        problem="未公开的问题",
        measure="m",
        deadline=timezone.localdate(),
    )
    evaluation.rectification_publish(user=staff, item=item)
    cache.clear()
    page = Client().get(reverse("public:disclosure")).content.decode()
    assert f"{world.deputy_a1.name}的书面述职" in page
    assert f"{world.deputy_a2.name}的书面述职" not in page
    assert "评议结果:" not in page  # the result is not approved (nor fixed) yet
    assert "进站接待偏少" in page and "未公开的问题" not in page

    evaluation.evaluation_close(user=staff, campaign=campaign)
    shown.refresh_from_db()
    evaluation.report_publish(user=staff, report=shown, what="result")
    evaluation.candidates_propose(
        user=staff, campaign=ReportCampaign.objects.get(pk=campaign.pk), count=2
    )
    for candidate in ExcellentCandidate.objects.all():
        evaluation.candidate_decide(
            user=staff,
            candidate=candidate,
            decision="selected" if candidate.deputy_id == world.deputy_a2.pk else "declined",
        )
    evaluation.excellent_publish(user=staff, campaign=campaign)
    cache.clear()
    page = Client().get(reverse("public:disclosure")).content.decode()
    assert "评议结果:" in page and "优秀(综合得分 100.00)" in page
    assert "选民评议 0 票、代表互评 0 票、组织考评 1 票" in page
    assert f'data-excellent="{ExcellentCandidate.objects.get(decision="selected").pk}"' in page
    assert page.count("data-excellent=") == 1


def test_only_published_supervision_results_are_disclosed(public_county, world, users):
    from oversight import services as oversight

    staff = users["staff"]
    published = oversight.topic_create(
        user=staff, county=world.county_a, year=2026, title="农村饮水安全", unit=world.unit_a
    )
    oversight.topic_create(
        user=staff, county=world.county_a, year=2026, title="未公开的议题", unit=world.unit_a
    )
    type(published).objects.filter(pk=published.pk).update(
        published_on=timezone.localdate(), publication="测评满意,予以公开。"
    )
    page = Client().get(reverse("public:disclosure")).content.decode()
    assert "农村饮水安全" in page and "测评满意,予以公开。" in page
    assert "未公开的议题" not in page
