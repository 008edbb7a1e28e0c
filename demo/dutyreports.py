"""Demo 代表述职月 for the county: last year's campaign complete — nearly every deputy reported in
one or more forms, evaluated by voters (codes and paper forms), peers and the organisation, the
result fixed and published with rectification items and the year's 优秀人大代表 — and this year's
campaign under way (December is the month) for the batch the office chose, part of it reported,
evaluation open; two townships' 主席团 run their township deputies' campaigns.

Written in bulk, as the services would leave it (each filed report a duty act)."""

import datetime
import random

from django.contrib.contenttypes.models import ContentType
from django.db.models import Q
from django.utils import timezone

from accounts.models import Role, User
from deputies.models import DutyRecord
from directory.models import Level, Region
from dutyreports import evaluation
from dutyreports.models import (
    BallotCode,
    BatchMember,
    BatchRule,
    DutyReport,
    ExcellentCandidate,
    Grade,
    Rectification,
    ReportCampaign,
    ReportEvaluation,
)
from dutyreports.selectors import eligible

# How voters, peers and the organisation grade, roughly: most are competent or excellent.
GRADE_WEIGHTS = [
    (Grade.EXCELLENT, 45),
    (Grade.COMPETENT, 45),
    (Grade.BASIC, 8),
    (Grade.INCOMPETENT, 2),
]
PLACES = ["代表之家接待室", "村党群服务中心", "社区活动室", "院坝会现场"]
PROBLEMS = [
    ("进站接待选民次数偏少", "每月固定接待日按时进站,全年不少于12次"),
    ("建议质量有待提高", "参加建议撰写培训,每条建议先调研后提出"),
    ("联系选民面不够广", "每季度走访不少于10户选民,建立联系台账"),
    ("微心愿办理不够及时", "认领后一个月内办结,并向群众反馈"),
]


def _staff(county) -> User:
    return (
        User.objects.filter(role=Role.COMMITTEE_STAFF, county=county, is_active=True)
        .order_by("pk")
        .first()
        or User.objects.filter(role=Role.ADMINISTRATOR).order_by("pk").first()
    )


def _grade(rng: random.Random, bias: int = 0) -> str:
    grades, weights = zip(*GRADE_WEIGHTS, strict=True)
    weights = list(weights)
    weights[0] += bias  # a deputy whose work stands out gets more 优秀
    return rng.choices(grades, weights)[0]


def _reports(campaign, deputies, rng, *, share: float, staff, year: int) -> list[DutyReport]:
    reports = []
    filed_on: dict[int, datetime.date] = {}  # deputy id -> the date of the duty record
    for deputy in deputies:
        if rng.random() > share:
            continue
        day = datetime.date(year, 12, 1) + datetime.timedelta(days=rng.randrange(0, 20))
        today = timezone.localdate()
        onsite = day <= today and rng.random() < 0.8
        # As report_file dates it: the on-site day, else the day it was filed (never later than
        # today; this year's campaign is still under way).
        filed_on[deputy.pk] = day if onsite else min(datetime.date(year, 12, 20), today)
        live = rng.random() < 0.25
        reports.append(
            DutyReport(
                campaign=campaign,
                deputy=deputy,
                onsite_date=day if onsite else None,
                onsite_place=rng.choice(PLACES) if onsite else "",
                voters_present=rng.randrange(25, 90) if onsite else None,
                written_text=(
                    f"{year}年,本人认真履行代表职责,按时参加家站接待日,走访联系选民,"
                    "围绕群众关心的道路、饮水、医疗等问题提出建议,并跟踪办理情况。"
                    "下一步将继续加强学习,提高建议质量,更好地为选民服务。"
                ),
                live_link=f"https://live.cangxi.example/duty/{year}/{deputy.pk}" if live else "",
                live_viewers=rng.randrange(200, 3000) if live else None,
                filed_at=timezone.now(),
                entered_by=getattr(deputy, "user", None) or staff,
            )
        )
    reports = DutyReport.objects.bulk_create(reports, batch_size=500)
    source_type = ContentType.objects.get_for_model(DutyReport)
    DutyRecord.objects.bulk_create(
        [
            DutyRecord(
                deputy_id=report.deputy_id,
                kind=DutyRecord.Kind.DUTY_REPORT,
                occurred_on=filed_on[report.deputy_id],
                title=f"向选民述职({year}年)",
                source_type=source_type,
                source_id=report.pk,
            )
            for report in reports
        ],
        batch_size=1000,
        ignore_conflicts=True,
    )
    return reports


