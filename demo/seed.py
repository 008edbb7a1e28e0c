"""A deterministic demo county at the seed's scale (苍溪县: 32 代表之家, 89 联络站, 2,192 deputies).

Everything is bulk-created from a seeded random generator, so two runs build the same county and a
county already present is left alone. Each feature's records are built by a sibling module
(``demo/<feature>.py``) at the seed's proportions; ``build_demo`` runs them in order."""

import datetime
import random
from dataclasses import dataclass, field

from django.db import transaction
from django.utils import timezone

from accounts.models import Role, User
from core import listcache
from core.idnumbers import make_id_number
from core.pinyin import fill_name_keys
from demo.deputy_acts import build_deputy_acts
from demo.dutyreports import build_duty_reports, close_last_campaign
from demo.elections import build_elections
from demo.legislation import build_legislation
from demo.linkages import build_linkages
from demo.mandates import build_mandates
from demo.oversight import build_oversight
from demo.plans import build_plans
from demo.plenary import build_plenary
from demo.public import build_public
from demo.station_work import build_station_work
from demo.suggestions import build_suggestions
from demo.trainings import build_trainings
from deputies.scoring import compute_scores
from directory.models import (
    Deputy,
    DeputyGroup,
    Education,
    HandlingUnit,
    Level,
    Mandate,
    Occupation,
    Party,
    Region,
    Station,
)
from suggestions.models import Suggestion
from suggestions.services import grade_all_duty_records

DEMO_PASSWORD = "Demo@2026"
TERM_COUNTY = 18  # 县第十八届人民代表大会
TERM_START = datetime.date(2021, 12, 20)
# Each township's congress counts its own terms: long-standing towns are in their eighteenth to
# twentieth, towns formed by the 2019–2020 merger of townships in their second.
TOWNSHIP_TERMS = (18, 18, 19, 19, 20, 17, 2)
# Township constituencies elect one to three deputies each (选举法).
CONSTITUENCY_SIZES = (1, 2, 2, 3, 3)

