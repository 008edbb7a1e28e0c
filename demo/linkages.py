"""Demo 三联 for the county: the demo committee member paired with three grassroots deputies
(the demo deputy among them) with a few contacts each, and the demo deputy's linked voters with
visits, written through linkages.services so every contact is a duty act as on the pages."""

import datetime
import random

from django.utils import timezone

from accounts.models import Role, User
from directory.models import Deputy, Level
from linkages import services
from linkages.models import ContactMode, KeyProject, MemberLink, ProjectProblem

SURNAMES = "王李张刘陈杨赵黄周吴"
GIVEN = ["建国", "秀英", "德明", "桂花", "志强", "玉兰", "长富", "春梅"]
SUMMARIES = [
    "面对面听取代表对乡村道路养护的意见",
    "了解代表所在村产业发展情况",
    "听取代表转达的群众关于养老服务的诉求",
]
PROJECTS = [
    (
        "苍溪红心猕猴桃产业园提升项目",
        [("冷链仓储用地需协调", True), ("园区道路硬化资金缺口", True), ("电力增容", False)],
    ),
    (
        "县城老旧小区改造项目",
        [("管网迁改需多部门协调", True), ("部分住户意见不一", False)],
    ),
]
VISITS = ["入户走访,了解家庭生产生活情况", "电话联系,听取对村务公开的意见", "院坝会上交流"]


def build_linkages(county, *, seed: int = 0, today: datetime.date | None = None) -> bool:
    if MemberLink.objects.filter(deputy__station__county=county).exists():
        return False
    today = today or timezone.localdate()
    rng = random.Random(f"linkages-{county.code}-{seed}")
    staff = User.objects.filter(role=Role.COMMITTEE_STAFF, county=county).first()
    member = User.objects.filter(role=Role.COMMITTEE_MEMBER, county=county).first()
    deputy_user = User.objects.filter(role=Role.DEPUTY, deputy__station__county=county).first()
    if staff is None or member is None or deputy_user is None:
        return False
    grassroots = list(
        Deputy.objects.filter(
            station__county=county, mandates__level=Level.COUNTY, mandates__is_active=True
        )
        .exclude(pk=deputy_user.deputy_id)
        .exclude(pk=member.deputy_id)
        .order_by("pk")[:40]
    )
    paired = [deputy_user.deputy, *rng.sample(grassroots, 2)]
    for deputy in paired:
        link = services.member_link_create(
            user=staff,
            member=member,
            deputy=deputy,
            started_on=today - datetime.timedelta(days=300),
        )
        for _ in range(rng.randint(2, 4)):
            services.member_contact_log(
                user=member,
                link=link,
                date=today - datetime.timedelta(days=rng.randint(1, 280)),
                mode=rng.choice(ContactMode.values),
                summary=rng.choice(SUMMARIES),
            )
    for name, problems in PROJECTS:
        project = KeyProject.objects.create(
            county=county,
            name=name,
            leader=member,
            started_on=today - datetime.timedelta(days=330),
            description=f"{name},常委会领导定点联系,协调解决推进中的困难和问题。",
        )
        for description, solved in problems:
            problem = services.problem_add(
                user=member,
                project=project,
                description=description,
                raised_on=today - datetime.timedelta(days=rng.randint(120, 300)),
            )
            if solved:
                services.problem_update(
                    user=member,
                    problem=problem,
                    status=ProjectProblem.Status.SOLVED,
                    resolution="召开现场协调会,相关部门限时解决",
                    solved_on=problem.raised_on + datetime.timedelta(days=rng.randint(10, 60)),
                )
    deputy = deputy_user.deputy
    villages = list(deputy.station.township.children.order_by("pk")[:3])
    for i in range(6):
        voter = services.voter_add(
            user=deputy_user,
            deputy=deputy,
            name=rng.choice(SURNAMES) + rng.choice(GIVEN),
            phone=f"139{rng.randint(10_000_000, 99_999_999)}",
            village=villages[i % len(villages)] if villages else None,
        )
        for _ in range(rng.randint(1, 3)):
            services.voter_contact_log(
                user=deputy_user,
                voter=voter,
                date=today - datetime.timedelta(days=rng.randint(1, 200)),
                mode=rng.choice([ContactMode.FACE_TO_FACE, ContactMode.PHONE]),
                summary=rng.choice(VISITS),
            )
    return True
