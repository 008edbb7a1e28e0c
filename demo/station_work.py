"""Demo station work for one county at the seed's proportions: a year of monthly reception days
and 选民走访日 (a few missed, so the compliance view has something to show), the receptions
deputies logged, the opinions they heard followed to answers, the quarterly activity ledger,
small wishes, and the 代表信箱 of every township and village with their openings.

Bulk-created and deterministic; skipped for a county that already has reception days."""

import datetime
import random

from django.contrib.auth.hashers import make_password
from django.contrib.contenttypes.models import ContentType
from django.utils import timezone

from accounts.models import Role, User
from deputies.models import DutyRecord
from directory.models import Deputy, HandlingUnit, Region, Station
from stations.models import (
    Mailbox,
    MailboxOpening,
    Opinion,
    OpinionCategory,
    OpinionEvent,
    Reception,
    ReceptionDay,
    ReceptionDuty,
    SmallWish,
    StationActivity,
    VisitDay,
)
from stations.services.receptions import reception_days_generate

OPINIONS = {
    OpinionCategory.WATER: [
        "三组自来水压力不足,高处农户用水困难",
        "希望延伸安全饮水管网到散居农户",
        "蓄水池年久失修需要清淤",
    ],
    OpinionCategory.ROADS: [
        "村道雨天泥泞,希望硬化",
        "通组路缺少护栏,存在安全隐患",
        "希望增开赶场天的农村客运班次",
    ],
    OpinionCategory.ELDERLY_MEDICAL: [
        "村卫生室缺少常用药品",
        "希望开展老年人上门体检",
        "日间照料中心活动设施不足",
    ],
    OpinionCategory.EDUCATION: ["校车接送时间与放学时间不衔接", "希望学校增设课后托管"],
    OpinionCategory.EMPLOYMENT: ["希望开展猕猴桃种植技术培训", "返乡青年创业贷款手续繁琐"],
    OpinionCategory.SOCIAL_SECURITY: ["低保复核结果希望及时公示", "残疾人补贴发放时间不固定"],
    OpinionCategory.ENVIRONMENT: ["垃圾清运不及时", "养殖场异味影响周边住户"],
    OpinionCategory.AGRICULTURE: ["灌溉渠道堵塞影响春耕", "希望统一采购优质猕猴桃苗木"],
    OpinionCategory.GOVERNANCE: ["希望村务公开栏及时更新", "院坝会时间希望安排在晚上"],
}
# Where a county office forwards an opinion of each kind (demo.seed.HANDLING_UNITS by name).
CATEGORY_UNITS = {
    "water": ("县水利局", "县城市供排水有限公司"),
    "roads": ("县交通运输局",),
    "elderly_medical": ("县卫生健康局", "县医疗保障局", "县民政局"),
    "education": ("县教育局",),
    "employment": ("县人力资源和社会保障局",),
    "social_security": ("县人力资源和社会保障局", "县民政局", "县医疗保障局"),
    "environment": ("广元市苍溪生态环境局", "县林业局"),
    "agriculture": ("县农业农村局",),
    "governance": ("县民政局", "县综合行政执法局", "县公安局"),
    "other": ("县住房和城乡建设局", "国网苍溪县供电公司", "县市场监督管理局"),
}

WISHES = [
    "一台取暖器",
    "一副老花镜",
    "一套学习用品",
    "一辆轮椅",
    "修缮漏雨的房顶",
    "一床棉被",
    "一部老人手机",
    "助听器一副",
]
THEMES = {
    StationActivity.Kind.THEMED: [
        "乡村振兴政策宣讲",
        "医养结合服务调研",
        "人居环境整治座谈",
        "营商环境问需于企",
        "义务教育均衡发展调研",
    ],
    # The kind is shown beside the theme (and heads the duty record's title): not in the theme.
    StationActivity.Kind.VOTER_VISIT: ["走访脱贫户", "走访留守老人"],
    StationActivity.Kind.LAW: ["民法典宣讲", "防范电信诈骗"],
}
SURNAMES = "王李张刘陈杨赵黄周吴徐孙胡朱高林何郭马罗"