def _ballots(reports, rng, *, staff, codes: bool) -> None:
    """Voters (paper forms, and codes used or not), peers of the same station, the organisation."""
    by_station: dict[int, list[DutyReport]] = {}
    for report in reports:
        by_station.setdefault(report.deputy.station_id, []).append(report)
    ballots, issued = [], []
    for report in reports:
        bias = rng.choice([0, 0, 0, 40])
        for _ in range(rng.randrange(8, 20)):
            ballots.append(
                ReportEvaluation(
                    report=report, kind="voter", grade=_grade(rng, bias), entered_by=staff
                )
            )
        peers = [other for other in by_station[report.deputy.station_id] if other is not report]
        for peer in rng.sample(peers, min(len(peers), 4)):
            ballots.append(
                ReportEvaluation(
                    report=report, kind="peer", grade=_grade(rng, bias), evaluator=peer.deputy
                )
            )
        ballots.append(
            ReportEvaluation(
                report=report, kind="organisation", grade=_grade(rng, bias), entered_by=staff
            )
        )
        if codes:
            issued += [BallotCode(report=report) for _ in range(10)]
    ReportEvaluation.objects.bulk_create(ballots, batch_size=1000)
    BallotCode.objects.bulk_create(issued, batch_size=1000)


def _batch(campaign, deputy_ids, *, source=BatchMember.Source.RULE) -> None:
    BatchMember.objects.bulk_create(
        [BatchMember(campaign=campaign, deputy_id=pk, source=source) for pk in sorted(deputy_ids)],
        batch_size=1000,
        ignore_conflicts=True,
    )


def _township_staff(township) -> User | None:
    return (
        User.objects.filter(role=Role.TOWNSHIP_STAFF, township=township, is_active=True)
        .order_by("pk")
        .first()
    )


def build_duty_reports(county, *, seed: int = 0) -> bool:
    """Reports and ballots of last year's and this year's campaigns (before the scores).

    Last year the county office asked every county deputy (rule: all). This December's batch is
    the office's choice: the deputies of every third township, plus by hand those who have not
    reported yet this term. Two townships' 主席团 run their own deputies' 述职 this year."""
    if ReportCampaign.objects.filter(county=county).exists():
        return False
    rng = random.Random(f"duty-reports-{county.code}-{seed}")
    staff = _staff(county)
    today = timezone.localdate()
    county_deputies = list(
        eligible(county_id=county.pk, level=Level.COUNTY)
        .select_related("station", "user")
        .order_by("pk")
    )
    last = ReportCampaign.objects.create(
        county=county,
        year=today.year - 1,
        deadline=datetime.date(today.year - 1, 12, 31),
        opened_by=staff,
    )
    _batch(last, [deputy.pk for deputy in county_deputies])
    reports = _reports(last, county_deputies, rng, share=0.97, staff=staff, year=last.year)
    _ballots(reports, rng, staff=staff, codes=False)
    reported_last = {report.deputy_id for report in reports}

    current = ReportCampaign.objects.create(
        county=county,
        township=None,
        year=today.year,
        deadline=datetime.date(today.year, 12, 31),
        opened_by=staff,
        batch_rule=BatchRule.TOWNSHIPS,
    )
    townships = sorted({d.station.township_id for d in county_deputies if d.station_id})[::3]
    chosen = [d for d in county_deputies if d.station_id and d.station.township_id in townships]
    _batch(current, [deputy.pk for deputy in chosen])
    # Who has not reported this term is added by hand, and so is the demo deputy.
    demo_deputy = set(User.objects.filter(username="deputy").values_list("deputy_id", flat=True))
    added = {d.pk for d in county_deputies if d.pk not in reported_last} | (
        demo_deputy & {d.pk for d in county_deputies}
    )
    _batch(current, added - {d.pk for d in chosen}, source=BatchMember.Source.ADDED)
    batch = [d for d in county_deputies if d in chosen or d.pk in added]
    # This year's campaign is under way: a third have reported; the demo deputy has not yet.
    reports = _reports(
        current,
        [deputy for deputy in batch if deputy.pk not in demo_deputy],
        rng,
        share=0.35,
        staff=staff,
        year=today.year,
    )
    _ballots(reports, rng, staff=staff, codes=True)
    _township_campaigns(county, rng, staff=staff, year=today.year)
    return True


