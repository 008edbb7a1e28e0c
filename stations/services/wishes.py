"""Small wishes (微心愿): recorded, claimed by a deputy, fulfilled."""

import datetime
from typing import TYPE_CHECKING

from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.access import can
from core.errors import DomainError
from deputies.models import DutyRecord
from deputies.services import duty_records_sync
from directory.models import Deputy, Station

from ..models import SmallWish

if TYPE_CHECKING:
    from accounts.models import User


def wish_create(*, user: "User", station: Station, person_name: str, content: str) -> SmallWish:
    if not can(user, "small_wish.create", station):
        raise DomainError(_("只能为本站登记微心愿。"))
    if not person_name.strip() or not content.strip():
        raise DomainError(_("请填写心愿人和心愿内容。"))
    return SmallWish.objects.create(
        station=station, person_name=person_name.strip(), content=content.strip(), created_by=user
    )


def wish_claim(*, user: "User", wish: SmallWish, deputy: Deputy) -> SmallWish:
    if not can(user, "small_wish.claim", wish, deputy=deputy):
        raise DomainError(_("只能为自己认领,或由本站管理员代为认领。"))
    if deputy.station_id != wish.station_id:
        raise DomainError(_("%(name)s不在本站进驻,不能认领本站的心愿。") % {"name": deputy.name})
    with transaction.atomic():
        updated = SmallWish.objects.filter(pk=wish.pk, status=SmallWish.Status.OPEN).update(
            status=SmallWish.Status.CLAIMED, claimed_by=deputy, claimed_at=timezone.now()
        )
        if not updated:
            raise DomainError(_("这个心愿已经被认领了。"))
    wish.refresh_from_db()
    return wish


def wish_fulfill(
    *,
    user: "User",
    wish: SmallWish,
    fulfilled_on: datetime.date,
    note: str,
    photo: UploadedFile | None = None,
) -> SmallWish:
    if not can(user, "small_wish.fulfil", wish):
        raise DomainError(_("只有认领的代表或本站管理员可以登记心愿实现情况。"))
    if fulfilled_on > timezone.localdate():
        raise DomainError(_("实现日期不能晚于今天。"), field="fulfilled_on")
    with transaction.atomic():
        # Lock the row: two fulfilments sent at the same moment make one.
        wish = (
            SmallWish.objects.select_for_update(of=("self",))
            .select_related("claimed_by")
            .get(pk=wish.pk)
        )
        if wish.status != SmallWish.Status.CLAIMED:
            raise DomainError(
                _("心愿当前为“%(status)s”,不能登记实现。") % {"status": wish.get_status_display()}
            )
        wish.status = SmallWish.Status.FULFILLED
        wish.fulfilled_on, wish.fulfillment_note = fulfilled_on, note
        if photo is not None:
            wish.photo = photo
        wish.save()
        duty_records_sync(
            source=wish,
            kind=DutyRecord.Kind.SMALL_WISH,
            deputies=[wish.claimed_by],  # type: ignore[list-item]  # a claimed wish has its claimer
            occurred_on=fulfilled_on,
            title=_("实现微心愿:%(content)s") % {"content": wish.content},
        )
    return wish
