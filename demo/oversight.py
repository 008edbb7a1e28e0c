"""Demo 监督 for the county: a year of monthly standing-committee meetings with the members
present, deputies invited by the rotation (never a member of the committee) and citizens
observing, three law-enforcement inspections whose recommendations were mostly adopted, 审议意见
on two inspection reports and a work report (one reported back, heard with an anonymous vote and
published; one overdue; one not yet due), three supervision topics through the loop (one
satisfied, one rectified and published, one still rectifying; the members' votes anonymous), and
one major matter two steps in. Written through oversight.services, so participation becomes duty
records as on the pages."""

import datetime
import random
from collections import Counter

from django.utils import timezone

from accounts.models import Role, User
from directory.models import HandlingUnit
from oversight import selectors, services
from oversight.models import Inspection
from stations.models import Opinion, OpinionCategory

AGENDAS = [
    "听取和审议县人民政府关于安全生产工作情况的报告",
    "听取和审议县人民政府关于乡村振兴工作情况的报告",
    "审查和批准县级决算",
    "听取和审议县人民法院关于民事审判工作情况的报告",
    "听取和审议县人民政府关于国有资产管理情况的综合报告",
    "听取和审议县人民检察院关于公益诉讼检察工作情况的报告",
    "听取和审议县人民政府关于上半年计划和预算执行情况的报告",
    "听取和审议关于《四川省古树名木保护条例》执法检查情况的报告",
    "听取和审议县人民政府关于养老服务体系建设情况的报告",
    "听取和审议县人民政府关于农村饮水安全工作情况的报告",
    "人事任免事项",
    "听取和审议县人民政府关于县城污水处理设施建设情况的报告",
]
MEMBER_NAMES = ["何志刚", "罗素琴", "蒲建华", "向明德", "杜晓燕", "侯国庆"]
OBSERVERS = [("陈德文", "陵江镇居民"), ("张玉梅", "云峰镇教师"), ("李建川", "个体工商户")]
INSPECTIONS = [
    (
        "中华人民共和国安全生产法",
        Inspection.Joint.CITY,
        ["site_visit", "forum", "spot_check", "ledger_review"],
        "县城加油站、猕猴桃加工企业、在建工地",
        [
            ("县应急管理局", "建立重点行业领域安全风险分级管控清单,每季度通报"),
            ("县应急管理局", "加强乡镇应急管理站专职人员配备"),
            ("县住房和城乡建设局", "在建工地落实特种作业人员持证上岗,开展专项检查"),
            ("县市场监督管理局", "加强特种设备定期检验,消除超期未检隐患"),
            ("县人民法院", "对安全生产领域典型案例开展以案释法"),
        ],
    ),
    (
        "四川省古树名木保护条例",
        Inspection.Joint.PROVINCE,
        ["site_visit", "forum", "ledger_review"],
        "歧坪镇、元坝镇、白驿镇古树群",
        [
            ("县林业局", "完成古树名木普查建档和挂牌保护"),
            ("县林业局", "落实古树名木日常养护责任人和经费"),
            ("县自然资源和规划局", "规划建设项目避让古树名木保护范围"),
            ("县人民检察院", "探索古树名木保护公益诉讼"),
        ],
    ),
    (
        "中华人民共和国道路交通安全法",
        Inspection.Joint.COUNTY,
        ["site_visit", "spot_check"],
        "国道212线沿线、农村客运站点",
        [
            ("县公安局", "加强农村面包车、摩托车违法载人整治"),
            ("县交通运输局", "完善农村公路急弯陡坡安全防护设施"),
            ("县交通运输局", "落实农村客运班线安全例检"),
        ],
    ),
]
TOPICS = [
    # (title, unit, opinion category, meeting index (months ago), votes, outcome)
    ("农村饮水安全保障", "县水利局", OpinionCategory.WATER, 8, "satisfied"),
    ("城乡养老服务体系建设", "县民政局", OpinionCategory.ELDERLY_MEDICAL, 5, "rectified"),
    ("农村公路养护管理", "县交通运输局", OpinionCategory.ROADS, 0, "rectifying"),
]
VOTES = {
    "satisfied": ["satisfied"] * 4 + ["basic"] * 2 + ["unsatisfied"],
    "rectified": ["satisfied"] * 2 + ["basic"] + ["unsatisfied"] * 4,
    "rectifying": ["satisfied", "basic"] + ["unsatisfied"] * 5,
}


