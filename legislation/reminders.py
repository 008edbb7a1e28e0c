"""Notifications of 立法意见征集 (Celery, legislation.tasks):

- when a draft is published, each account it reaches is told once: the deputies in office of the
  stations it was sent to (when it is sent to deputies) and those stations' keepers;
- LEGISLATION_REMINDER_DAYS before the deadline, the keepers of the stations that have not yet
  recorded an opinion on it are reminded once.

As with every reminder of the portal, the notification's unique key (draft, recipient, what)
keeps a second run, or a redelivered task, from sending anything twice."""

import datetime

from django.conf import settings
from django.db.models import Exists, OuterRef, Q, QuerySet
from django.utils.translation import gettext as _

from accounts.models import Role, User
from core.notifications import notify
from directory.models import Mandate

from .models import Draft, LegislativeOpinion


def _reached_stations(draft: Draft) -> Q:
    """The condition on a user's station (``station`` or ``deputy__station``) for this draft."""
    if draft.all_stations:
        return Q(station__county_id=draft.county_id)
    return Q(station__in=draft.stations.values("pk"))


def _keepers(draft: Draft) -> QuerySet[User]:
    return User.objects.filter(_reached_stations(draft), role=Role.STATION_KEEPER, is_active=True)


def _deputies(draft: Draft) -> QuerySet[User]:
    if not draft.for_deputies:
        return User.objects.none()
    if draft.all_stations:
        reached = Q(deputy__county_id=draft.county_id)
    else:
        reached = Q(deputy__station__in=draft.stations.values("pk"))
    in_office = Exists(Mandate.objects.filter(deputy_id=OuterRef("deputy_id"), is_active=True))
    return User.objects.filter(reached, in_office, role=Role.DEPUTY, is_active=True)


def draft_published_notify(*, draft_id: int) -> int:
    """Tell every account the draft reaches that it is open for comment; how many were told."""
    draft = Draft.objects.filter(pk=draft_id, status=Draft.Status.OPEN).first()
    if draft is None:
        return 0
    facts = {
        "issuer": draft.issuer,
        "title": draft.title,
        "deadline": f"{draft.deadline:%Y年%m月%d日}",
    }
    asks: dict[str, str] = {
        Role.DEPUTY: _(
            "%(issuer)s就《%(title)s》征求意见,请于%(deadline)s前在手机上提出您的意见。"
        ),
        Role.STATION_KEEPER: _(
            "%(issuer)s就《%(title)s》征求意见,请组织群众座谈或在接待日听取意见,"
            "于%(deadline)s前登记到家站。"
        ),
    }
    sent = 0
    for user in _deputies(draft).union(_keepers(draft)).order_by("pk"):
        created = notify(
            recipient=user,
            kind="legislation_draft",
            title=_("立法征求意见:%(title)s") % {"title": draft.title},
            body=asks[user.role] % facts,
            link=draft.get_absolute_url(),
            dedupe_key=f"legislation_draft:{draft.pk}:{user.pk}",
        )
        sent += created is not None
    return sent


def draft_deadline_reminders_send(*, today: datetime.date) -> int:
    """Remind the keepers of stations without an opinion on a draft whose deadline is
    LEGISLATION_REMINDER_DAYS away (each keeper once per draft)."""
    target = today + datetime.timedelta(days=settings.LEGISLATION_REMINDER_DAYS)
    sent = 0
    for draft in Draft.objects.filter(status=Draft.Status.OPEN, deadline=target).order_by("pk"):
        heard = LegislativeOpinion.objects.filter(draft=draft, station_id=OuterRef("station_id"))
        for user in _keepers(draft).exclude(Exists(heard)).select_related("station").order_by("pk"):
            created = notify(
                recipient=user,
                kind="legislation_deadline",
                title=_("立法意见征集即将截止:%(title)s") % {"title": draft.title},
                body=_("《%(title)s》的意见征集将于%(deadline)s截止,%(station)s还没有登记意见。")
                % {
                    "title": draft.title,
                    "deadline": f"{draft.deadline:%Y年%m月%d日}",
                    "station": user.station.name if user.station else "",
                },
                link=draft.get_absolute_url(),
                dedupe_key=f"legislation_deadline:{draft.pk}:{user.pk}",
            )
            sent += created is not None
    return sent
