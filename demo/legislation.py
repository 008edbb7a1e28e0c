"""Demo 立法意见征集 for the county: three 基层立法联系点, a provincial regulation draft open for
comment with opinions from the public, deputies, a station's 座谈会 and one routed from 线上民意直通车,
a county draft whose deadline passed last week (closed, awaiting the summary), and a city
regulation draft whose opinions were summarised and reported last quarter. Written
through legislation.services, so deputies' opinions become duty records as on the pages."""

import datetime
import random

from django.contrib.contenttypes.models import ContentType
from django.utils import timezone

from accounts.models import Role, User
from deputies.models import DutyRecord
from directory.models import Station
from legislation import services
from legislation.models import Draft, LegislativeOpinion, LiaisonPoint
from public.services import online_opinion_submit
from stations.models import OpinionCategory

OPEN_DRAFT = {
    "title": "四川省乡村振兴促进条例(修订草案征求意见稿)",
    "level": Draft.Level.PROVINCE,
    "issuer": "四川省人大常委会法制工作委员会",
    "document_number": "川人法工委函〔2026〕41号",
    "summary": "修订草案共八章六十二条,重点修改产业发展、人才支撑、乡村治理和城乡融合等内容,请各基层立法联系点广泛听取群众和代表意见。",
    "text": "第一章 总则\n第一条 为了全面实施乡村振兴战略……\n第十二条 县级以上地方人民政府应当支持发展农产品加工业和乡村特色产业……\n第二十五条 各级人民政府应当加强农村人才队伍建设……\n第四十条 村民委员会应当依法组织村民制定和修改村规民约……",
}
OPEN_OPINIONS = [
    ("public", "第十二条", "建议明确对猕猴桃等地方特色产业冷链仓储设施用地给予保障。"),
    ("public", "", "建议条例对返乡创业人员的社保接续作出规定。"),
    ("deputy", "第二十五条", "建议增加对乡村医生、乡村教师的待遇保障条款,稳定基层人才队伍。"),
    ("deputy", "第十二条", "建议写明农产品加工企业用电用水按农业生产价格执行。"),
    ("station", "第四十条", "座谈会上村民代表建议村规民约修订须经村民会议表决并报乡镇备案。"),
    ("station", "", "群众普遍支持修订,希望条文更通俗,便于宣传。"),
]
REPORTED_DRAFT = {
    "title": "广元市农村生活污水治理条例(草案征求意见稿)",
    "level": Draft.Level.CITY,
    "issuer": "广元市人大常委会法制工作委员会",
    "document_number": "广人法工委函〔2026〕9号",
    "summary": "草案共五章三十六条,规定农村生活污水治理的规划建设、运行维护和监督管理。",
    "text": "第八条 县(区)人民政府应当统筹编制农村生活污水治理专项规划……\n第十五条 运行维护费用可以由村集体经济组织和农户合理分担……",
}
REPORTED_OPINIONS = [
    ("station", "第八条", "建议规划编制时征求村民意见,并与村庄规划衔接。"),
    ("deputy", "第十五条", "建议明确农户分担费用的上限,困难群众予以减免。"),
    ("public", "第十五条", "山区农户居住分散,建议允许采用分散式处理设施。"),
]
CLOSED_DRAFT = {
    "title": "苍溪县城乡居民自建房安全管理办法(征求意见稿)",
    "level": Draft.Level.COUNTY,
    "issuer": "苍溪县人大常委会法制工作委员会",
    "document_number": "苍人法工委函〔2026〕6号",
    "summary": "办法共二十四条,规定自建房的规划许可、设计施工、用作经营的安全条件和排查整治。",
    "text": "第六条 城乡居民新建、改建、扩建自建房应当依法取得规划许可……\n第十四条 用作经营的自建房应当符合消防安全要求……",
}
CLOSED_OPINIONS = [
    ("deputy", "第十四条", "建议对农家乐等经营性自建房设置过渡期,分类整治。"),
    ("station", "第六条", "座谈会上群众反映规划许可办理周期长,建议在乡镇便民服务中心就近办理。"),
]
REPORTED_SUMMARIES = [
    ("第八条", "adopted", "建议在第八条增加“征求村民意见”的表述。"),
    ("第十五条", "partly", "减免困难群众费用的意见建议采纳;费用上限由各县区规定。"),
]


def _liaison_points(county, keeper_station: Station | None, today: datetime.date) -> list:
    stations = list(Station.objects.filter(county=county, kind="liaison").order_by("pk")[:2])
    if keeper_station is not None:
        stations.insert(0, keeper_station)
    LiaisonPoint.objects.bulk_create(
        [
            LiaisonPoint(
                station=station,
                since=today - datetime.timedelta(days=400),
                note="县人大常委会确定的基层立法联系点",
            )
            for station in stations
        ],
        ignore_conflicts=True,
    )
    return stations