TOWNSHIPS = [
    "陵江镇",
    "云峰镇",
    "唤马镇",
    "歧坪镇",
    "白驿镇",
    "龙王镇",
    "元坝镇",
    "东溪镇",
    "五龙镇",
    "永宁镇",
    "亭子镇",
    "浙水乡",
    "漓江镇",
    "文昌镇",
    "三川镇",
    "石门乡",
    "月山乡",
    "鸳溪镇",
    "东青镇",
    "运山镇",
    "桥溪乡",
    "岳东镇",
    "黄猫垭镇",
    "雍河镇",
    "彭店乡",
    "龙山镇",
    "高坡镇",
    "白山乡",
    "河地镇",
    "新观乡",
    "红军渡街道",
    "梨乡街道",
]
VILLAGE_STEMS = [
    "红旗",
    "柏杨",
    "桂花",
    "石龙",
    "青龙",
    "白鹤",
    "金鸡",
    "双河",
    "三合",
    "清泉",
    "新华",
    "玉泉",
    "马鞍",
    "观音",
    "大田",
    "龙潭",
    "凤凰",
    "永安",
    "太平",
    "梨园",
    "椒园",
    "回水",
    "鹿鸣",
    "朝阳",
    "松林",
    "花园",
]
SURNAMES = (
    "王李张刘陈杨赵黄周吴徐孙胡朱高林何郭马罗梁宋郑谢韩唐冯董程曹袁邓许傅沈曾彭吕苏卢蒋蔡贾丁魏薛叶"
    "余潘杜戴夏钟汪田任姜范方石姚谭廖邹熊金陆郝孔白崔康毛邱秦江史顾侯邵孟龙万段雷钱汤尹黎易常武乔贺赖龚文"
)
GIVEN = "国建明华英平芳军红志秀兰勇强伟丽敏静杰涛斌辉霞梅琴燕玲海波春林新德文成光荣福祥小永晓宇"
ETHNICITIES = ["汉族"] * 97 + ["回族", "羌族", "藏族"]
GROUPS = [
    ("司法和监察小组", "“法律进社区”活动,旁听庭审与监督司法"),
    ("社会建设小组", "基层治理与社会保障调研"),
    ("经济和营商环境小组", "优化营商环境,助力重点项目建设"),
    ("教育卫生小组", "调研“医养结合服务”与义务教育均衡发展"),
    ("农业农村小组", "监督“乡村振兴项目”实施"),
    ("城乡建设和生态环保小组", "城乡人居环境整治与嘉陵江生态保护"),
    ("文化旅游小组", "红色文化传承与全域旅游发展"),
    ("财政预算小组", "预算审查与国有资产管理监督"),
]
HANDLING_UNITS = [
    ("县发展和改革局", HandlingUnit.Kind.GOVERNMENT),
    ("县教育局", HandlingUnit.Kind.GOVERNMENT),
    ("县公安局", HandlingUnit.Kind.GOVERNMENT),
    ("县民政局", HandlingUnit.Kind.GOVERNMENT),
    ("县财政局", HandlingUnit.Kind.GOVERNMENT),
    ("县人力资源和社会保障局", HandlingUnit.Kind.GOVERNMENT),
    ("县自然资源和规划局", HandlingUnit.Kind.GOVERNMENT),
    ("县住房和城乡建设局", HandlingUnit.Kind.GOVERNMENT),
    ("县交通运输局", HandlingUnit.Kind.GOVERNMENT),
    ("县水利局", HandlingUnit.Kind.GOVERNMENT),
    ("县农业农村局", HandlingUnit.Kind.GOVERNMENT),
    ("县商务和经济合作局", HandlingUnit.Kind.GOVERNMENT),
    ("县文化广播电视和旅游局", HandlingUnit.Kind.GOVERNMENT),
    ("县卫生健康局", HandlingUnit.Kind.GOVERNMENT),
    ("县应急管理局", HandlingUnit.Kind.GOVERNMENT),
    ("县市场监督管理局", HandlingUnit.Kind.GOVERNMENT),
    ("县医疗保障局", HandlingUnit.Kind.GOVERNMENT),
    ("县林业局", HandlingUnit.Kind.GOVERNMENT),
    ("广元市苍溪生态环境局", HandlingUnit.Kind.GOVERNMENT),
    ("县退役军人事务局", HandlingUnit.Kind.GOVERNMENT),
    ("县综合行政执法局", HandlingUnit.Kind.GOVERNMENT),
    ("县经济信息化和科技局", HandlingUnit.Kind.GOVERNMENT),
    ("县人民法院", HandlingUnit.Kind.COURT),
    ("县人民检察院", HandlingUnit.Kind.PROCURATORATE),
    ("国网苍溪县供电公司", HandlingUnit.Kind.ENTERPRISE),
    ("县城市供排水有限公司", HandlingUnit.Kind.ENTERPRISE),
    ("陵江镇人民政府", HandlingUnit.Kind.TOWNSHIP),
    ("歧坪镇人民政府", HandlingUnit.Kind.TOWNSHIP),
]
# People by their highest level. 282 county deputies (seed); some of them also sit in their
# township's congress.
LEVEL_COUNTS = {Level.NATIONAL: 2, Level.PROVINCIAL: 5, Level.CITY: 28, Level.COUNTY: 282}
DEPUTY_TOTAL = 2192
COUNTY_ALSO_TOWNSHIP = 90
HOMES = 32
LIAISONS = 89
HIGHER_CONSTITUENCY = {Level.NATIONAL: "四川省", Level.PROVINCIAL: "广元市", Level.CITY: "苍溪县"}
HIGHER_TERMS = {Level.NATIONAL: 14, Level.PROVINCIAL: 14, Level.CITY: 9}


def is_subdistrict(township: Region) -> bool:
    """A 街道 has no congress of its own: its residents elect county deputies only."""
    return township.name.endswith("街道")


