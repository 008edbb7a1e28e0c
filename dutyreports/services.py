"""The duty-report campaign: who must report, filing a report in its three forms, reminders."""

import datetime
from typing import TYPE_CHECKING

from django.db import IntegrityError, transaction
from django.db.models import Exists, OuterRef
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.access import can, county_record
from core.errors import DomainError
from core.notifications import notify
from deputies.models import DutyRecord
from deputies.services import duty_records_sync
from directory.models import Deputy

from .models import DutyReport, ReportCampaign
from .selectors import must_report

if TYPE_CHECKING:
    from accounts.models import User


def campaign_open(*, user: "User", county, year: int, deadline: datetime.date) -> ReportCampaign:
    if not can(user, "report_campaign.manage", county_record(county.pk)):
        raise DomainError(_("只有本县常委会工作人员可以发起述职活动。"))
    today = timezone.localdate()
    if not today.year - 1 <= year <= today.year:
        raise DomainError(_("只能发起今年或去年的述职活动。"), field="year")
    if deadline < today:
        raise DomainError(_("截止日期不能早于今天。"), field="deadline")
    try:
        with transaction.atomic():
            return ReportCampaign.objects.create(
                county=county, year=year, deadline=deadline, opened_by=user
            )
    except IntegrityError:
        raise DomainError(_("%(year)d年的述职活动已经发起过了。") % {"year": year}) from None


def report_file(*, user: "User", campaign: ReportCampaign, deputy: Deputy, **fields) -> DutyReport:
    """File (or amend) the deputy's report. At least one of the three forms is needed; each form
    needs its own facts. Filing is a duty act of the deputy."""
    if not can(user, "duty_report.file", DutyReport(campaign=campaign, deputy=deputy)):
        raise DomainError(_("只能提交自己的述职,或由常委会工作人员代为录入。"))
    if campaign.evaluation_closed_at is not None:
        # The report is what voters, peers and the organisation evaluated.
        raise DomainError(_("本年度测评已经结束,述职报告不能再修改。"))
    if not must_report(campaign.county_id).filter(pk=deputy.pk).exists():
        raise DomainError(_("这名代表不在本次述职名单中(须为本县在任的直选代表)。"))
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
            must_report(campaign.county_id)
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
