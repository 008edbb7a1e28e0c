"""Demo 履职故事 for the county: a few published on the stations' showcase walls, a few drafts
staff have not yet published."""

import datetime
import random

from django.utils import timezone

from accounts.models import Role, User
from directory.models import Station
from public.models import DutyStory

STORIES = [
    ("院坝会上听民声,代表帮群众解决饮水难题", "苍溪县融媒体中心", True),
    ("代表之家里的“连心桥”", "广元日报", True),
    ("微心愿圆了留守老人的取暖梦", "四川人大网", True),
    ("从接待日到建议办结:一条村道的修建记", "苍溪县人大常委会", True),
    ("代表小组助力红心猕猴桃产业发展", "苍溪县融媒体中心", False),
    ("述职月里的“三述三评”", "广元人大", False),
]


def build_public(county, *, seed: int = 0, today: datetime.date | None = None) -> bool:
    if DutyStory.objects.filter(county=county).exists():
        return False
    today = today or timezone.localdate()
    rng = random.Random(f"public-{county.code}-{seed}")
    stations = list(Station.objects.filter(county=county, kind=Station.Kind.HOME).order_by("pk"))
    author = (
        User.objects.filter(role=Role.COMMITTEE_STAFF, county=county).order_by("pk").first()
        or User.objects.filter(is_superuser=True).order_by("pk").first()
    )
    if author is None or not stations:
        return False
    for index, (title, outlet, published) in enumerate(STORIES):
        station = stations[rng.randrange(len(stations))]
        story = DutyStory.objects.create(
            county=county,
            station=station,
            title=title,
            outlet=outlet,
            published_on=today - datetime.timedelta(days=12 + index * 17),
            text=f"{station.name}的代表们{title}。",
            is_published=published,
            published_at=timezone.now() if published else None,
            created_by=author,
        )
        story.deputies.set(station.deputies.order_by("pk")[:2])
    return True
