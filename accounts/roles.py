"""The roles of the portal's users: the bottom of accounts, imported by its models and by the
access policy alike (so neither imports the other for them)."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Role(models.TextChoices):
    ADMINISTRATOR = "administrator", _("系统管理员")
    COMMITTEE_STAFF = "committee_staff", _("常委会代表工委工作人员")
    TOWNSHIP_STAFF = "township_staff", _("乡镇人大(街道人大工委)工作人员")
    STATION_KEEPER = "station_keeper", _("家站管理员")
    DEPUTY = "deputy", _("人大代表")
    HANDLING_UNIT = "handling_unit", _("承办单位")
    COMMITTEE_MEMBER = "committee_member", _("常委会组成人员")


# What each role must be linked to, so that its scope is defined.
ROLE_REQUIRED_LINKS = {
    Role.COMMITTEE_STAFF: ("county",),
    Role.COMMITTEE_MEMBER: ("county",),
    Role.TOWNSHIP_STAFF: ("township",),
    Role.STATION_KEEPER: ("station",),
    Role.DEPUTY: ("deputy",),
    Role.HANDLING_UNIT: ("handling_unit",),
}
