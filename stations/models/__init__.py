from .ledger import ActivityPhoto, StationActivity
from .opinions import Opinion, OpinionCategory, OpinionEvent
from .receptions import Reception, ReceptionDay, ReceptionDuty, ReceptionPhoto
from .visits import Mailbox, MailboxOpening, VisitDay
from .wishes import SmallWish

__all__ = [
    "ActivityPhoto",
    "Mailbox",
    "MailboxOpening",
    "Opinion",
    "OpinionCategory",
    "OpinionEvent",
    "Reception",
    "ReceptionDay",
    "ReceptionDuty",
    "ReceptionPhoto",
    "SmallWish",
    "StationActivity",
    "VisitDay",
]
