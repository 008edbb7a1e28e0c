"""The duty-report campaign: its organiser and batch (who reports this year), filing a report in
its three forms, reminders."""

import datetime
from collections.abc import Iterable
from typing import TYPE_CHECKING

from django.db import IntegrityError, transaction
from django.db.models import Exists, OuterRef
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.access import can
from core.errors import DomainError
from core.notifications import notify
from deputies.models import DutyRecord
from deputies.services import duty_records_sync
from directory.models import Deputy, Region, in_office_condition

from .models import BatchMember, BatchRule, DutyReport, ReportCampaign
from .selectors import campaign_eligible, in_batch, rule_selection

if TYPE_CHECKING:
    from accounts.models import User


def campaign_open(
    *,
    user: "User",
    county: Region,
    year: int,
    deadline: datetime.date,
    township: Region | None = None,
) -> ReportCampaign:
    """Open the year's campaign of the county office (county deputies) or of a township's 主席团
    (``township``: that township's deputies). Its batch starts as every eligible deputy; the
    office narrows it by a rule and by hand (batch_select, batch_add, batch_remove)."""
    if township is not None and township.county_id != county.pk:
        raise DomainError(_("所选乡镇不属于本县。"), field="township")
    campaign = ReportCampaign(county=county, township=township)
    if not can(user, "report_campaign.manage", campaign):
        raise DomainError(
            _(
                "只有组织单位可以发起述职活动:县人大代表述职由县人大常委会组织,"
                "乡镇人大代表述职由本乡镇人大主席团组织。"
            )
        )
    today = timezone.localdate()
    if not today.year - 1 <= year <= today.year:
        raise DomainError(_("只能发起今年或去年的述职活动。"), field="year")
    if deadline < today:
        raise DomainError(_("截止日期不能早于今天。"), field="deadline")
    try:
        with transaction.atomic():
            campaign = ReportCampaign.objects.create(
                county=county, township=township, year=year, deadline=deadline, opened_by=user
            )
            _batch_replace(campaign, campaign_eligible(campaign), user=user)
    except IntegrityError:
        raise DomainError(_("%(year)d年的述职活动已经发起过了。") % {"year": year}) from None
    return campaign


def _batch_replace(campaign: ReportCampaign, chosen, *, user: "User") -> int:
    """Make the rule's rows the chosen deputies, keeping hand-made additions and removals and
    everyone who has already reported. Returns the size of the batch."""
    kept = set(
        BatchMember.objects.filter(campaign=campaign)
        .exclude(source=BatchMember.Source.RULE)
        .values_list("deputy_id", flat=True)
    )
    reported = set(DutyReport.objects.filter(campaign=campaign).values_list("deputy_id", flat=True))
    wanted = set(chosen.values_list("pk", flat=True)) - kept
    BatchMember.objects.filter(campaign=campaign, source=BatchMember.Source.RULE).exclude(
        deputy_id__in=wanted | reported
    ).delete()
    BatchMember.objects.bulk_create(
        [
            BatchMember(
                campaign=campaign, deputy_id=pk, source=BatchMember.Source.RULE, changed_by=user
            )
            for pk in sorted(wanted)
        ],
        ignore_conflicts=True,
    )
    return BatchMember.objects.filter(BatchMember.IN_BATCH, campaign=campaign).count()


def _require_batch_open(user: "User", campaign: ReportCampaign) -> None:
    if not can(user, "report_campaign.manage", campaign):
        raise DomainError(_("只有述职活动的组织单位可以调整述职名单。"))
    if not campaign.evaluation_open:
        raise DomainError(_("本年度测评已经结束,述职名单不能再调整。"))


def batch_select(
    *,
    user: "User",
    campaign: ReportCampaign,
    rule: str,
    station_ids: Iterable[int] = (),
    township_ids: Iterable[int] = (),
) -> int:
    """Choose the year's batch by a rule (all, not yet reported this term, by station, by
    township). Hand-made additions and removals stay; a deputy who already reported stays."""
    _require_batch_open(user, campaign)
    if rule not in BatchRule.values:
        raise DomainError(_("请选择述职名单的产生方式。"), field="rule")
    station_ids, township_ids = list(station_ids), list(township_ids)
    if rule == BatchRule.STATIONS and not station_ids:
        raise DomainError(_("请至少选择一个家站。"), field="stations")
    if rule == BatchRule.TOWNSHIPS and not township_ids:
        raise DomainError(_("请至少选择一个乡镇(街道)。"), field="townships")
    chosen = rule_selection(campaign, rule=rule, station_ids=station_ids, township_ids=township_ids)
    with transaction.atomic():
        size = _batch_replace(campaign, chosen, user=user)
        campaign.batch_rule = rule
        campaign.save(update_fields=["batch_rule"])
    return size


