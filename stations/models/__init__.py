from .ledger import ActivityPhoto, StationActivity
from .opinions import Opinion, OpinionCategory, OpinionEvent
from .receptions import Reception, ReceptionDay, ReceptionDuty, ReceptionPhoto
from .regions import Region, Station, StationQuerySet, next_reception_date
from .wishes import SmallWish

__all__ = [
    "ActivityPhoto",
    "Opinion",
    "OpinionCategory",
    "OpinionEvent",
    "Reception",
    "ReceptionDay",
    "ReceptionDuty",
    "ReceptionPhoto",
    "Region",
    "SmallWish",
    "Station",
    "StationActivity",
    "StationQuerySet",
    "next_reception_date",
]