@dataclass
class DemoReport:
    counties_created: list[str] = field(default_factory=list)
    counties_skipped: list[str] = field(default_factory=list)
    users: list[tuple[str, str]] = field(default_factory=list)
    station_work: list[str] = field(default_factory=list)
    suggestions: list[str] = field(default_factory=list)


def county_identity(index: int) -> tuple[str, str]:
    """The first county is 苍溪县 (510824); benchmark copies get codes no real county uses."""
    if index == 0:
        return "510824", "苍溪县"
    return f"{519000 + index:06d}", f"苍溪县(演示副本{index + 1})"


def build_demo(*, scale: int = 1) -> DemoReport:
    report = DemoReport()
    for index in range(scale):
        code, name = county_identity(index)
        if Region.objects.filter(code=code).exists():
            report.counties_skipped.append(name)
            continue
        with transaction.atomic():
            CountyBuilder(code=code, name=name, seed=index).build()
        report.counties_created.append(name)
    report.users = ensure_demo_users()
    # Station work comes after the demo logins, so that the demo deputy's account is the one
    # the deputy's receptions are logged under.
    for index in range(scale):
        county = Region.objects.get(code=county_identity(index)[0])
        with transaction.atomic():
            if build_station_work(county, seed=index):
                report.station_work.append(county.name)
    # Suggestions come after station work: they grow from the opinions heard there and are
    # written by the deputies' accounts it creates.
    for index in range(scale):
        county = Region.objects.get(code=county_identity(index)[0])
        with transaction.atomic():
            if build_suggestions(county, seed=index):
                report.suggestions.append(county.name)
                grade_all_duty_records(Suggestion.objects.filter(county=county))
    # 三联 pairings, voters and key projects (through the services), and a year of trainings.
    for index in range(scale):
        county = Region.objects.get(code=county_identity(index)[0])
        with transaction.atomic():
            build_elections(county, seed=index)
            build_linkages(county, seed=index)
            build_trainings(county, seed=index)
            build_duty_reports(county, seed=index)
            build_deputy_acts(county, seed=index)
            build_public(county, seed=index)
            build_oversight(county, seed=index)
            build_plans(county, seed=index)
            build_legislation(county, seed=index)
            # The county congress's session: after the suggestions made at it.
            build_plenary(county, seed=index)
            build_mandates(county, seed=index)
    # Scores of the years the demo's records fall in (the nightly task keeps them current).
    today = timezone.localdate()
    for year in (today.year - 1, today.year):
        compute_scores(year)
    # Last year's duty-report evaluation closes on the scores: results, rectifications, 优秀代表.
    for index in range(scale):
        county = Region.objects.get(code=county_identity(index)[0])
        with transaction.atomic():
            close_last_campaign(county, seed=index)
    # Rosters were bulk-written without signals: cached lists (core.listcache) must not outlive them.
    listcache.bump()
    return report