def _township_campaigns(county, rng, *, staff, year: int) -> None:
    """Two townships' 主席团 run their township deputies' 述职 (all of them this year)."""
    townships = (
        Region.objects.filter(county=county, level=Region.Level.TOWNSHIP)
        .filter(
            pk__in=eligible(county_id=county.pk, level=Level.TOWNSHIP).values(
                "station__township_id"
            )
        )
        .order_by("code")[:2]
    )
    for township in townships:
        campaign = ReportCampaign.objects.create(
            county=county,
            township=township,
            year=year,
            deadline=datetime.date(year, 12, 31),
            opened_by=_township_staff(township) or staff,
        )
        deputies = list(
            eligible(county_id=county.pk, level=Level.TOWNSHIP, township_id=township.pk)
            .select_related("station", "user")
            .order_by("pk")
        )
        _batch(campaign, [deputy.pk for deputy in deputies])
        _reports(campaign, deputies, rng, share=0.4, staff=campaign.opened_by, year=year)


def close_last_campaign(county, *, seed: int = 0) -> None:
    """Fix and publish last year's result, with rectifications and 优秀人大代表 (after scores)."""
    campaign = ReportCampaign.objects.filter(
        county=county, year=timezone.localdate().year - 1, evaluation_closed_at__isnull=True
    ).first()
    if campaign is None:
        return
    rng = random.Random(f"duty-reports-close-{county.code}-{seed}")
    staff = _staff(county)
    evaluation.evaluation_close(user=staff, campaign=campaign)
    campaign.refresh_from_db()
    now, today = timezone.now(), timezone.localdate()
    campaign.reports.update(
        report_published_at=now,
        report_published_by=staff,
        result_published_at=now,
        result_published_by=staff,
    )
    weak = campaign.reports.filter(
        Q(grade__in=[Grade.BASIC, Grade.INCOMPETENT]) | Q(pk__in=_sample_ids(campaign, rng))
    ).select_related("campaign")
    items = []
    for report in weak:
        problem, measure = rng.choice(PROBLEMS)
        done = rng.random() < 0.7
        items.append(
            Rectification(
                report=report,
                problem=problem,
                measure=measure,
                deadline=datetime.date(campaign.year + 1, 6, 30),
                status=Rectification.Status.DONE if done else Rectification.Status.PENDING,
                evidence="已按整改措施落实,选民评价良好。" if done else "",
                done_on=min(today, datetime.date(campaign.year + 1, rng.randrange(3, 6), 15))
                if done
                else None,
                created_by=staff,
                published_at=now,
                published_by=staff,
            )
        )
    Rectification.objects.bulk_create(items, batch_size=500)
    roll = campaign.reports.count()
    evaluation.candidates_propose(user=staff, campaign=campaign, count=max(1, roll // 20))
    candidates = list(ExcellentCandidate.objects.filter(campaign=campaign))
    for index, candidate in enumerate(candidates):
        decision = (
            ExcellentCandidate.Decision.SELECTED
            if index < len(candidates) * 0.8
            else ExcellentCandidate.Decision.DECLINED
        )
        candidate.decision, candidate.decided_by, candidate.decided_at = decision, staff, now
    ExcellentCandidate.objects.bulk_update(candidates, ["decision", "decided_by", "decided_at"])
    if candidates:
        evaluation.excellent_publish(user=staff, campaign=campaign)


def _sample_ids(campaign, rng: random.Random) -> list[int]:
    ids = list(campaign.reports.order_by("pk").values_list("pk", flat=True))
    return rng.sample(ids, min(len(ids), max(1, len(ids) // 25)))
