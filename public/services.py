"""Writes of the public side: an opinion sent online (into the stations triage queue) and the
duty stories staff enter and publish."""

from typing import TYPE_CHECKING

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.access import can, county_record
from core.errors import DomainError
from directory.models import Deputy, Region, Station
from stations.models import Opinion, OpinionEvent
from stations.services.opinions import opinion_create

from .models import DutyStory, OnlineOpinion

if TYPE_CHECKING:
    from accounts.models import User


def online_opinion_submit(
    *,
    county: Region,
    category: str,
    content: str,
    township: Region | None = None,
    station: Station | None = None,
    deputy: Deputy | None = None,
    contact: str = "",
    photo=None,
) -> Opinion:
    """An opinion from the 民意直通车 form, addressed to a township, a station or a deputy (whose
    station and township it then goes to). It lands in the triage queue as channel 'online'; the
    contact is stored encrypted in the opinion's phone field and never shown publicly."""
    if deputy is not None:
        station = deputy.station
        if station is None or station.county_id != county.pk:
            raise DomainError(_("找不到这位代表,请从家站页面选择代表。"), field="deputy")
    if station is not None:
        if station.county_id != county.pk or not station.is_active:
            raise DomainError(_("请选择本县的家站。"), field="station")
        township = station.township
    if township is None:
        raise DomainError(_("请选择乡镇(街道)或家站。"), field="township")
    if township.county_id != county.pk or township.level != Region.Level.TOWNSHIP:
        raise DomainError(_("请选择本县的乡镇(街道)。"), field="township")
    with transaction.atomic():
        opinion = opinion_create(
            user=None,
            channel=Opinion.Channel.ONLINE,
            township=township,
            station=station,
            category=category,
            content=content,
            voter_phone=contact,
        )
        OnlineOpinion.objects.create(opinion=opinion, deputy=deputy, photo=photo or "")
        notes = [_("网上民意直通车受理")]
        if deputy is not None:
            notes.append(_("致%(name)s代表") % {"name": deputy.name})
        if photo:
            notes.append(_("附照片"))
        OpinionEvent.objects.filter(opinion=opinion).update(note=",".join(notes))
    return opinion


def _require_staff(user: "User", county_id: int) -> None:
    if not can(user, "duty_story.write", county_record(county_id)):
        raise DomainError(_("只有常委会工作人员可以录入和公开履职故事。"))


def duty_story_save(
    *, user: "User", county: Region, data: dict, story: DutyStory | None = None
) -> DutyStory:
    """Create or edit a story from cleaned form data (title, outlet, published_on, link, text,
    station, deputies)."""
    _require_staff(user, county.pk)
    if not data.get("link") and not (data.get("text") or "").strip():
        raise DomainError(_("请填写链接或正文(至少一项)。"), field="link")
    station = data.get("station")
    if station is not None and station.county_id != county.pk:
        raise DomainError(_("家站不属于本县。"), field="station")
    deputies = list(data.get("deputies") or [])
    if any(d.station is None or d.station.county_id != county.pk for d in deputies):
        raise DomainError(_("只能选择本县的代表。"), field="deputies")
    with transaction.atomic():
        if story is None:
            story = DutyStory(county=county, created_by=user)
        for field in ("title", "outlet", "published_on", "link", "text"):
            setattr(story, field, data.get(field) or ("" if field in ("link", "text") else None))
        story.station = station
        story.save()
        story.deputies.set(deputies)
    return story


def duty_story_publish(*, user: "User", story: DutyStory, published: bool) -> DutyStory:
    """Show the story on the public pages, or take it back."""
    _require_staff(user, story.county_id)
    with transaction.atomic():
        locked = DutyStory.objects.select_for_update().get(pk=story.pk)
        if locked.is_published == published:
            raise DomainError(_("履职故事已公开。") if published else _("履职故事尚未公开。"))
        locked.is_published = published
        locked.published_at = timezone.now() if published else None
        locked.save(update_fields=["is_published", "published_at", "updated_at"])
    return locked
