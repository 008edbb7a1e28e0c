"""Demo 五个一 acts deputies record on their phones: 小难题 they solved this year and last, and the
households in difficulty they help (帮扶对象) with their visits; and the receptions whose opinions
were answered at the station graded as problems solved. Deterministic, bulk-written as the
services would leave them (each a duty act), nothing dated after today."""

import datetime
import random

from django.contrib.contenttypes.models import ContentType
from django.db.models import Exists, OuterRef
from django.utils import timezone

from accounts.models import Role, User
from deputies.models import AidHousehold, AidVisit, DutyRecord, ReceptionGrade, SmallProblem
from deputies.services import duty_records_grade_many
from directory.models import Deputy
from stations.models import Opinion, Reception

PROBLEMS = [
    ("村委会", "帮助王大爷办理了养老保险待遇认证"),
    ("三组院坝", "协调疏通了堵塞多年的排水沟"),
    ("社区活动室", "帮助困难家庭申请了临时救助"),
    ("村道路口", "联系供电所修复了损坏的路灯"),
    ("农户家中", "帮助留守老人预约了家庭医生上门服务"),
    ("集镇农贸市场", "协调解决了摊位占道影响通行的问题"),
    ("村小学门口", "联系交警设置了上下学减速标志"),
]
HOUSEHOLDS = [
    ("独居老人,行动不便", "每月上门一次,帮助购买生活用品、打扫卫生"),
    ("因病致困,子女在外务工", "协助申请医疗救助,定期送药上门"),
    ("残疾人家庭,收入低", "帮助联系公益性岗位,代办残疾人补贴"),
    ("留守儿童家庭", "定期看望,资助学习用品,联系学校关心"),
]
HELP = [
    "送去米油等生活用品",
    "帮助打扫卫生、检查用电安全",
    "了解身体状况,联系村医上门",
    "帮助办理补贴申领",
]
SURNAMES = "王李张刘陈杨赵黄周吴"
GIVEN = ["秀英", "桂兰", "德明", "国富", "玉珍", "长生", "淑芬", "永清"]


def _day(rng: random.Random, start: datetime.date, end: datetime.date) -> datetime.date:
    return start + datetime.timedelta(days=rng.randrange(0, max(1, (end - start).days + 1)))


def build_deputy_acts(county, *, seed: int = 0) -> bool:
    if SmallProblem.objects.filter(deputy__county=county).exists():
        return False
    rng = random.Random(f"deputy-acts-{county.code}-{seed}")
    today = timezone.localdate()
    start = datetime.date(today.year - 1, 1, 1)
    staff = (
        User.objects.filter(role=Role.COMMITTEE_STAFF, county=county).order_by("pk").first()
        or User.objects.filter(role=Role.ADMINISTRATOR).order_by("pk").first()
    )
    deputies = list(
        Deputy.objects.filter(county=county, station__isnull=False)
        .select_related("user", "station__village")
        .order_by("pk")
    )
    problems, households = [], []
    for deputy in deputies:
        recorder = getattr(deputy, "user", None) or staff
        for _ in range(rng.choice([0, 0, 1, 1, 2])):
            place, text = rng.choice(PROBLEMS)
            problems.append(
                SmallProblem(
                    deputy=deputy,
                    solved_on=_day(rng, start, today),
                    place=place,
                    description=text,
                    recorded_by=recorder,
                )
            )
        if rng.random() < 0.35:
            difficulty, plan = rng.choice(HOUSEHOLDS)
            village = deputy.station.village.name if deputy.station.village else ""
            households.append(
                AidHousehold(
                    deputy=deputy,
                    head_name=rng.choice(SURNAMES) + rng.choice(GIVEN),
                    address=f"{village}{rng.randrange(1, 9)}组",
                    difficulty=difficulty,
                    help_plan=plan,
                    since=_day(rng, start, today - datetime.timedelta(days=60)),
                    created_by=recorder,
                )
            )
    problems = SmallProblem.objects.bulk_create(problems, batch_size=1000)
    households = AidHousehold.objects.bulk_create(households, batch_size=1000)
    visits = AidVisit.objects.bulk_create(
        [
            AidVisit(
                household=household,
                visited_on=_day(rng, household.since, today),
                help_given=rng.choice(HELP),
                recorded_by=household.created_by,
            )
            for household in households
            for _ in range(rng.randrange(1, 5))
        ],
        batch_size=1000,
    )
    types = ContentType.objects.get_for_models(SmallProblem, AidHousehold, AidVisit)
    K = DutyRecord.Kind
    records = (
        [
            DutyRecord(
                deputy_id=p.deputy_id,
                kind=K.SMALL_PROBLEM,
                occurred_on=p.solved_on,
                title=f"解决群众小难题:{p.description[:60]}",
                source_type=types[SmallProblem],
                source_id=p.pk,
            )
            for p in problems
        ]
        + [
            DutyRecord(
                deputy_id=h.deputy_id,
                kind=K.AID,
                occurred_on=h.since,
                title=f"结对帮扶困难群众:{h.address}",
                source_type=types[AidHousehold],
                source_id=h.pk,
            )
            for h in households
        ]
        + [
            DutyRecord(
                deputy_id=v.household.deputy_id,
                kind=K.AID,
                occurred_on=v.visited_on,
                title=f"走访帮扶对象:{v.household.address}",
                source_type=types[AidVisit],
                source_id=v.pk,
            )
            for v in visits
        ]
    )
    DutyRecord.objects.bulk_create(records, batch_size=1000, ignore_conflicts=True)
    grade_answered_receptions(county)
    return True


def grade_answered_receptions(county) -> None:
    """Receptions with an opinion answered at the station (not forwarded) solved a problem."""
    answered = Opinion.objects.filter(
        reception_id=OuterRef("pk"),
        handling_unit__isnull=True,
        answered_at__isnull=False,
    )
    duty_records_grade_many(
        model=Reception,
        kind=DutyRecord.Kind.RECEPTION,
        sources_by_grade={
            ReceptionGrade.ANSWERED: Reception.objects.filter(
                reception_day__station__county=county
            ).filter(Exists(answered))
        },
    )