def batch_add(*, user: "User", campaign: ReportCampaign, deputy: Deputy) -> BatchMember:
    """Add an eligible deputy to the batch by hand."""
    _require_batch_open(user, campaign)
    if not campaign_eligible(campaign).filter(pk=deputy.pk).exists():
        raise DomainError(_("只能增加本次述职组织范围内在任的直选代表。"), field="deputy")
    member, _created = BatchMember.objects.update_or_create(
        campaign=campaign,
        deputy=deputy,
        defaults={"source": BatchMember.Source.ADDED, "changed_by": user},
    )
    return member


def batch_remove(*, user: "User", campaign: ReportCampaign, deputy: Deputy) -> BatchMember:
    """Take a deputy off the batch by hand (kept as a removal so a rule does not bring them
    back). A deputy who has reported stays on it."""
    _require_batch_open(user, campaign)
    if DutyReport.objects.filter(campaign=campaign, deputy=deputy).exists():
        raise DomainError(_("这名代表已经述职,不能移出述职名单。"))
    member, _created = BatchMember.objects.update_or_create(
        campaign=campaign,
        deputy=deputy,
        defaults={"source": BatchMember.Source.REMOVED, "changed_by": user},
    )
    return member


def report_file(*, user: "User", campaign: ReportCampaign, deputy: Deputy, **fields) -> DutyReport:
    """File (or amend) the deputy's report. At least one of the three forms is needed; each form
    needs its own facts. Filing is a duty act of the deputy."""
    if not can(user, "duty_report.file", DutyReport(campaign=campaign, deputy=deputy)):
        raise DomainError(_("只能提交自己的述职,或由常委会工作人员代为录入。"))
    if campaign.evaluation_closed_at is not None:
        # The report is what voters, peers and the organisation evaluated.
        raise DomainError(_("本年度测评已经结束,述职报告不能再修改。"))
    if not in_batch(campaign).filter(pk=deputy.pk).exists():
        raise DomainError(_("这名代表不在本年度的述职名单中。"))
    onsite = fields.get("onsite_date")
    if onsite and (not fields.get("onsite_place") or not fields.get("voters_present")):
        raise DomainError(_("现场述职请填写地点和到场选民人数。"), field="onsite_place")
    if onsite and onsite > timezone.localdate():
        raise DomainError(_("现场述职日期不能晚于今天。"), field="onsite_date")
    if fields.get("live_link") and not fields.get("live_viewers"):
        raise DomainError(_("直播述职请填写观看人数。"), field="live_viewers")
    if not (onsite or (fields.get("written_text") or "").strip() or fields.get("live_link")):
        raise DomainError(_("请至少以一种方式述职:现场、书面或直播。"))
    photo = fields.pop("onsite_photo", None)
    with transaction.atomic():
        report, _created = DutyReport.objects.update_or_create(
            campaign=campaign,
            deputy=deputy,
            defaults={**fields, "entered_by": user, "filed_at": timezone.now()},
        )
        if photo:
            report.onsite_photo = photo
            report.save(update_fields=["onsite_photo"])
        duty_records_sync(
            source=report,
            kind=DutyRecord.Kind.DUTY_REPORT,
            deputies=[deputy],
            occurred_on=onsite or timezone.localdate(),
            title=_("向选民述职(%(year)d年)") % {"year": campaign.year},
        )
    return report


def report_reminders_send(*, today: datetime.date) -> int:
    """Weekly while a campaign is open: remind the deputies who have not reported. Once a week
    each (the notification's key names the campaign, the deputy and the week)."""
    sent = 0
    week = today.isocalendar()
    for campaign in ReportCampaign.objects.filter(deadline__gte=today).order_by("pk"):
        missing = (
            in_batch(campaign)
            # A deputy whose mandate at the campaign's level ended is no longer asked to report.
            .filter(in_office_condition(campaign.level))
            .exclude(Exists(DutyReport.objects.filter(campaign=campaign, deputy=OuterRef("pk"))))
            .filter(user__is_active=True)
            .select_related("user")
            .order_by("pk")
        )
        for deputy in missing:
            sent += (
                notify(
                    recipient=deputy.user,
                    kind="duty_report_reminder",
                    title=_("请在%(date)s前完成年度述职")
                    % {"date": f"{campaign.deadline:%m月%d日}"},
                    body=_("代表述职月:请以现场、书面或直播的方式向选民述职,并在门户中登记。"),
                    link=reverse("dutyreports:mine"),
                    dedupe_key=f"duty_report:{campaign.pk}:{deputy.pk}:{week.year}W{week.week}",
                )
                is not None
            )
    return sent
