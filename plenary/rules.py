"""The rules of the 人代会 read by services and pages alike: who is convened, how many deputies a
motion needs, and the attendance figures."""

import dataclasses
import datetime

from django.db.models import Q, QuerySet

from directory.models import Deputy, Level, Mandate

from .models import Congress

# 地方组织法: 县级人大代表十人以上联名, 乡镇人大代表五人以上联名 may put a motion to the session.
MIN_SIGNERS = {Congress.COUNTY: 10, Congress.TOWNSHIP: 5}


def mandates_held_on(level: str, day: datetime.date) -> QuerySet[Mandate]:
    """The mandates of ``level`` held on ``day``: begun by then (or of unknown start) and not
    ended before it (in office, or ended on or after the day)."""
    return Mandate.objects.filter(level=level).filter(
        Q(started_on__isnull=True) | Q(started_on__lte=day),
        Q(is_active=True, ended_on__isnull=True) | Q(ended_on__gte=day),
    )


def convened_deputies(
    *, level: str, county_id: int, congress_id: int, day: datetime.date
) -> QuerySet[Deputy]:
    """The deputies of a congress convened to a session opening on ``day``: a county congress's
    deputies of the county, a township's stationed in the township (a mandate names no region,
    the station tells it), each holding a mandate of that level on the opening date."""
    mandate_level = Level.COUNTY if level == Congress.COUNTY else Level.TOWNSHIP
    deputies = Deputy.objects.filter(
        pk__in=mandates_held_on(mandate_level, day).values("deputy_id")
    )
    if level == Congress.COUNTY:
        return deputies.filter(county_id=county_id)
    return deputies.filter(station__township_id=congress_id)


@dataclasses.dataclass
class Tally:
    """Attendance figures of a sitting (or a deputy over a session)."""

    convened: int = 0
    present: int = 0
    leave: int = 0
    absent: int = 0

    @property
    def unrecorded(self) -> int:
        return max(self.convened - self.present - self.leave - self.absent, 0)

    @property
    def rate(self) -> float | None:
        """出席率: present over convened, as a percentage (None for an empty sitting)."""
        if not self.convened:
            return None
        return round(100 * self.present / self.convened, 1)