class CountyBuilder:
    def __init__(self, *, code: str, name: str, seed: int):
        self.code = code
        self.name = name
        self.rng = random.Random(f"cangxi-{seed}")
        self.used_names: set[str] = set()
        self.used_ids: set[str] = set()
        self.phone_counter = 0

    def build(self) -> Region:
        self.county = Region.objects.create(
            code=self.code, name=self.name, level=Region.Level.COUNTY
        )
        self._regions()
        self._stations()
        self._deputies()
        self._groups()
        self._handling_units()
        return self.county

    # Regions and stations -------------------------------------------------------------------

    def _regions(self) -> None:
        townships = [
            Region(
                code=f"{self.code}{101 + i:03d}000",
                name=name,
                level=Region.Level.TOWNSHIP,
                parent=self.county,
                county=self.county,
            )
            for i, name in enumerate(TOWNSHIPS)
        ]
        self.townships = Region.objects.bulk_create(townships)
        villages = []
        for township in self.townships:
            stems = self.rng.sample(VILLAGE_STEMS, self.rng.randint(5, 8))
            for j, stem in enumerate(stems):
                # A town's seat is a community; a 街道 is made of communities.
                suffix = "社区" if j == 0 or is_subdistrict(township) else "村"
                villages.append(
                    Region(
                        code=f"{township.code[:9]}{201 + j:03d}",
                        name=f"{stem}{suffix}",
                        level=Region.Level.VILLAGE,
                        parent=township,
                        county=self.county,
                    )
                )
        self.villages = Region.objects.bulk_create(villages)
        self.villages_by_township: dict[int, list[Region]] = {}
        for village in self.villages:
            self.villages_by_township.setdefault(village.parent_id, []).append(village)
        self.township_terms = {
            t.pk: self.rng.choice(TOWNSHIP_TERMS) for t in self.townships if not is_subdistrict(t)
        }

    def _stations(self) -> None:
        # 89 liaison stations over 32 townships: 25 townships get three, 7 get two.
        liaison_counts = [3] * (LIAISONS - 2 * HOMES) + [2] * (HOMES * 3 - LIAISONS)
        self.rng.shuffle(liaison_counts)
        stations = []
        for township, n_liaisons in zip(self.townships, liaison_counts, strict=True):
            office = "办事处" if is_subdistrict(township) else "人民政府"
            stations.append(
                Station(
                    name=f"{township.name}人大代表之家",
                    kind=Station.Kind.HOME,
                    county=self.county,
                    township=township,
                    address=f"{self.name}{township.name}{office}便民服务中心二楼",
                    phone=f"0839-57{self.rng.randint(10000, 99999)}",
                    reception_day=self.rng.choice([5, 10, 15, 20, 25]),
                )
            )
            for village in self.villages_by_township[township.pk][:n_liaisons]:
                stations.append(
                    Station(
                        name=f"{village.name}人大代表联络站",
                        kind=Station.Kind.LIAISON,
                        county=self.county,
                        township=township,
                        village=village,
                        address=f"{township.name}{village.name}党群服务中心",
                        phone=f"0839-57{self.rng.randint(10000, 99999)}",
                        reception_day=self.rng.choice([5, 10, 15, 20, 25]),
                    )
                )
        for station in stations:
            fill_name_keys(station)
        self.stations = Station.objects.bulk_create(stations)
        self.homes = {s.township_id: s for s in self.stations if s.kind == Station.Kind.HOME}
        self.stations_by_township: dict[int, list[Station]] = {}
        for station in self.stations:
            self.stations_by_township.setdefault(station.township_id, []).append(station)

    # Deputies -------------------------------------------------------------------------------

    def _person(self, station: Station, *, min_age: int = 28, max_age: int = 62) -> Deputy:
        rng = self.rng
        while True:
            name = rng.choice(SURNAMES) + "".join(
                rng.choice(GIVEN) for _ in range(rng.choice((1, 2)))
            )
            if name not in self.used_names or rng.random() < 0.05:  # some namesakes, as in life
                break
        self.used_names.add(name)
        gender = "F" if rng.random() < 0.3 else "M"
        birth = datetime.date(
            2026 - rng.randint(min_age, max_age), rng.randint(1, 12), rng.randint(1, 28)
        )
        while True:
            id_number = make_id_number(self.code, birth, rng.randint(0, 499), gender)
            if id_number not in self.used_ids:
                break
        self.used_ids.add(id_number)
        self.phone_counter += 1
        phone = f"1{rng.choice('3589')}{rng.randint(0, 9)}{int(self.code) % 10000:04d}{self.phone_counter:04d}"
        occupation = rng.choices(
            list(Occupation),
            weights=[14, 38, 14, 18, 0, 10, 1, 5],  # no 村(社区)干部 in the demo
        )[0]
        return Deputy(
            name=name,
            gender=gender,
            ethnicity=rng.choice(ETHNICITIES),
            birth_date=birth,
            id_number=id_number,
            phone=phone,
            party=rng.choices(
                [Party.CPC, Party.CPC_PROBATIONARY, Party.CDL, Party.NONPARTISAN, Party.NONE],
                weights=[64, 3, 5, 3, 25],
            )[0],
            education=rng.choices(list(Education), weights=[6, 30, 30, 20, 14])[0],
            occupation=occupation,
            workplace=self._workplace(occupation, station),
            station=station,
        )

    def _workplace(self, occupation: str, station: Station) -> str:
        """Where a deputy works, named as the place has it: a 街道 has a 社区卫生服务中心 and a
        党工委, a town a 中心卫生院 and a 党委, a community residents rather than villagers."""
        township = station.township.name
        subdistrict = township.endswith("街道")
        place = station.village.name if station.village_id else township
        in_community = subdistrict or place.endswith("社区")
        if subdistrict:
            clinic = f"{township}社区卫生服务中心医生"
        elif township.endswith("乡"):
            clinic = f"{township}卫生院医生"
        else:
            clinic = f"{township}中心卫生院医生"
        return {
            Occupation.WORKER: f"{self.name}红心猕猴桃产业园职工",
            Occupation.FARMER: (
                f"{place}居民"
                if in_community
                else f"{place}村民"
                if station.village_id
                else f"{township}农民"
            ),
            Occupation.PROFESSIONAL: clinic,
            Occupation.CADRE: f"{township}{'党工委委员' if subdistrict else '党委委员'}",
            Occupation.ENTREPRENEUR: (
                f"{place}商贸有限公司负责人" if subdistrict else f"{place}农业专业合作社理事长"
            ),
            Occupation.MILITARY: "县人武部干部",
            Occupation.OTHER: f"{place}个体工商户",
        }[occupation]

    def _deputies(self) -> None:
        rng = self.rng
        people: list[tuple[Deputy, list[Mandate]]] = []
        # Township deputies of each township's congress, to be put in constituencies at the end.
        township_seats: dict[int, list[Mandate]] = {}

        def mandate(level, constituency, direct, term):
            return Mandate(
                level=level,
                term=term,
                constituency=constituency,
                directly_elected=direct,
                started_on=TERM_START,
            )

        def township_mandate(township: Region) -> Mandate:
            seat = mandate(Level.TOWNSHIP, "", True, self.township_terms[township.pk])
            township_seats.setdefault(township.pk, []).append(seat)
            return seat

        with_congress = [t for t in self.townships if not is_subdistrict(t)]
        # Deputies to the national, provincial and city congresses are elected by the congress
        # below; each is stationed where they live and work, across the county.
        for level in (Level.NATIONAL, Level.PROVINCIAL, Level.CITY):
            for _ in range(LEVEL_COUNTS[level]):
                township = rng.choice(self.townships)
                station = rng.choice(self.stations_by_township[township.pk])
                mandates = [mandate(level, HIGHER_CONSTITUENCY[level], False, HIGHER_TERMS[level])]
                people.append((self._person(station, min_age=35), mandates))

        also_township = 0
        for i in range(LEVEL_COUNTS[Level.COUNTY]):
            township = self.townships[i % len(self.townships)]
            stations = self.stations_by_township[township.pk]
            station = stations[i // len(self.townships) % len(stations)]
            mandates = [
                mandate(
                    Level.COUNTY,
                    f"{township.name}第{i // len(self.townships) + 1}选区",
                    True,
                    TERM_COUNTY,
                )
            ]
            if also_township < COUNTY_ALSO_TOWNSHIP and not is_subdistrict(township):
                mandates.append(township_mandate(township))
                also_township += 1
            people.append((self._person(station, min_age=35), mandates))

        remaining = DEPUTY_TOTAL - len(people)
        for i in range(remaining):
            township = with_congress[i % len(with_congress)]
            station = rng.choice(self.stations_by_township[township.pk])
            people.append((self._person(station), [township_mandate(township)]))

        # Township constituencies of one to three deputies each, numbered per township.
        for township in with_congress:
            seats = township_seats.get(township.pk, [])
            number = 0
            while seats:
                number += 1
                size = rng.choice(CONSTITUENCY_SIZES)
                for seat in seats[:size]:
                    seat.constituency = f"{township.name}第{number}选区"
                seats = seats[size:]

        for person, _ in people:
            person.fill_hashes()
        deputies = Deputy.objects.bulk_create([person for person, _ in people], batch_size=1000)
        all_mandates = []
        for deputy, mandates in zip(deputies, (m for _, m in people), strict=True):
            for m in mandates:
                m.deputy = deputy
                all_mandates.append(m)
        Mandate.objects.bulk_create(all_mandates, batch_size=2000)
        self.county_deputies = [
            d
            for d, (_, mandates) in zip(deputies, people, strict=True)
            if any(m.level == Level.COUNTY for m in mandates)
        ]
        self.deputies = deputies

    def _groups(self) -> None:
        groups = DeputyGroup.objects.bulk_create(
            [DeputyGroup(name=name, county=self.county, theme=theme) for name, theme in GROUPS]
        )
        Membership = DeputyGroup.members.through
        rows = []
        for i, deputy in enumerate(self.county_deputies):
            rows.append(Membership(deputygroup_id=groups[i % len(groups)].pk, deputy_id=deputy.pk))
        Membership.objects.bulk_create(rows)
        for i, group in enumerate(groups):
            group.leader = self.county_deputies[i]
        DeputyGroup.objects.bulk_update(groups, ["leader"])

    def _handling_units(self) -> None:
        HandlingUnit.objects.bulk_create(
            [
                HandlingUnit(
                    name=name,
                    county=self.county,
                    kind=kind,
                    contact_person=self.rng.choice(SURNAMES) + self.rng.choice(GIVEN),
                    phone=f"0839-52{self.rng.randint(10000, 99999)}",
                )
                for name, kind in HANDLING_UNITS
            ]
        )
        HandlingUnit.objects.link_townships_by_name(self.county.pk)


def ensure_demo_users() -> list[tuple[str, str]]:
    """One login per role in the first county, all with DEMO_PASSWORD; updated in place."""
    county = Region.objects.get(code=county_identity(0)[0])
    township = Region.objects.get(county=county, level=Region.Level.TOWNSHIP, name=TOWNSHIPS[0])
    home = Station.objects.get(township=township, kind=Station.Kind.HOME)
    deputy = (
        Deputy.objects.filter(station=home, mandates__level=Level.COUNTY, mandates__is_active=True)
        .order_by("pk")
        .first()
    )
    unit = HandlingUnit.objects.get(county=county, name="县交通运输局")
    member_deputy = (
        Deputy.objects.filter(station__county=county, mandates__level=Level.COUNTY)
        .exclude(pk=deputy.pk)
        .order_by("pk")
        .first()
    )
    specs = [
        (
            "admin",
            "系统管理员",
            {"role": Role.ADMINISTRATOR, "is_superuser": True, "is_staff": True},
        ),
        (
            "staff",
            "县人大常委会代表工委 王晓",
            {"role": Role.COMMITTEE_STAFF, "county": county, "is_staff": True},
        ),
        (
            "township",
            f"{township.name}人大主席团 李敏",
            {"role": Role.TOWNSHIP_STAFF, "township": township},
        ),
        ("keeper", f"{home.name}管理员 张芳", {"role": Role.STATION_KEEPER, "station": home}),
        ("deputy", deputy.name, {"role": Role.DEPUTY, "deputy": deputy}),
        ("unit", f"{unit.name} 联络员", {"role": Role.HANDLING_UNIT, "handling_unit": unit}),
        (
            "member",
            member_deputy.name,
            {"role": Role.COMMITTEE_MEMBER, "county": county, "deputy": member_deputy},
        ),
    ]
    accounts = []
    for username, full_name, fields in specs:
        defaults = {
            "full_name": full_name,
            "is_staff": False,
            "is_superuser": False,
            "is_active": True,
        }
        defaults.update(fields)
        user, _ = User.objects.update_or_create(username=username, defaults=defaults)
        user.set_password(DEMO_PASSWORD)
        user.save(update_fields=["password"])
        accounts.append((username, user.get_role_display()))
    return accounts