def _add_all(draft, opinions, **people) -> list:
    return [
        _add(channel, draft, article, content, **people) for channel, article, content in opinions
    ]


def _add(channel, draft, article, content, *, deputy_user, keeper, station, rng):
    if channel == "public":
        return services.opinion_submit_public(
            draft=draft, article=article, content=content, name=rng.choice(["王", "李", "张"])
        )
    if channel == "deputy":
        return services.opinion_give(
            user=deputy_user, draft=draft, article=article, content=content
        )
    return services.opinion_record(
        user=keeper,
        draft=draft,
        station=station,
        article=article,
        content=content,
        occasion="立法意见征集座谈会",
        participants=rng.randint(12, 30),
    )


def _move_back(draft, opinions, *, published: datetime.date, deadline: datetime.date) -> None:
    """A draft written as if open today, moved back to its dates with its opinions (and their
    duty records) spread over the weeks it was open."""
    Draft.objects.filter(pk=draft.pk).update(published_on=published, deadline=deadline)
    for index, opinion in enumerate(opinions):
        moment = timezone.make_aware(
            datetime.datetime.combine(
                published + datetime.timedelta(days=5 + index * 6), datetime.time(10)
            )
        )
        LegislativeOpinion.objects.filter(pk=opinion.pk).update(created_at=moment)
        DutyRecord.objects.filter(
            source_type=ContentType.objects.get_for_model(opinion), source_id=opinion.pk
        ).update(occurred_on=moment.date())
    draft.refresh_from_db()


def build_legislation(county, *, seed: int = 0, today: datetime.date | None = None) -> bool:
    if Draft.objects.filter(county=county).exists():
        return False
    staff = User.objects.filter(role=Role.COMMITTEE_STAFF, county=county).order_by("pk").first()
    # The demo logins first (the keeper of the first home, a deputy stationed there).
    keepers = User.objects.filter(
        role=Role.STATION_KEEPER, station__county=county, station__kind="home"
    ).select_related("station")
    keeper = keepers.filter(username="keeper").first() or keepers.order_by("pk").first()
    deputies = User.objects.filter(
        role=Role.DEPUTY, deputy__station=keeper.station if keeper else None
    ).select_related("deputy__station")
    deputy_user = deputies.filter(username="deputy").first() or deputies.order_by("pk").first()
    if staff is None or keeper is None or deputy_user is None:
        return False
    today = today or timezone.localdate()
    rng = random.Random(f"legislation-{county.code}-{seed}")
    points = _liaison_points(county, keeper.station, today)
    people = {"deputy_user": deputy_user, "keeper": keeper, "station": keeper.station, "rng": rng}

    # The city's draft, commented on last quarter, then summarised and reported: written as if
    # open then, and moved back to its dates before the summary.
    reported = services.draft_publish(
        user=staff, county=county, deadline=today, all_stations=True, **REPORTED_DRAFT
    )
    added = _add_all(reported, REPORTED_OPINIONS, **people)
    published = today - datetime.timedelta(days=120)
    deadline = published + datetime.timedelta(days=30)
    _move_back(reported, added, published=published, deadline=deadline)
    for article, adoption, note in REPORTED_SUMMARIES:
        services.article_summary_save(
            user=staff, draft=reported, article=article, adoption=adoption, note=note
        )
    services.draft_report(
        user=staff,
        draft=reported,
        reported_on=deadline + datetime.timedelta(days=10),
        summary_note="共收到意见3条,涉及2个条款,已汇总报送市人大常委会法工委。",
    )

    # The county's own draft: its deadline passed last week, the daily task closed it, staff have
    # not summarised it yet (已截止, waiting for the summary).
    closed = services.draft_publish(
        user=staff, county=county, deadline=today, all_stations=True, **CLOSED_DRAFT
    )
    added = _add_all(closed, CLOSED_OPINIONS, **people)
    published = today - datetime.timedelta(days=37)
    _move_back(closed, added, published=published, deadline=today - datetime.timedelta(days=7))
    services.drafts_close_expired(today=today)

    # The province's draft, open now, sent to the liaison points and their deputies.
    draft = services.draft_publish(
        user=staff,
        county=county,
        deadline=today + datetime.timedelta(days=20),
        stations=points,
        for_deputies=True,
        **OPEN_DRAFT,
    )
    _add_all(draft, OPEN_OPINIONS, **people)
    # A villager wrote on 线上民意直通车 about the same subject; staff route it to the draft.
    online = online_opinion_submit(
        county=county,
        station=keeper.station,
        category=OpinionCategory.AGRICULTURE,
        content="听说省里在修改乡村振兴条例,建议把土地流转后农民的收益保障写进去。",
    )
    services.opinion_route(user=staff, draft=draft, source=online, article="")
    return True