def build_oversight(county, *, seed: int = 0, today: datetime.date | None = None) -> bool:
    if Inspection.objects.filter(county=county).exists():
        return False
    staff = User.objects.filter(role=Role.COMMITTEE_STAFF, county=county).order_by("pk").first()
    if staff is None:
        return False
    today = today or timezone.localdate()
    rng = random.Random(f"oversight-{county.code}-{seed}")
    units = {u.name: u for u in HandlingUnit.objects.filter(county=county)}
    members = _members(county)
    meetings = _meetings(county, staff, rng, today, members)
    eligible = list(selectors.eligible_attendees(county.pk).order_by("pk"))
    for index, (law, joint, methods, sites, recommendations) in enumerate(INSPECTIONS):
        start = today - datetime.timedelta(days=300 - index * 90)
        inspection = services.inspection_save(
            user=staff,
            county=county,
            law=law,
            joint=joint,
            start_date=start,
            end_date=start + datetime.timedelta(days=3),
            plan=f"按照县人大常委会年度监督工作计划,组织部分常委会组成人员和县人大代表对《{law}》贯彻实施情况开展执法检查。",
            sites=sites,
            methods=methods,
            deputies=rng.sample(eligible, 8),
            members=rng.sample(members, 3),
            findings="法律宣传普及不够深入;部分单位主体责任落实不到位;基层执法力量薄弱。",
            report="检查组建议县人民政府及有关部门、司法机关进一步压实责任,完善制度,强化执法。",
            reported_on=start + datetime.timedelta(days=30),
        )
        for number, (unit_name, content) in enumerate(recommendations):
            rec = services.recommendation_add(
                user=staff, inspection=inspection, unit=units[unit_name], content=content
            )
            if index == len(INSPECTIONS) - 1 and number == len(recommendations) - 1:
                continue  # the latest inspection's last recommendation awaits its answer
            adopted = not (index == 0 and number == 3)
            services.recommendation_decide(
                user=staff,
                recommendation=rec,
                status="adopted" if adopted else "not_adopted",
                evidence="已制定整改方案并落实,相关文件已报县人大常委会备案。"
                if adopted
                else "受经费限制,纳入明年工作计划统筹考虑。",
                decided_on=min(start + datetime.timedelta(days=75), today),
            )
    _review_opinions(county, staff, today, units, meetings, members)
    for title, unit_name, category, months_ago, outcome in TOPICS:
        _topic(
            county,
            staff,
            rng,
            today,
            title,
            units[unit_name],
            category,
            members,
            outcome,
            meetings[len(meetings) - 1 - months_ago],
            eligible,
        )
    matter = services.matter_create(
        user=staff,
        county=county,
        title="县人大常委会听取和审议县级国有资产管理情况综合报告",
        description="按照《中共苍溪县委关于建立县人大常委会重大事项请示报告制度的意见》报告县委。",
    )
    for step, days_ago, document in (
        ("before", 60, "苍人常〔2026〕12号 关于审议国有资产管理情况综合报告的请示"),
        ("during", 20, "苍人常〔2026〕19号 关于国有资产管理情况专题调研进展的汇报"),
    ):
        services.matter_step_record(
            user=staff,
            matter=matter,
            step=step,
            date=today - datetime.timedelta(days=days_ago),
            document=document,
        )
    return True


