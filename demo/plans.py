"""Demo plans for the county (issue 22 §4–5): this year's 监督工作计划 with eleven items (most
carried out by the demo's inspections, topics, meetings, two 专题视察 and a 专题询问; one in
progress, some not started, one overdue), a 代表工作要点 with four items (trainings, the 述职
campaign, a 专题视察), the two 专题视察 with their deputies (duty records through the services),
and one 专题询问 at a committee meeting with five questions and promises in several states.
Written through oversight.services after build_oversight; skipped when the county has a plan."""

import datetime
import random

from django.utils import timezone

from accounts.models import Role, User
from deputies.models import Training
from directory.models import HandlingUnit
from dutyreports.models import ReportCampaign
from oversight import selectors, services
from oversight.models import (
    CommitteeMeeting,
    Inspection,
    PlanItem,
    SupervisionTopic,
    WorkPlan,
)

K = PlanItem.Kind

QUESTIONS = [
    # (asker kind, asker, question, unit, respondent, title, answer, promise, days, status)
    (
        "member",
        "罗素琴",
        "全县农村互助养老点建成后,部分点位长期闲置,运营经费如何保障?",
        "县民政局",
        "赵志明",
        "县民政局局长",
        "将互助养老点运营补贴纳入县级财政预算,按服务人次给予补助。",
        "出台农村互助养老点运营补贴办法",
        20,
        "done",
    ),
    (
        "deputy",
        None,
        "乡镇卫生院医养结合床位不足,失能老人入住难,下一步有何打算?",
        "县卫生健康局",
        "王建国",
        "县卫生健康局局长",
        "正在推进乡镇卫生院医养结合改造,优先保障失能特困老人。",
        "完成5个乡镇卫生院医养结合床位改造",
        30,
        "in_progress",
    ),
    (
        "member",
        "蒲建华",
        "农村客运班线减少后,老人看病出行不便,如何解决?",
        "县交通运输局",
        "李晓东",
        "县交通运输局副局长",
        "将优化农村客运线路,试点预约响应式公交。",
        "在两个乡镇试点预约响应式农村公交",
        25,
        "pending",
    ),
    (
        "deputy",
        None,
        "养老机构护理人员待遇低、流失快,人社部门有什么支持政策?",
        "县人力资源和社会保障局",
        "陈红梅",
        "县人力资源和社会保障局局长",
        "将养老护理员纳入职业技能提升行动,落实培训补贴。",
        "年内开展养老护理员专项培训两期",
        90,
        "pending",
    ),
    (
        "member",
        "向明德",
        "高龄津贴发放是否做到应发尽发?",
        "县民政局",
        "赵志明",
        "县民政局局长",
        "已与公安户籍数据比对,按月动态调整发放名单。",
        "",
        0,
        "pending",
    ),
]


def build_plans(county, *, seed: int = 0, today: datetime.date | None = None) -> bool:
    if WorkPlan.objects.filter(county=county).exists():
        return False
    staff = User.objects.filter(role=Role.COMMITTEE_STAFF, county=county).order_by("pk").first()
    if staff is None or not Inspection.objects.filter(county=county).exists():
        return False
    today = today or timezone.localdate()
    rng = random.Random(f"plans-{county.code}-{seed}")
    eligible = list(selectors.eligible_attendees(county.pk).order_by("pk"))
    units = {u.name: u for u in HandlingUnit.objects.filter(county=county)}
    members = list(
        User.objects.filter(role=Role.COMMITTEE_MEMBER, county=county).order_by("pk")[:4]
    )
    visits = _site_inspections(county, staff, rng, today, eligible, members)
    inquiry = _inquiry(county, staff, rng, today, eligible, units)
    _supervision_plan(county, staff, today, visits, inquiry)
    _deputy_work_plan(county, staff, today, visits)
    return True


