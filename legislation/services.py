"""Writes of 立法意见征集: publishing a draft, the opinions of the three channels (and those routed
from 线上民意直通车), the per-article summary and the report to the upper congress. A deputy's
opinion is a duty act, recorded in the same transaction."""

import datetime
from typing import TYPE_CHECKING, Any

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.access import can, county_record
from core.crypto import SealedContent
from core.errors import DomainError
from core.uploads import UploadRejected, check_pdf
from deputies.models import DutyRecord
from deputies.services import duty_records_sync
from directory.models import Region, Station
from stations.models import Opinion

from . import rules
from .models import ArticleSummary, Draft, LegislativeOpinion

if TYPE_CHECKING:
    from accounts.models import User


def _check_pdf(uploaded_file: Any) -> None:
    """A PDF by its content (never its name), within the upload size limit."""
    check_pdf(uploaded_file, message=_("草案文件应为PDF文件。"))


def _clean_article(article: str) -> str:
    return " ".join(article.split())[:40]


def draft_publish(
    *,
    user: "User",
    county: Region,
    title: str,
    level: str,
    issuer: str,
    deadline: datetime.date,
    document_number: str = "",
    summary: str = "",
    text: str = "",
    file: Any = None,
    all_stations: bool = False,
    stations: list[Station] | None = None,
    for_deputies: bool = True,
) -> Draft:
    """Staff publish a draft for comment to the chosen stations (or all) and their deputies."""
    if not can(user, "legislative_draft.manage", county_record(county.pk)):
        raise DomainError(_("只有本县常委会工作人员可以发布立法征求意见稿。"))
    stations = list(stations or [])
    if not title.strip():
        raise DomainError(_("请填写草案名称。"), field="title")
    if not issuer.strip():
        raise DomainError(_("请填写征求意见机关。"), field="issuer")
    if deadline < timezone.localdate():
        raise DomainError(_("意见截止日期不能早于今天。"), field="deadline")
    if not text.strip() and not file:
        raise DomainError(_("请填写草案文本或上传草案文件。"), field="text")
    if not all_stations and not stations:
        raise DomainError(_("请选择发至哪些家站,或选择发至全部家站。"), field="stations")
    if any(station.county_id != county.pk for station in stations):
        raise DomainError(_("只能发至本县的家站。"), field="stations")
    if file:
        try:
            _check_pdf(file)
        except UploadRejected as error:
            raise DomainError(str(error), field="file") from None
    with transaction.atomic():
        draft = Draft(
            county=county,
            title=title.strip(),
            level=level,
            issuer=issuer.strip(),
            document_number=document_number.strip(),
            summary=summary.strip(),
            text=text.strip(),
            deadline=deadline,
            all_stations=all_stations,
            for_deputies=for_deputies,
            published_by=user,
        )
        if file:
            draft.file_name = str(getattr(file, "name", ""))[:200]
            draft.file.save("draft.sealed", SealedContent(file), save=False)
        draft.save()
        if not all_stations:
            draft.stations.set(stations)
    return draft


def draft_close(*, user: "User", draft: Draft) -> Draft:
    """Stop taking opinions before (or at) the deadline."""
    if not can(user, "legislative_draft.manage", draft):
        raise DomainError(_("只有本县常委会工作人员可以结束意见征集。"))
    if draft.status != Draft.Status.OPEN:
        raise DomainError(_("这份草案的意见征集已经结束。"))
    draft.status = Draft.Status.CLOSED
    draft.save(update_fields=["status"])
    return draft


def _check_comment(draft: Draft, article: str, content: str) -> None:
    refusal = rules.comment_refusal(draft, timezone.localdate())
    if refusal:
        raise DomainError(refusal)
    if not content.strip():
        raise DomainError(_("请填写意见内容。"), field="content")
    if len(article) > 40:
        raise DomainError(_("涉及条款不超过40个字,例如“第十二条”。"), field="article")


def opinion_submit_public(
    *, draft: Draft, content: str, article: str = "", name: str = "", contact: str = ""
) -> LegislativeOpinion:
    """An opinion sent by a member of the public on the public page (CAPTCHA and rate limits are
    the page's)."""
    _check_comment(draft, article, content)
    return LegislativeOpinion.objects.create(
        draft=draft,
        channel=LegislativeOpinion.Channel.PUBLIC,
        article=_clean_article(article),
        content=content.strip(),
        sender_name=name.strip(),
        sender_contact=contact.strip(),
    )