def _members(county) -> list[User]:
    """The demo's committee member and six colleagues (no password: they only vote)."""
    members = list(User.objects.filter(role=Role.COMMITTEE_MEMBER, county=county))
    for i, name in enumerate(MEMBER_NAMES):
        user, created = User.objects.get_or_create(
            username=f"cwh{county.code}{i}",
            defaults={"full_name": name, "role": Role.COMMITTEE_MEMBER, "county": county},
        )
        if created:
            user.set_unusable_password()
            user.save(update_fields=["password"])
        members.append(user)
    return members


def _meetings(county, staff, rng, today, members):
    """Twelve monthly meetings, the latest five days ago, all members present; attendees by the
    rotation, most came."""
    meetings = []
    for i in range(12):
        date = today - datetime.timedelta(days=5 + 30 * (11 - i))
        meeting = services.meeting_create(
            user=staff,
            county=county,
            term=18,
            number=21 + i,
            date=date,
            place="县人大常委会第一会议室",
            agenda=AGENDAS[(date.month - 1) % len(AGENDAS)],
            attendee_quota=8,
        )
        services.meeting_members_record(user=staff, meeting=meeting, members=members)
        for attendance in services.attendees_invite(user=staff, meeting=meeting):
            services.attendance_mark(user=staff, attendance=attendance, attended=rng.random() < 0.9)
        for name, affiliation in rng.sample(OBSERVERS, rng.randint(0, 2)):
            observer = services.observer_apply(
                user=staff, meeting=meeting, name=name, affiliation=affiliation, reason="关注民生"
            )
            services.observer_decide(user=staff, observer=observer, action="approve")
            services.observer_decide(user=staff, observer=observer, action="attended")
        meetings.append(meeting)
    return meetings


def _topic(county, staff, rng, today, title, unit, category, members, outcome, meeting, eligible):
    opinions = Opinion.objects.filter(county=county, category=category).order_by("pk")[:12]
    topic = services.topic_create(
        user=staff,
        county=county,
        year=meeting.date.year,
        title=title,
        unit=unit,
        description=f"群众通过代表信箱、接待日和线上民意直通车集中反映{title}方面的问题。",
        opinions=opinions,
    )
    research_on = meeting.date - datetime.timedelta(days=40)
    services.research_add(
        user=staff,
        topic=topic,
        date=research_on,
        place="东青镇、龙王镇",
        deputies=rng.sample(eligible, 5),
        public_participants="村(社区)干部、群众代表、服务对象",
        public_count=rng.randint(15, 40),
    )
    services.research_report_file(
        user=staff,
        topic=topic,
        title=f"关于{title}情况的调研报告",
        filed_on=research_on + datetime.timedelta(days=20),
        summary="调研组深入乡镇、村组,召开座谈会,听取群众意见,形成本报告。",
    )
    rating = services.rating_open(user=staff, topic=topic, meeting=meeting)
    _count(staff, rating.vote, members, VOTES[outcome])
    base = 88 if outcome == "satisfied" else 55
    for i in range(5):
        services.public_score_record(
            user=staff, rating=rating, representative=f"群众代表{i + 1}号", score=base + i
        )
    if outcome == "satisfied":
        services.rating_conclude(user=staff, rating=rating)
    else:
        deadline = meeting.date + datetime.timedelta(days=60 if outcome == "rectified" else 30)
        services.rating_conclude(user=staff, rating=rating, rectification_deadline=deadline)
    if outcome == "rectified":
        services.rectification_file(
            user=staff,
            topic=topic,
            rectification="新建村级互助养老点12个,落实特困人员集中供养,建立养老服务质量评估制度。",
            rectified_on=meeting.date + datetime.timedelta(days=55),
        )
    if outcome in ("satisfied", "rectified"):
        services.result_publish(
            user=staff,
            topic=topic,
            publication=f"{title}满意度测评结果及整改情况已在县人大网站和代表之家公开。",
            published_on=min(meeting.date + datetime.timedelta(days=70), today),
        )


