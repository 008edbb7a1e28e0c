"""立法意见征集: publishing a draft to stations and deputies, opinions from the three channels
(and routed from 线上民意直通车), the deadline, the summary, the report and its export; who may
do what; the lists' queries do not grow with the data."""

import datetime
import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from core.errors import DomainError
from core.exports import run_export, start_export
from core.models import ExportJob
from deputies.models import DutyRecord
from legislation import services
from legislation.models import ArticleSummary, Draft, LegislativeOpinion, LiaisonPoint
from stations.models import Opinion
from tests import factories as f
from tests.querycount import count_queries

TODAY = timezone.localdate()


def publish(world, users, **kwargs) -> Draft:
    fields = {
        "title": "四川省乡村振兴促进条例(修订草案)",
        "level": Draft.Level.PROVINCE,
        "issuer": "四川省人大常委会法工委",
        "deadline": TODAY + datetime.timedelta(days=10),
        "text": "第一条 ……\n第十二条 ……",
        "stations": [world.home_a1],
    }
    fields.update(kwargs)
    return services.draft_publish(user=users["staff"], county=world.county_a, **fields)


def past_deadline(draft: Draft) -> Draft:
    Draft.objects.filter(pk=draft.pk).update(
        published_on=TODAY - datetime.timedelta(days=40),
        deadline=TODAY - datetime.timedelta(days=1),
    )
    draft.refresh_from_db()
    return draft


def online_opinion(world, content="希望条例保障农村养老服务") -> Opinion:
    return Opinion.objects.create(
        channel=Opinion.Channel.ONLINE,
        county=world.county_a,
        township=world.a1,
        station=world.home_a1,
        category="other",
        content=content,
    )


# Happy paths --------------------------------------------------------------------------------


def test_staff_publish_a_draft_from_the_page_with_a_pdf(
    world, users, client_for, settings, tmp_path
):
    settings.MEDIA_ROOT = tmp_path
    pdf = SimpleUploadedFile("草案.pdf", b"%PDF-1.7\n%fake\n", content_type="application/pdf")
    response = client_for("staff").post(
        reverse("legislation:new"),
        {
            "title": "广元市农村生活污水治理条例(草案)",
            "level": "city",
            "issuer": "广元市人大常委会法工委",
            "deadline": (TODAY + datetime.timedelta(days=5)).isoformat(),
            "stations": [world.home_a1.pk, world.liaison_a1.pk],
            "for_deputies": "on",
            "file": pdf,
        },
    )
    draft = Draft.objects.get()
    assert response.status_code == 302 and response.url == draft.get_absolute_url()
    assert draft.status == Draft.Status.OPEN and draft.file_name == "草案.pdf"
    assert set(draft.stations.all()) == {world.home_a1, world.liaison_a1}
    # Stored sealed, served opened to whoever reads the draft.
    assert not draft.file.read().startswith(b"%PDF")
    download = client_for("deputy").get(reverse("legislation:file", args=[draft.pk]))
    assert b"".join(download.streaming_content).startswith(b"%PDF-1.7")


def test_opinions_from_all_channels_grouped_by_article(world, users, client_for):
    draft = publish(world, users)
    deputy = client_for("deputy")
    response = deputy.post(
        reverse("legislation:opinion_give", args=[draft.pk]),
        {"article": "第十二条", "content": "建议保障冷链仓储用地"},
    )
    assert response.status_code == 302
    client_for("keeper").post(
        reverse("legislation:opinion_record", args=[draft.pk]),
        {
            "station": world.home_a1.pk,
            "article": "第十二条",
            "content": "座谈会上群众建议扶持加工企业",
            "occasion": "座谈会",
            "participants": 18,
        },
    )
    services.opinion_submit_public(draft=draft, content="总体赞成", name="王", contact="138")
    source = online_opinion(world)
    code = source.tracking_code
    client_for("staff").post(reverse("legislation:route", args=[draft.pk]), {"code": code})
    channels = sorted(draft.opinions.values_list("channel", flat=True))
    assert channels == ["deputy", "online", "public", "station"]
    routed = draft.opinions.get(channel="online")
    assert routed.source_opinion == source and routed.content == source.content
    source.refresh_from_db()
    assert source.status == Opinion.Status.RECEIVED  # the online opinion keeps its own life
    page = client_for("staff").get(draft.get_absolute_url())
    groups = page.context["groups"]
    assert [(g.article, len(g.opinions)) for g in groups] == [("", 2), ("第十二条", 2)]
    # The deputy's opinion is a duty act (the generic kind: no migration of deputies here).
    record = DutyRecord.objects.get(deputy=world.deputy_a1)
    assert record.kind == DutyRecord.Kind.LEGISLATIVE_OPINION and "乡村振兴" in record.title