def opinion_give(
    *, user: "User", draft: Draft, content: str, article: str = ""
) -> LegislativeOpinion:
    """A deputy's own opinion on a draft sent to them: a duty act."""
    if not can(user, "legislative_opinion.give"):
        raise DomainError(_("只有代表本人可以提出代表意见。"))
    deputy = user.deputy
    if deputy is None:
        raise DomainError(_("只有代表本人可以提出代表意见。"))
    reached = draft.for_deputies and (
        (draft.all_stations and deputy.county_id == draft.county_id)
        or draft.reaches_station(deputy.station)
    )
    if not reached:
        raise DomainError(_("这份草案没有发给您征求意见。"))
    _check_comment(draft, article, content)
    with transaction.atomic():
        opinion = LegislativeOpinion.objects.create(
            draft=draft,
            channel=LegislativeOpinion.Channel.DEPUTY,
            article=_clean_article(article),
            content=content.strip(),
            deputy=deputy,
            station=None,
            submitted_by=user,
        )
        # No DutyRecord kind names legislative opinions yet (adding one needs a migration of
        # deputies): the generic 其他履职 carries it, titled with the draft.
        duty_records_sync(
            source=opinion,
            kind=DutyRecord.Kind.OTHER,
            deputies=[deputy],
            occurred_on=timezone.localdate(),
            title=_("对《%(title)s》提出立法意见") % {"title": draft.title},
        )
    return opinion


def opinion_record(
    *,
    user: "User",
    draft: Draft,
    station: Station,
    content: str,
    article: str = "",
    occasion: str = "",
    participants: int | None = None,
) -> LegislativeOpinion:
    """The keeper records an opinion heard at the station (a 座谈会, the reception day)."""
    if not can(user, "legislative_opinion.record", draft, station=station):
        raise DomainError(_("只能为自己管理的家站登记意见。"), field="station")
    if not draft.reaches_station(station):
        raise DomainError(_("这份草案没有发给这个家站征求意见。"), field="station")
    _check_comment(draft, article, content)
    if participants is not None and participants < 1:
        raise DomainError(_("参加人数至少为1人。"), field="participants")
    return LegislativeOpinion.objects.create(
        draft=draft,
        channel=LegislativeOpinion.Channel.STATION,
        article=_clean_article(article),
        content=content.strip(),
        station=station,
        occasion=occasion.strip(),
        participants=participants,
        submitted_by=user,
    )


def opinion_route(
    *, user: "User", draft: Draft, source: Opinion, article: str = ""
) -> LegislativeOpinion:
    """Staff route an online opinion (线上民意直通车) to a draft; the opinion keeps its own life,
    the legislative opinion links to it."""
    if not can(user, "legislative_draft.manage", draft):
        raise DomainError(_("只有本县常委会工作人员可以转入群众意见。"))
    if draft.status == Draft.Status.REPORTED:
        raise DomainError(_("意见已汇总报送,不能再转入。"))
    if source.channel != Opinion.Channel.ONLINE or source.county_id != draft.county_id:
        raise DomainError(_("只能转入本县线上民意直通车的群众意见。"), field="code")
    if len(article) > 40:
        raise DomainError(_("涉及条款不超过40个字,例如“第十二条”。"), field="article")
    try:
        with transaction.atomic():
            return LegislativeOpinion.objects.create(
                draft=draft,
                channel=LegislativeOpinion.Channel.ONLINE,
                article=_clean_article(article),
                content=source.content,
                station=source.station,
                source_opinion=source,
                submitted_by=user,
            )
    except IntegrityError:
        raise DomainError(_("这条群众意见已经转入这份草案。"), field="code") from None


def article_summary_save(
    *, user: "User", draft: Draft, article: str, adoption: str, note: str = ""
) -> ArticleSummary:
    """Staff's conclusion on the opinions about one article (blank: the general opinions)."""
    if not can(user, "legislative_draft.manage", draft):
        raise DomainError(_("只有本县常委会工作人员可以汇总意见。"))
    refusal = rules.summary_refusal(draft, timezone.localdate())
    if refusal:
        raise DomainError(refusal)
    if adoption not in ArticleSummary.Adoption.values:
        raise DomainError(_("请选择采纳意见。"), field="adoption")
    summary, _created = ArticleSummary.objects.update_or_create(
        draft=draft,
        article=_clean_article(article),
        defaults={"adoption": adoption, "note": note.strip()},
    )
    return summary


def draft_report(
    *, user: "User", draft: Draft, reported_on: datetime.date, summary_note: str = ""
) -> Draft:
    """Mark the summary sent to the upper congress (已汇总报送) on that date."""
    if not can(user, "legislative_draft.manage", draft):
        raise DomainError(_("只有本县常委会工作人员可以报送汇总。"))
    refusal = rules.summary_refusal(draft, timezone.localdate())
    if refusal:
        raise DomainError(refusal)
    if reported_on > timezone.localdate() or reported_on < draft.published_on:
        raise DomainError(_("报送日期应在发布日期和今天之间。"), field="reported_on")
    articles = set(draft.opinions.values_list("article", flat=True))
    summarised = set(draft.article_summaries.values_list("article", flat=True))
    missing = sorted(articles - summarised)
    if missing:
        names = "、".join(article or _("总体意见") for article in missing)
        raise DomainError(_("还有条款的意见没有汇总:%(names)s。") % {"names": names})
    draft.status = Draft.Status.REPORTED
    draft.reported_on = reported_on
    draft.summary_note = summary_note.strip()
    draft.save(update_fields=["status", "reported_on", "summary_note"])
    return draft