def _count(staff, vote, members, choices) -> None:
    """An anonymous vote of every member present, the ballots in the proportions of ``choices``
    (the committee has 37 members in the demo since its 三联 pairings, issue 20; a pattern of seven
    ballots is spread over them, so the outcome holds under the pass rule over all present)."""
    choices = [choices[i * len(choices) // len(members)] for i in range(len(members))]
    totals = Counter(choices)
    services.vote_count(
        user=staff,
        vote=vote,
        voters=members[: len(choices)],
        satisfied=totals["satisfied"],
        basic=totals["basic"],
        unsatisfied=totals["unsatisfied"],
    )


def _meeting_on_or_after(meetings, date):
    return next((m for m in meetings if m.date >= date), None)


def _review_opinions(county, staff, today, units, meetings, members) -> None:
    """审议意见 on the first two inspections' reports and on a work report: the first reported
    back, heard with an anonymous 满意度测评 and published; the second overdue; the third sent
    lately to the body of the demo's `unit` account, its deadline ahead."""
    inspections = list(Inspection.objects.filter(county=county).order_by("start_date", "pk"))
    plans = [
        (
            inspections[0],
            "县应急管理局",
            "一、压实安全生产属地管理责任和部门监管责任;二、建立重点行业领域安全风险分级管控清单;"
            "三、充实乡镇应急管理力量。",
            "reported",
        ),
        (
            inspections[1],
            "县林业局",
            "一、完成古树名木普查建档;二、落实养护责任和经费;三、建立古树名木保护联动机制。",
            "overdue",
        ),
    ]
    for number, (inspection, unit_name, content, outcome) in enumerate(plans):
        meeting = _meeting_on_or_after(meetings, inspection.reported_on)
        if meeting is None:
            continue
        sent_on = min(meeting.date + datetime.timedelta(days=7), today)
        opinion = services.review_opinion_create(
            user=staff,
            county=county,
            kind="inspection",
            inspection=inspection,
            meeting=meeting,
            unit=units[unit_name],
            document_number=f"苍人常办〔{sent_on.year}〕{30 + number}号",
            content=content,
            sent_on=sent_on,
            deadline=sent_on + datetime.timedelta(days=60),
        )
        if outcome != "reported":
            continue  # the body has not reported back: overdue
        reported_on = sent_on + datetime.timedelta(days=55)
        services.handling_report_submit(
            user=staff,
            opinion=opinion,
            handling_report="收到审议意见后,县应急管理局制定落实方案,逐条明确责任单位和完成时限;"
            "已建立重点行业领域安全风险分级管控清单并按季度通报,新增乡镇应急管理专职人员18名。",
            reported_on=reported_on,
        )
        hearing = _meeting_on_or_after(meetings, reported_on)
        if hearing is None:
            continue
        services.handling_report_hear(user=staff, opinion=opinion, meeting=hearing, with_vote=True)
        _count(staff, opinion.vote, members, VOTES["satisfied"])
        services.handling_report_conclude(user=staff, opinion=opinion)
        services.review_result_publish(
            user=staff,
            opinion=opinion,
            publication="县应急管理局关于执法检查审议意见研究处理情况的报告经常委会会议审议,"
            "满意度测评结果为满意,报告全文已在县人大网站公开。",
            published_on=min(hearing.date + datetime.timedelta(days=3), today),
        )
    latest = meetings[-1]
    services.review_opinion_create(
        user=staff,
        county=county,
        kind="work_report",
        report_title="县人民政府关于农村公路建设和养护工作情况的报告",
        meeting=latest,
        unit=units["县交通运输局"],
        content="一、落实农村公路“路长制”,明确县乡村三级养护责任;二、完善急弯陡坡安全防护设施;"
        "三、保障农村公路养护资金。",
        sent_on=min(latest.date + datetime.timedelta(days=3), today),
        deadline=latest.date + datetime.timedelta(days=90),
    )