def test_public_page_lists_open_drafts_and_takes_an_opinion(world, users, client, settings):
    settings.PUBLIC_COUNTY_CODE = world.county_a.code
    draft = publish(world, users)
    closed = publish(world, users, title="已截止的草案")
    past_deadline(closed)
    listing = client.get(reverse("public:legislation_list"))
    assert (
        draft.title in listing.content.decode() and "已截止的草案" not in listing.content.decode()
    )
    url = reverse("public:legislation_comment", args=[draft.pk])
    client.get(url)
    from public.captcha import SESSION_KEY

    answer = client.session[SESSION_KEY]["answer"]
    response = client.post(
        url, {"article": "第十二条", "content": "建议增加养老条款", "captcha": answer}
    )
    assert response.status_code == 302
    opinion = LegislativeOpinion.objects.get()
    assert opinion.channel == "public" and opinion.article == "第十二条"
    assert client.get(reverse("public:legislation_comment", args=[closed.pk])).status_code == 404


def test_summary_report_and_export(world, users, client_for, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    draft = publish(world, users)
    services.opinion_give(user=users["deputy"], draft=draft, article="第十二条", content="甲")
    services.opinion_record(
        user=users["keeper"],
        draft=draft,
        station=world.home_a1,
        article="第十二条",
        content="乙",
        occasion="座谈会",
        participants=20,
    )
    services.opinion_submit_public(draft=draft, content="丙")
    past_deadline(draft)
    staff = client_for("staff")
    summary_url = reverse("legislation:summary", args=[draft.pk])
    staff.post(summary_url, {"article": "第十二条", "adoption": "adopted", "note": "建议采纳"})
    # The general opinions are not summarised yet: the report is refused, nothing changes.
    staff.post(reverse("legislation:report", args=[draft.pk]), {"reported_on": TODAY})
    draft.refresh_from_db()
    assert draft.status != Draft.Status.REPORTED
    assert draft.reported_on is None
    staff.post(summary_url, {"article": "", "adoption": "reference", "note": ""})
    staff.post(reverse("legislation:report", args=[draft.pk]), {"reported_on": TODAY})
    draft.refresh_from_db()
    assert draft.status == Draft.Status.REPORTED and draft.reported_on == TODAY

    job = start_export(
        user=users["staff"], identifier="legislation_summary", data={"draft": str(draft.pk)}
    )
    assert run_export(str(job.pk)) == "done"
    workbook = load_workbook(io.BytesIO(ExportJob.objects.get(pk=job.pk).file.read()))
    articles = list(workbook["条款汇总"].iter_rows(min_row=3, values_only=True))
    assert articles == [
        ("总体意见", 1, 1, 0, 0, 0, 0, "留作参考", ""),
        ("第十二条", 2, 0, 1, 1, 0, 20, "建议采纳", "建议采纳"),
    ]
    details = list(workbook["意见明细"].iter_rows(min_row=3, values_only=True))
    assert len(details) == 3 and {row[2] for row in details} == {"群众", "张甲一", "甲一镇代表之家"}


# Bad input ----------------------------------------------------------------------------------


def test_comment_after_the_deadline_is_refused_everywhere(
    world, users, client_for, client, settings
):
    settings.PUBLIC_COUNTY_CODE = world.county_a.code
    draft = past_deadline(publish(world, users))
    with pytest.raises(DomainError, match="截止"):
        services.opinion_give(user=users["deputy"], draft=draft, content="晚了")
    response = client_for("deputy").post(
        reverse("legislation:opinion_give", args=[draft.pk]), {"content": "晚了"}
    )
    assert response.status_code == 302
    messages = [str(m) for m in response.wsgi_request._messages]
    assert any("截止" in m for m in messages)
    page = client_for("deputy").get(draft.get_absolute_url())
    assert page.context["deputy_form"] is None
    with pytest.raises(DomainError, match="截止"):
        services.opinion_submit_public(draft=draft, content="晚了")
    assert not LegislativeOpinion.objects.exists()
    assert not DutyRecord.objects.exists()


def test_bad_input_is_refused_with_a_chinese_message_and_nothing_saved(world, users, client_for):
    staff = client_for("staff")
    response = staff.post(
        reverse("legislation:new"),
        {
            "title": "草案",
            "level": "province",
            "issuer": "省法工委",
            "deadline": (TODAY - datetime.timedelta(days=1)).isoformat(),
            "stations": [world.home_a1.pk],
            "text": "正文",
        },
    )
    assert response.status_code == 200
    assert "意见截止日期不能早于今天" in response.content.decode()
    pdf = SimpleUploadedFile("x.pdf", b"<html>not a pdf</html>")
    response = staff.post(
        reverse("legislation:new"),
        {
            "title": "草案",
            "level": "province",
            "issuer": "省法工委",
            "deadline": TODAY.isoformat(),
            "all_stations": "on",
            "file": pdf,
        },
    )
    assert "文件应为PDF、Word(.docx)、Word 97-2003/WPS(.doc)文件" in response.content.decode()
    with pytest.raises(DomainError, match="发至哪些家站"):
        publish(world, users, stations=[])
    with pytest.raises(DomainError, match="本县的家站"):
        publish(world, users, stations=[world.home_b1])
    assert not Draft.objects.exists()

    draft = publish(world, users)
    response = client_for("keeper").post(
        reverse("legislation:opinion_record", args=[draft.pk]),
        {"station": world.home_a1.pk, "content": "意见", "participants": 0},
    )
    assert response.status_code == 400 and "参加人数至少为1人" in response.content.decode()
    response = client_for("deputy").post(
        reverse("legislation:opinion_give", args=[draft.pk]), {"content": "  "}
    )
    assert response.status_code == 400
    staff.post(reverse("legislation:route", args=[draft.pk]), {"code": "NOPE-0000"})
    mailbox = Opinion.objects.create(
        channel=Opinion.Channel.MAILBOX,
        county=world.county_a,
        township=world.a1,
        category="other",
        content="信箱来信",
    )
    response = staff.post(
        reverse("legislation:route", args=[draft.pk]), {"code": mailbox.tracking_code}
    )
    assert "线上民意直通车" in response.content.decode()
    assert not LegislativeOpinion.objects.exists()
    source = online_opinion(world)
    services.opinion_route(user=users["staff"], draft=draft, source=source)
    with pytest.raises(DomainError, match="已经转入"):
        services.opinion_route(user=users["staff"], draft=draft, source=source)
    # Summarising before the deadline is refused.
    with pytest.raises(DomainError, match="截止后"):
        services.article_summary_save(
            user=users["staff"], draft=draft, article="", adoption="adopted"
        )
    assert not ArticleSummary.objects.exists()


# Wrong role ---------------------------------------------------------------------------------


def test_who_sees_a_draft_sent_to_one_station(world, users, client_for):
    draft = publish(world, users, stations=[world.home_a1])
    url = draft.get_absolute_url()
    for role in ("staff", "member", "township", "keeper", "deputy"):
        assert client_for(role).get(url).status_code == 200, role
    assert client_for("outsider").get(url).status_code == 404  # township staff of A2
    assert client_for("unit").get(url).status_code == 403
    keeper_a2 = f.make_user("station_keeper", "k_a2", station=world.home_a2)
    deputy_user = f.make_user("deputy", "d_liaison", deputy=world.deputy_a1_liaison)
    for user in (keeper_a2, deputy_user):
        client = client_for("staff")
        client.force_login(user)
        assert client.get(url).status_code == 404
        assert client.get(reverse("legislation:list")).context["page"].paginator.count == 0


def test_a_draft_not_sent_to_deputies_is_hidden_from_them(world, users, client_for):
    draft = publish(world, users, for_deputies=False)
    assert client_for("deputy").get(draft.get_absolute_url()).status_code == 404
    with pytest.raises(DomainError, match="没有发给您"):
        services.opinion_give(user=users["deputy"], draft=draft, content="意见")


def test_others_may_not_act_on_a_draft(world, users, client_for):
    draft = publish(world, users, all_stations=True, stations=[])
    keeper_a2 = f.make_user("station_keeper", "k_a2", station=world.home_a2)
    # A keeper of another township sees an all-stations draft but records only for their own.
    with pytest.raises(DomainError, match="自己管理的家站"):
        services.opinion_record(user=keeper_a2, draft=draft, station=world.home_a1, content="x")
    for role, name in (("keeper", "route"), ("deputy", "summary"), ("township", "close")):
        client = client_for(role)
        method = client.get if name == "summary" else client.post
        assert method(reverse(f"legislation:{name}", args=[draft.pk])).status_code == 403
    assert client_for("unit").get(reverse("legislation:list")).status_code == 403
    assert client_for("keeper").get(reverse("legislation:new")).status_code == 403
    assert (
        client_for("keeper")
        .post(reverse("legislation:opinion_give", args=[draft.pk]), {"content": "x"})
        .status_code
        == 403
    )
    with pytest.raises(DomainError):
        start_export(
            user=users["township"], identifier="legislation_summary", data={"draft": draft.pk}
        )
    assert not LegislativeOpinion.objects.exists()


def test_liaison_point_shows_on_the_station_wall(world, client, settings):
    settings.PUBLIC_COUNTY_CODE = world.county_a.code
    LiaisonPoint.objects.create(station=world.home_a1, since=TODAY)
    page = client.get(reverse("public:station_wall", args=[world.home_a1.pk]))
    assert "基层立法联系点" in page.content.decode()


# Query counts -------------------------------------------------------------------------------


def _add_drafts(world, users, n: int) -> Draft:
    draft = None
    for i in range(n):
        draft = publish(world, users, title=f"草案{i}", stations=[world.home_a1, world.liaison_a1])
        services.opinion_give(user=users["deputy"], draft=draft, article=f"第{i}条", content="甲")
        services.opinion_record(
            user=users["keeper"], draft=draft, station=world.home_a1, content="乙", participants=3
        )
        services.opinion_submit_public(draft=draft, content="丙", article="第一条")
    return draft


@pytest.mark.parametrize("role", ["staff", "township", "keeper", "deputy"])
def test_pages_do_not_grow_with_the_data(world, users, client_for, role):
    draft = _add_drafts(world, users, 2)
    client = client_for(role)
    urls = [reverse("legislation:list"), draft.get_absolute_url()]
    before = [count_queries(client, url) for url in urls]
    _add_drafts(world, users, 6)
    services.opinion_give(user=users["deputy"], draft=draft, article="第九条", content="再提")
    assert [count_queries(client, url) for url in urls] == before


def test_api_lists_are_scoped_and_filtered(world, users, client_for):
    _add_drafts(world, users, 2)
    other = publish(world, users, title="只发甲二", stations=[world.home_a2])
    staff = client_for("staff").get("/api/v1/legislative-drafts/?level=province").json()
    assert staff["count"] == 3
    past_deadline(other)
    closed = client_for("staff").get("/api/v1/legislative-drafts/?status=closed").json()
    assert [row["id"] for row in closed["results"]] == [other.pk]
    page = client_for("staff").get(reverse("legislation:list"), {"status": "open"})
    assert page.context["page"].paginator.count == 2
    keeper = client_for("keeper").get("/api/v1/legislative-drafts/").json()
    assert other.pk not in [row["id"] for row in keeper["results"]]
    opinions = client_for("deputy").get("/api/v1/legislative-opinions/?channel=deputy").json()
    assert opinions["count"] == 2 and all(
        r["deputy"] == world.deputy_a1.pk for r in opinions["results"]
    )
    assert "sender_contact" not in opinions["results"][0]


def test_public_form_refuses_a_wrong_captcha_a_bot_and_too_many(world, users, client, settings):
    settings.PUBLIC_COUNTY_CODE = world.county_a.code
    settings.PUBLIC_OPINION_LIMIT = 2
    draft = publish(world, users)
    url = reverse("public:legislation_comment", args=[draft.pk])
    client.get(url)
    response = client.post(url, {"content": "意见", "captcha": "999"})
    assert response.status_code == 400 and "验证码" in response.content.decode()
    response = client.post(url, {"content": "意见", "captcha": "1", "website": "http://x"})
    assert response.status_code == 400
    response = client.post(url, {"content": "意见", "captcha": "1"})
    assert response.status_code == 429 and "提交过于频繁" in response.content.decode()
    assert not LegislativeOpinion.objects.exists()


def test_articles_are_ordered_as_the_law_numbers_them():
    from legislation.selectors import article_key

    articles = ["第十二条", "", "附则", "第二条", "第一百零三条", "第二十五条", "第9条"]
    assert sorted(articles, key=article_key) == [
        "",
        "第二条",
        "第9条",
        "第十二条",
        "第二十五条",
        "第一百零三条",
        "附则",
    ]
