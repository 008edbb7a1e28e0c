"""Demo 履职故事 for the county: a few published on the stations' showcase walls, a few drafts
staff have not yet published."""

import datetime
import random

from django.utils import timezone

from accounts.models import Role, User
from directory.models import Station
from public.models import DutyStory

# (title, outlet, published, text): the text is what the outlet wrote, in whole sentences;
# {station} is the home the story happened at, {township} its township.
STORIES = [
    (
        "院坝会上听民声,代表帮群众解决饮水难题",
        "苍溪县融媒体中心",
        True,
        "{township}几个村民小组夏季常常停水。{station}的代表在院坝会上听到群众反映后,"
        "实地察看了供水管网,协调县水利局更换老化管道,群众用上了稳定的自来水。",
    ),
    (
        "代表之家里的“连心桥”",
        "广元日报",
        True,
        "每月固定接待日,{station}都有代表坐班接待选民。群众反映的道路、就医、就业等问题,"
        "代表们逐件登记、跟踪办理,代表之家成了联系群众的“连心桥”。",
    ),
    (
        "微心愿圆了留守老人的取暖梦",
        "四川人大网",
        True,
        "入冬前,{station}的代表走访时了解到几位留守老人缺少取暖设备。"
        "代表们认领了这些微心愿,把电暖器送到老人家中。",
    ),
    (
        "从接待日到建议办结:一条村道的修建记",
        "苍溪县人大常委会",
        True,
        "在{station}的接待日上,群众反映村道破损、出行困难。代表据此提出建议,"
        "承办单位列入年度计划并完成硬化,代表和群众对办理结果表示满意。",
    ),
    (
        "代表小组助力红心猕猴桃产业发展",
        "苍溪县融媒体中心",
        False,
        "农业农村代表小组围绕红心猕猴桃产业开展专题调研,"
        "在{township}召开座谈会,就冷链仓储和品牌推广提出建议。",
    ),
    (
        "述职月里的“三述三评”",
        "广元人大",
        False,
        "十二月是代表述职月。{station}组织代表现场述职、书面述职和直播述职,"
        "选民评议、代表互评和组织考评的结果向社会公开。",
    ),
]


def build_public(county, *, seed: int = 0, today: datetime.date | None = None) -> bool:
    if DutyStory.objects.filter(county=county).exists():
        return False
    today = today or timezone.localdate()
    rng = random.Random(f"public-{county.code}-{seed}")
    stations = list(
        Station.objects.filter(county=county, kind=Station.Kind.HOME)
        .select_related("township")
        .order_by("pk")
    )
    author = (
        User.objects.filter(role=Role.COMMITTEE_STAFF, county=county).order_by("pk").first()
        or User.objects.filter(is_superuser=True).order_by("pk").first()
    )
    if author is None or not stations:
        return False
    for index, (title, outlet, published, text) in enumerate(STORIES):
        station = stations[rng.randrange(len(stations))]
        story = DutyStory.objects.create(
            county=county,
            station=station,
            title=title,
            outlet=outlet,
            published_on=today - datetime.timedelta(days=12 + index * 17),
            text=text.format(station=station.name, township=station.township.name),
            is_published=published,
            published_at=timezone.now() if published else None,
            created_by=author,
        )
        story.deputies.set(station.deputies.order_by("pk")[:2])
    return True
