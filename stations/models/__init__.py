from .ledger import ActivityPhoto, StationActivity
from .opinions import Opinion, OpinionCategory, OpinionEvent
from .receptions import Reception, ReceptionDay, ReceptionDuty, ReceptionPhoto
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
    "SmallWish",
    "StationActivity",
]