def _site_inspections(county, staff, rng, today, eligible, members):
    """Two 专题视察: one reported with recommendations, one lately, without its report yet."""
    first_start = today - datetime.timedelta(days=100)
    reported = services.site_inspection_save(
        user=staff,
        county=county,
        subject="乡村振兴重点项目推进情况",
        start_date=first_start,
        end_date=first_start + datetime.timedelta(days=2),
        places="歧坪镇猕猴桃产业园、元坝镇现代农业园区、白驿镇高标准农田",
        deputies=rng.sample(eligible, 6),
        members=members[:2],
        findings="部分项目建设进度滞后;联农带农机制不够健全;后续管护资金不足。",
        report="视察组认为,全县乡村振兴重点项目总体推进有序,建议进一步强化要素保障。",
        reported_on=first_start + datetime.timedelta(days=20),
        recommendations="一、建立重点项目月调度机制;二、完善利益联结机制;三、落实管护资金。",
        recommendation_bodies="县农业农村局、县发展和改革局",
        recommendation_deadline=first_start + datetime.timedelta(days=80),
    )
    second_start = today - datetime.timedelta(days=20)
    ongoing = services.site_inspection_save(
        user=staff,
        county=county,
        subject="城区老旧小区改造",
        start_date=second_start,
        end_date=second_start + datetime.timedelta(days=1),
        places="陵江镇城北社区、城南社区",
        deputies=rng.sample(eligible, 5),
        members=members[2:3],
        findings="加装电梯协调难;改造后物业管理缺位。",
    )
    return reported, ongoing


def _inquiry(county, staff, rng, today, eligible, units):
    """A 专题询问 on elderly care at the meeting about a month ago: five questions, promises kept,
    under way, overdue and not yet due, and one answered without a promise."""
    meeting = (
        CommitteeMeeting.objects.filter(
            county=county, date__lte=today - datetime.timedelta(days=30)
        )
        .order_by("-date")
        .first()
    )
    if meeting is None:
        return None
    inquiry = services.inquiry_create(
        user=staff,
        county=county,
        subject="城乡养老服务体系建设",
        date=meeting.date,
        meeting=meeting,
        summary="常委会组成人员和县人大代表围绕养老服务设施运营、医养结合、护理人才等问题"
        "开展专题询问,县人民政府有关部门负责人到会应询。",
    )
    askers = rng.sample(eligible, 2)
    for kind, name, question, unit, respondent, title, answer, promise, days, status in QUESTIONS:
        deputy = askers.pop() if kind == "deputy" else None
        asked = services.inquiry_question_add(
            user=staff,
            inquiry=inquiry,
            asker_kind=kind,
            asker_name=name or "",
            asker_deputy=deputy,
            question=question,
            unit=units.get(unit),
            respondent_name=respondent,
            respondent_title=title,
            answer=answer,
            promise=promise,
            promise_deadline=meeting.date + datetime.timedelta(days=days) if promise else None,
        )
        if promise and status != "pending":
            services.inquiry_promise_update(
                user=staff,
                question=asked,
                promise_status=status,
                promise_result="已印发实施,首批补贴已拨付。" if status == "done" else "",
            )
    services.inquiry_publish(
        user=staff,
        inquiry=inquiry,
        publication="县人大常委会就城乡养老服务体系建设开展专题询问,县民政、卫生健康、交通运输、"
        "人力资源社会保障部门负责人到会应询,作出五项答复和四项整改承诺,落实情况将跟踪监督。",
        published_on=min(meeting.date + datetime.timedelta(days=7), today),
    )
    return inquiry


def _add(plan, staff, kind, title, responsible, *, month=None, quarter=None, records=()):
    item = services.plan_item_add(
        user=staff,
        plan=plan,
        kind=kind,
        title=title,
        responsible=responsible,
        planned_month=month,
        planned_quarter=quarter,
    )
    # Only the records of the plan's year are linked (a demo built early in a year has some of
    # last year's).
    records = [r for r in records if r is not None and services.record_year(r) == plan.year]
    if records:
        services.plan_item_link(user=staff, item=item, records=records)
    return item