def build_station_work(
    county: Region, *, today: datetime.date | None = None, seed: int = 0
) -> bool:
    if ReceptionDay.objects.filter(station__county=county).exists():
        return False
    today = today or timezone.localdate()
    rng = random.Random(f"station-work-{county.code}-{seed}")
    stations = list(Station.objects.filter(county=county).select_related("township"))
    deputies_by_station: dict[int, list[Deputy]] = {}
    for deputy in Deputy.objects.filter(station__county=county).order_by("pk"):
        deputies_by_station.setdefault(deputy.station_id, []).append(deputy)
    deputy_users = _deputy_accounts(county, deputies_by_station)
    keepers = _keeper_accounts(county, stations)
    units = list(HandlingUnit.objects.filter(county=county))

    start = (today.replace(day=1) - datetime.timedelta(days=330)).replace(day=1)
    reception_days_generate(
        today=start,
        months_ahead=_months_between(start, today) + 3,
        stations=Station.objects.filter(county=county),
    )
    days = list(
        ReceptionDay.objects.filter(station__county=county, date__lte=today).select_related(
            "station__township"
        )
    )
    duties: dict[int, list[int]] = {}
    for day_id, deputy_id in ReceptionDuty.objects.filter(reception_day__in=days).values_list(
        "reception_day_id", "deputy_id"
    ):
        duties.setdefault(day_id, []).append(deputy_id)

    held, receptions = [], []
    skipped = {station.pk for station in rng.sample(stations, k=max(1, len(stations) // 12))}
    for day in days:
        # A few stations miss a month now and then: the compliance view's work.
        if day.station_id in skipped and rng.random() < 0.3:
            continue
        held.append(day.pk)
        for deputy_id in duties.get(day.pk, []):
            user = deputy_users[deputy_id]
            receptions.append(
                Reception(
                    reception_day=day,
                    station_id=day.station_id,
                    deputy_id=deputy_id,
                    voters_received=rng.randint(3, 25),
                    summary=rng.choice(
                        [
                            "接待群众来访,现场解答政策问题",
                            "群众集中反映基础设施问题",
                            "收集意见建议并登记台账",
                        ]
                    ),
                    logged_by=user,
                )
            )
    ReceptionDay.objects.filter(pk__in=held).update(status=ReceptionDay.Status.HELD)
    receptions = Reception.objects.bulk_create(receptions, batch_size=1000)
    day_by_id = {day.pk: day for day in days}

    opinions = []
    for reception in receptions:
        day = day_by_id[reception.reception_day_id]
        for _ in range(rng.choice((0, 1, 1, 2, 2, 3))):
            opinions.append(
                _opinion(
                    rng,
                    day.station,
                    Opinion.Channel.RECEPTION,
                    day.date,
                    reception,
                    reception.logged_by,
                    units,
                    today,
                )
            )
    for station in stations:
        for _ in range(rng.randint(1, 4)):  # letters from the station mailbox
            date = today - datetime.timedelta(days=rng.randint(0, 330))
            opinions.append(
                _opinion(
                    rng,
                    station,
                    Opinion.Channel.MAILBOX,
                    date,
                    None,
                    keepers[station.pk],
                    units,
                    today,
                )
            )
    # bulk_create lets auto_now_add overwrite created_at on the objects themselves: keep the
    # intended dates to restore them after the insert.
    received_at = [opinion.created_at for opinion in opinions]
    opinions = Opinion.objects.bulk_create(opinions, batch_size=1000)
    for opinion, at in zip(opinions, received_at, strict=True):
        opinion.created_at = at
    _opinion_events(opinions)

    wishes = _wishes(rng, receptions, day_by_id, deputies_by_station, today)
    activities = _activities(rng, stations, deputies_by_station, keepers, start, today)
    activities += _visit_days(rng, stations, deputies_by_station, keepers, start, today, skipped)
    _duty_records(receptions, day_by_id, wishes, activities)
    _mailboxes(rng, county, stations, deputies_by_station, keepers, today)
    return True


def _months_between(start: datetime.date, end: datetime.date) -> int:
    return (end.year - start.year) * 12 + end.month - start.month


def _deputy_accounts(county, deputies_by_station) -> dict[int, User]:
    """Every deputy gets an account (to log receptions and get reminders); the password is
    unusable until the administrator issues one."""
    existing = dict(
        User.objects.filter(deputy__station__county=county).values_list("deputy_id", "pk")
    )
    unusable = make_password(None)
    new = [
        User(
            username=f"daibiao{deputy.pk}",
            full_name=deputy.name,
            role=Role.DEPUTY,
            deputy=deputy,
            county=county,
            password=unusable,
        )
        for deputies in deputies_by_station.values()
        for deputy in deputies
        if deputy.pk not in existing
    ]
    User.objects.bulk_create(new, batch_size=1000)
    return {user.deputy_id: user for user in User.objects.filter(deputy__station__county=county)}


def _keeper_accounts(county, stations) -> dict[int, User]:
    unusable = make_password(None)
    User.objects.bulk_create(
        [
            User(
                username=f"jiazhan{station.pk}",
                full_name=f"{station.name}管理员",
                role=Role.STATION_KEEPER,
                station=station,
                county=county,
                password=unusable,
            )
            for station in stations
        ],
        ignore_conflicts=True,
    )
    keepers = {}
    for user in User.objects.filter(role=Role.STATION_KEEPER, station__county=county).order_by(
        "-pk"
    ):
        keepers[user.station_id] = user
    return keepers


def _opinion(rng, station, channel, date, reception, user, units, today) -> Opinion:
    category = rng.choice(list(OPINIONS))
    age = (today - date).days
    status = Opinion.Status.RECEIVED
    roll = rng.random()
    if age > 60:
        status = Opinion.Status.CLOSED if roll < 0.8 else Opinion.Status.ANSWERED
    elif age > 14:
        status = Opinion.Status.ANSWERED if roll < 0.5 else Opinion.Status.FORWARDED
    elif roll < 0.3:
        status = Opinion.Status.FORWARDED
    forwarded = status != Opinion.Status.RECEIVED and rng.random() < 0.6
    answered = status in (Opinion.Status.ANSWERED, Opinion.Status.CLOSED)
    opinion = Opinion(
        channel=channel,
        county_id=station.county_id,
        township_id=station.township_id,
        station=station,
        reception=reception,
        category=category,
        content=rng.choice(OPINIONS[category]),
        voter_name=rng.choice(SURNAMES) + rng.choice("大小老") + rng.choice("明华英军芳强"),
        voter_phone=f"139{rng.randint(10000000, 99999999)}" if rng.random() < 0.6 else "",
        status=status,
        handling_unit=_unit_for(rng, category, units)
        if (forwarded or status == Opinion.Status.FORWARDED) and units
        else None,
        answer="已安排实地查看并制定解决方案,将在下季度实施。" if answered else "",
        # Answered within a month, and never later than yesterday: nothing is dated in the future.
        answered_at=_aware(
            min(
                date + datetime.timedelta(days=rng.randint(5, 30)),
                today - datetime.timedelta(days=1),
            )
        )
        if answered
        else None,
        created_by=user,
    )
    opinion.created_at = _aware(date)
    return opinion


def _unit_for(rng, category: str, units):
    """The unit an office would forward an opinion of ``category`` to (roads to transport)."""
    fitting = [unit for unit in units if unit.name in CATEGORY_UNITS.get(category, ())]
    return rng.choice(fitting or units)


def _aware(date: datetime.date) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(date, datetime.time(10)))


def _opinion_events(opinions) -> None:
    # auto_now_add overrode created_at on insert: put the reception's date back.
    Opinion.objects.bulk_update(opinions, ["created_at"], batch_size=1000)
    events = []
    for opinion in opinions:
        events.append(
            OpinionEvent(
                opinion=opinion,
                actor=opinion.created_by,
                to_status=Opinion.Status.RECEIVED,
                note="受理",
            )
        )
        if opinion.handling_unit_id:
            events.append(
                OpinionEvent(
                    opinion=opinion,
                    from_status="received",
                    to_status=Opinion.Status.FORWARDED,
                    note="转承办单位办理",
                )
            )
        if opinion.status in (Opinion.Status.ANSWERED, Opinion.Status.CLOSED):
            events.append(
                OpinionEvent(
                    opinion=opinion,
                    from_status="forwarded",
                    to_status=Opinion.Status.ANSWERED,
                    note=opinion.answer,
                )
            )
        if opinion.status == Opinion.Status.CLOSED:
            events.append(
                OpinionEvent(
                    opinion=opinion,
                    from_status="answered",
                    to_status=Opinion.Status.CLOSED,
                    note="群众满意,办结",
                )
            )
    OpinionEvent.objects.bulk_create(events, batch_size=2000)


def _wishes(rng, receptions, day_by_id, deputies_by_station, today) -> list[SmallWish]:
    wishes = []
    for reception in receptions:
        if rng.random() > 0.45:
            continue
        day = day_by_id[reception.reception_day_id]
        age = (today - day.date).days
        status = SmallWish.Status.OPEN
        if age > 45:
            status = SmallWish.Status.FULFILLED if rng.random() < 0.9 else SmallWish.Status.CLAIMED
        elif age > 10:
            status = rng.choice(
                [SmallWish.Status.CLAIMED, SmallWish.Status.FULFILLED, SmallWish.Status.OPEN]
            )
        claimer = reception.deputy_id if status != SmallWish.Status.OPEN else None
        wishes.append(
            SmallWish(
                station_id=reception.station_id,
                reception=reception,
                person_name=rng.choice(SURNAMES) + rng.choice("婆爷叔姨") + rng.choice("婆爷叔姨"),
                content=rng.choice(WISHES),
                status=status,
                claimed_by_id=claimer,
                claimed_at=_aware(day.date + datetime.timedelta(days=2)) if claimer else None,
                fulfilled_on=day.date + datetime.timedelta(days=rng.randint(7, 40))
                if status == SmallWish.Status.FULFILLED
                else None,
                fulfillment_note="已送到群众手中" if status == SmallWish.Status.FULFILLED else "",
                created_by=reception.logged_by,
            )
        )
    for wish in wishes:
        if wish.fulfilled_on and wish.fulfilled_on > today:
            wish.fulfilled_on = today
    wishes = SmallWish.objects.bulk_create(wishes, batch_size=1000)
    # Registered on the reception day (auto_now_add stamped the insert time).
    for wish in wishes:
        wish.created_at = _aware(day_by_id[wish.reception.reception_day_id].date)
    SmallWish.objects.bulk_update(wishes, ["created_at"], batch_size=1000)
    return wishes


def _activities(rng, stations, deputies_by_station, keepers, start, today) -> list[StationActivity]:
    rows, members = [], []
    # Calendar quarters (the compliance check counts Q1–Q4), from the start's quarter to today's.
    first = datetime.date(start.year, (start.month - 1) // 3 * 3 + 1, 1)
    quarter_starts = []
    while first <= today:
        quarter_starts.append(first)
        first = datetime.date(first.year + (first.month == 10), (first.month + 2) % 12 + 1, 1)
    for station in stations:
        deputies = deputies_by_station.get(station.pk, [])
        for quarter_start in quarter_starts:
            if quarter_start > today:
                continue
            kinds = [StationActivity.Kind.THEMED] if rng.random() < 0.96 else []
            kinds += [StationActivity.Kind.LAW] if rng.random() < 0.3 else []
            for kind in kinds:
                date = quarter_start + datetime.timedelta(days=rng.randint(5, 80))
                if date > today:
                    continue
                activity = StationActivity(
                    station=station,
                    kind=kind,
                    date=date,
                    theme=rng.choice(THEMES[kind]),
                    people_reached=rng.randint(15, 120),
                    summary="代表与群众面对面交流,收集意见并现场答复。",
                    created_by=keepers[station.pk],
                )
                rows.append(activity)
                members.append(rng.sample(deputies, k=min(len(deputies), rng.randint(2, 5))))
    activities = StationActivity.objects.bulk_create(rows, batch_size=1000)
    Through = StationActivity.deputies.through
    Through.objects.bulk_create(
        [
            Through(stationactivity_id=a.pk, deputy_id=d.pk)
            for a, group in zip(activities, members, strict=True)
            for d in group
        ],
        batch_size=2000,
    )
    for activity, group in zip(activities, members, strict=True):
        activity.member_ids = [d.pk for d in group]
    return activities


def _visit_days(rng, stations, deputies_by_station, keepers, start, today, skipped) -> list:
    """A 选民走访日 a month per station, a week after its reception day, with three of its
    deputies; held ones have their ledger entry (选民走访日). The month's day still to come is
    planned; a few stations miss a month, as with reception days."""
    days, activities, goers = [], [], []
    year, month = start.year, start.month
    months = []
    while (year, month) <= (today.year, today.month):
        months.append((year, month))
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)
    for station in stations:
        deputies = deputies_by_station.get(station.pk, [])
        for index, (year, month) in enumerate(months):
            date = datetime.date(year, month, min(station.reception_day + 7, 28))
            chosen = [
                deputies[(index * 3 + k) % len(deputies)] for k in range(min(3, len(deputies)))
            ]
            held = date <= today and not (station.pk in skipped and rng.random() < 0.3)
            activity = None
            if held:
                activity = StationActivity(
                    station=station,
                    kind=StationActivity.Kind.VOTER_VISIT,
                    date=date,
                    theme=rng.choice(THEMES[StationActivity.Kind.VOTER_VISIT]),
                    people_reached=rng.randint(10, 60),
                    summary="代表入户走访,听取群众意见,能当场解答的当场解答。",
                    created_by=keepers[station.pk],
                )
                activities.append(activity)
            # A missed month keeps its plan: nobody recorded the visit.
            status = VisitDay.Status.HELD if held else VisitDay.Status.PLANNED
            days.append(VisitDay(station=station, date=date, status=status))
            goers.append((activity, chosen))
    activities = StationActivity.objects.bulk_create(activities, batch_size=1000)
    for day, (activity, _chosen) in zip(days, goers, strict=True):
        day.activity = activity
    days = VisitDay.objects.bulk_create(days, batch_size=1000)
    ActivityDeputies = StationActivity.deputies.through
    DayDeputies = VisitDay.deputies.through
    ActivityDeputies.objects.bulk_create(
        [
            ActivityDeputies(stationactivity_id=activity.pk, deputy_id=d.pk)
            for activity, chosen in goers
            if activity is not None
            for d in chosen
        ],
        batch_size=2000,
    )
    DayDeputies.objects.bulk_create(
        [
            DayDeputies(visitday_id=day.pk, deputy_id=d.pk)
            for day, (_activity, chosen) in zip(days, goers, strict=True)
            for d in chosen
        ],
        batch_size=2000,
    )
    for activity, chosen in goers:
        if activity is not None:
            activity.member_ids = [d.pk for d in chosen]
    return activities


def _mailboxes(rng, county, stations, deputies_by_station, keepers, today) -> None:
    """代表信箱 全覆盖: one in every township (at its home) and one in every village and
    community (at its liaison station, else kept by the township's home), each with two
    opening deputies; openings at its interval over the last quarter, plus one on the day of each
    letter the demo's mailbox opinions came from."""
    homes = {s.township_id: s for s in stations if s.kind == Station.Kind.HOME}
    liaisons = {s.village_id: s for s in stations if s.kind == Station.Kind.LIAISON}
    boxes, openers = [], []
    set_up_on = datetime.date(2022, 3, 1)
    for township in Region.objects.filter(county=county, level=Region.Level.TOWNSHIP).order_by(
        "code"
    ):
        office = "办事处" if township.name.endswith("街道") else "人民政府"
        home = homes[township.pk]
        boxes.append(
            Mailbox(
                township=township,
                station=home,
                location=f"{township.name}{office}便民服务中心门口",
                open_every_days=7,
                set_up_on=set_up_on,
            )
        )
        for village in township.children.order_by("code"):
            station = liaisons.get(village.pk, home)
            committee = "居委会" if village.name.endswith("社区") else "村委会"
            boxes.append(
                Mailbox(
                    township=township,
                    village=village,
                    station=station,
                    location=f"{village.name}党群服务中心({committee})门口",
                    open_every_days=rng.choice((15, 30)),
                    set_up_on=set_up_on,
                )
            )
    boxes = Mailbox.objects.bulk_create(boxes)
    Openers = Mailbox.openers.through
    for box in boxes:
        deputies = deputies_by_station.get(box.station_id, [])
        chosen = rng.sample(deputies, k=min(2, len(deputies)))
        openers.append(chosen)
    Openers.objects.bulk_create(
        [
            Openers(mailbox_id=box.pk, deputy_id=d.pk)
            for box, chosen in zip(boxes, openers, strict=True)
            for d in chosen
        ],
        batch_size=2000,
    )
    letters_by_station: dict[tuple[int, datetime.date], int] = {}
    for station_id, created_at in Opinion.objects.filter(
        county=county, channel=Opinion.Channel.MAILBOX
    ).values_list("station_id", "created_at"):
        key = (station_id, timezone.localdate(created_at))
        letters_by_station[key] = letters_by_station.get(key, 0) + 1
    kept_by: dict[int, Mailbox] = {}
    for box in boxes:
        kept_by.setdefault(box.station_id, box)
    rows = []
    for box, chosen in zip(boxes, openers, strict=True):
        opener = chosen[0] if chosen else None
        day = today - datetime.timedelta(days=rng.randint(0, box.open_every_days - 1))
        while day > today - datetime.timedelta(days=92):
            rows.append(
                MailboxOpening(
                    mailbox=box,
                    opened_on=day,
                    opener=opener,
                    letters=0,
                    logged_by=keepers[box.station_id],
                )
            )
            day -= datetime.timedelta(days=box.open_every_days)
    for (station_id, day), letters in sorted(letters_by_station.items()):
        box = kept_by[station_id]
        rows.append(
            MailboxOpening(
                mailbox=box,
                opened_on=day,
                opener=None,
                letters=letters,
                note="信件已登记为群众意见",
                logged_by=keepers[station_id],
            )
        )
    MailboxOpening.objects.bulk_create(rows, batch_size=2000)


def _duty_records(receptions, day_by_id, wishes, activities) -> None:
    types = ContentType.objects.get_for_models(Reception, SmallWish, StationActivity)
    rows = [
        DutyRecord(
            deputy_id=r.deputy_id,
            kind=DutyRecord.Kind.RECEPTION,
            occurred_on=day_by_id[r.reception_day_id].date,
            title=f"接待选民 {r.voters_received} 人",
            source_type=types[Reception],
            source_id=r.pk,
        )
        for r in receptions
    ]
    rows += [
        DutyRecord(
            deputy_id=w.claimed_by_id,
            kind=DutyRecord.Kind.SMALL_WISH,
            occurred_on=w.fulfilled_on,
            title=f"实现微心愿:{w.content}",
            source_type=types[SmallWish],
            source_id=w.pk,
        )
        for w in wishes
        if w.status == SmallWish.Status.FULFILLED
    ]
    for activity in activities:
        kind = (
            DutyRecord.Kind.VOTER_VISIT
            if activity.kind == StationActivity.Kind.VOTER_VISIT
            else DutyRecord.Kind.ACTIVITY
        )
        rows += [
            DutyRecord(
                deputy_id=deputy_id,
                kind=kind,
                occurred_on=activity.date,
                title=activity.duty_title(),
                source_type=types[StationActivity],
                source_id=activity.pk,
            )
            for deputy_id in activity.member_ids
        ]
    DutyRecord.objects.bulk_create(rows, batch_size=2000, ignore_conflicts=True)
