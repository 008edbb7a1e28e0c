"""Demo 三联 for the county: every member of the standing committee (组成人员, the demo member
and thirty colleagues) paired with three grassroots deputies (the seed: 90+ pairings; the demo
deputy is paired with the demo member) with a few contacts each, and the demo deputy's linked
voters with visits, written through linkages.services so every contact is a duty act as on the
pages."""

import datetime
import random

from django.utils import timezone

from accounts.models import Role, User
from directory.models import Deputy, DeputyGroup, Level, Occupation
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
# Each group's themed tasks this year, and its activities (title, place) under each task.
GROUP_WORK = {
    "司法和监察小组": [
        (
            "“法律进社区”普法宣传",
            [("走进社区开展《民法典》宣讲", "红军渡街道社区"), ("参与矛盾纠纷调解", "陵江镇")],
        ),
        (
            "旁听庭审与监督司法",
            [("旁听县人民法院民事案件庭审", "县人民法院"), ("座谈基层法庭工作", "县人民法院")],
        ),
    ],
    "社会建设小组": [
        ("基层治理调研", [("调研网格化管理", "梨乡街道"), ("座谈村(社区)减负工作", "县民政局")]),
        ("社会保障政策落实情况调研", [("走访特困供养服务中心", "县民政局")]),
    ],
    "经济和营商环境小组": [
        (
            "优化营商环境专题调研",
            [
                ("走访园区企业听取诉求", "苍溪经济开发区"),
                ("座谈政务服务“一网通办”", "县政务服务中心"),
            ],
        ),
        ("助力重点项目建设", [("视察重点项目推进情况", "县城")]),
    ],
    "教育卫生小组": [
        (
            "调研“医养结合服务”",
            [("走访县中医院医养中心", "县中医院"), ("座谈基层卫生院医养结合", "元坝镇中心卫生院")],
        ),
        ("义务教育均衡发展调研", [("视察乡村学校办学条件", "歧坪镇")]),
    ],
    "农业农村小组": [
        (
            "监督“乡村振兴项目”实施",
            [("视察红心猕猴桃产业园", "苍溪县红心猕猴桃产业园"), ("调研高标准农田建设", "白驿镇")],
        ),
        ("农村人居环境整治回头看", [("走访村组查看改厕和垃圾收运", "东溪镇")]),
    ],
    "城乡建设和生态环保小组": [
        (
            "嘉陵江生态保护监督",
            [("视察嘉陵江禁捕退捕工作", "亭子镇"), ("调研污水处理设施运行", "县城")],
        ),
        ("城乡人居环境整治", [("视察老旧小区改造", "陵江镇")]),
    ],
    "文化旅游小组": [
        ("红色文化传承", [("调研红军渡纪念地保护利用", "红军渡街道")]),
        ("全域旅游发展调研", [("座谈梨文化旅游节筹办", "梨乡街道"), ("视察乡村旅游点", "云峰镇")]),
    ],
    "财政预算小组": [
        ("预算审查监督", [("座谈预算执行情况", "县财政局"), ("审查部门预算草案", "县人大常委会")]),
        ("国有资产管理监督", [("调研行政事业单位国有资产管理", "县财政局")]),
    ],
}
# The standing committee's other members: 主任、副主任、秘书长 and 委员, thirty in all.
COLLEAGUES = 30
# Who a member pairs with: grassroots deputies (基层代表), not officials.
GRASSROOTS = (
    Occupation.FARMER,
    Occupation.WORKER,
    Occupation.VILLAGE_CADRE,
    Occupation.PROFESSIONAL,
    Occupation.OTHER,
)


def _colleagues(county, taken: set[int]) -> tuple[list[User], list[int]]:
    """The other members of the standing committee, named after county deputies (组成人员 are
    deputies themselves), with no password (they do not sign in to the demo). Their accounts are
    not linked to the deputy: each deputy already has their own deputy account."""
    deputies = list(
        Deputy.objects.filter(
            station__county=county,
            mandates__level=Level.COUNTY,
            mandates__is_active=True,
            occupation__in=(Occupation.CADRE, Occupation.ENTREPRENEUR, Occupation.PROFESSIONAL),
        )
        .exclude(pk__in=taken)
        .order_by("pk")[:COLLEAGUES]
    )
    members = []
    for index, deputy in enumerate(deputies):
        user, created = User.objects.get_or_create(
            username=f"cw{county.code}{index:02d}",
            defaults={
                "full_name": deputy.name,
                "role": Role.COMMITTEE_MEMBER,
                "county": county,
            },
        )
        if created:
            user.set_unusable_password()
            user.save(update_fields=["password"])
        members.append(user)
    return members, [deputy.pk for deputy in deputies]


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
    colleagues, colleague_deputies = _colleagues(county, {deputy_user.deputy_id, member.deputy_id})
    members = [member, *colleagues]
    taken = {m.deputy_id for m in members} | {deputy_user.deputy_id} | set(colleague_deputies)
    grassroots = list(
        Deputy.objects.filter(
            station__county=county,
            mandates__level=Level.COUNTY,
            mandates__is_active=True,
            occupation__in=GRASSROOTS,
        )
        .exclude(pk__in=taken)
        .order_by("pk")
    )
    rng.shuffle(grassroots)
    for each in members:
        if each == member:
            paired = [deputy_user.deputy, *grassroots[:2]]
            grassroots = grassroots[2:]
        else:
            paired, grassroots = grassroots[:3], grassroots[3:]
        started_on = today - datetime.timedelta(days=rng.randint(300, 700))
        for deputy in paired:
            link = services.member_link_create(
                user=staff, member=each, deputy=deputy, started_on=started_on
            )
            for _ in range(rng.randint(2, 4) if each == member else rng.randint(1, 3)):
                services.member_contact_log(
                    user=each,
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
    build_group_work(county, staff=staff, rng=rng, today=today)
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


def build_group_work(county, *, staff: User, rng: random.Random, today: datetime.date) -> None:
    """This year's themed tasks of each 代表小组 and their activities, each a duty act of the
    members who took part (through linkages.services, as on the group's page)."""
    for group in DeputyGroup.objects.filter(county=county).order_by("pk"):
        members = list(group.members.order_by("pk"))
        if not members:
            continue
        for task_title, activities in GROUP_WORK.get(group.name, []):
            task = services.group_task_add(
                user=staff,
                group=group,
                year=today.year,
                title=task_title,
                description=f"{group.name}{today.year}年专题任务:{task_title}。",
            )
            for title, place in activities:
                # Spread over the year so far, never after today.
                days = rng.randint(0, max((today - datetime.date(today.year, 1, 1)).days - 1, 0))
                participants = rng.sample(members, min(len(members), rng.randint(6, 15)))
                if group.leader_id and group.leader not in participants:
                    participants.append(group.leader)
                services.group_activity_log(
                    user=staff,
                    group=group,
                    task=task,
                    date=datetime.date(today.year, 1, 1) + datetime.timedelta(days=days),
                    title=title,
                    place=place,
                    summary=f"{group.name}组织代表{title},形成意见建议报送常委会。",
                    participants=participants,
                )