def _supervision_plan(county, staff, today, visits, inquiry) -> None:
    year = today.year
    plan = services.work_plan_create(
        user=staff,
        county=county,
        year=year,
        kind=WorkPlan.Kind.SUPERVISION,
        title=f"县人大常委会{year}年监督工作计划",
        document_number=f"苍人常〔{year}〕3号",
        adopted_on=min(datetime.date(year, 1, 20), today),
    )
    inspections = list(Inspection.objects.filter(county=county).order_by("start_date", "pk"))
    topics = {t.title: t for t in SupervisionTopic.objects.filter(county=county)}
    meetings = list(CommitteeMeeting.objects.filter(county=county).order_by("date", "pk"))
    safety_meeting = next((m for m in meetings if "安全生产" in m.agenda), None)
    laws = ["安全生产法", "四川省古树名木保护条例", "道路交通安全法"]
    for index, (inspection, law) in enumerate(zip(inspections, laws, strict=False)):
        _add(
            plan,
            staff,
            K.INSPECTION,
            f"开展《{law}》执法检查",
            "法制委员会" if index != 1 else "农业农村委员会",
            month=inspection.start_date.month,
            records=[inspection],
        )
    _add(
        plan,
        staff,
        K.WORK_REPORT,
        "听取和审议县人民政府关于安全生产工作情况的报告",
        "财政经济委员会",
        quarter=1,
        records=[safety_meeting],
    )
    _add(
        plan,
        staff,
        K.RESEARCH,
        "开展农村饮水安全保障专题调研",
        "农业农村委员会",
        quarter=2,
        records=[topics.get("农村饮水安全保障")],
    )
    _add(
        plan,
        staff,
        K.RATING,
        "对城乡养老服务体系建设工作开展满意度测评",
        "社会建设委员会",
        quarter=3,
        records=[topics.get("城乡养老服务体系建设")],
    )
    _add(
        plan,
        staff,
        K.SITE_INSPECTION,
        "组织代表视察乡村振兴重点项目",
        "农业农村委员会",
        quarter=3,
        records=[visits[0]],
    )
    _add(
        plan,
        staff,
        K.SITE_INSPECTION,
        "视察城区老旧小区改造",
        "城乡建设环保委员会",
        quarter=4,
        records=[visits[1]],
    )
    _add(
        plan,
        staff,
        K.INQUIRY,
        "就城乡养老服务体系建设开展专题询问",
        "社会建设委员会",
        month=11,
        records=[inquiry],
    )
    _add(plan, staff, K.INSPECTION, "开展《食品安全法》执法检查", "教科文卫委员会", quarter=3)
    _add(
        plan,
        staff,
        K.WORK_REPORT,
        "听取和审议县人民法院关于民事审判工作情况的报告",
        "监察和司法委员会",
        month=12,
    )


def _deputy_work_plan(county, staff, today, visits) -> None:
    year = today.year
    plan = services.work_plan_create(
        user=staff,
        county=county,
        year=year,
        kind=WorkPlan.Kind.DEPUTY_WORK,
        title=f"县人大常委会{year}年代表工作要点",
        document_number=f"苍人常办〔{year}〕5号",
        adopted_on=min(datetime.date(year, 2, 10), today),
    )
    trainings = list(
        Training.objects.filter(county=county, start_date__year=year).order_by("start_date")[:3]
    )
    campaign = ReportCampaign.objects.filter(
        county=county, year=year, township__isnull=True
    ).first()
    _add(plan, staff, K.DEPUTY_ACTIVITY, "分层分类开展代表履职培训", "代表工委", records=trainings)
    _add(
        plan,
        staff,
        K.DEPUTY_ACTIVITY,
        "组织县人大代表向选民述职(代表述职月)",
        "代表工委",
        month=12,
        records=[campaign],
    )
    _add(
        plan,
        staff,
        K.SITE_INSPECTION,
        "组织代表开展专题视察",
        "代表工委",
        quarter=3,
        records=[visits[0]],
    )
    _add(plan, staff, K.OTHER, "开展代表建议重点督办", "代表工委")
