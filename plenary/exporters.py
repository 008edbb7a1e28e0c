"""The attendance of a 人代会 session: one row per convened deputy with their status at each
sitting, and the leaves with their approval."""

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from accounts.access import can
from core.errors import DomainError
from core.exports import Column, Exporter, Sheet, choice_label, register
from core.filters import query_int

from . import selectors
from .models import Attendance, Session

_status = choice_label(Attendance.Status.choices)


class AttendanceSheet(Sheet):
    verbose_name = gettext_lazy("出席情况")
    columns = (
        Column(gettext_lazy("代表"), 12, "name"),
        Column(gettext_lazy("代表团"), 14, "delegation"),
        Column(gettext_lazy("场次"), 28, "sitting"),
        Column(gettext_lazy("出席情况"), 10, "status", _status),
        Column(gettext_lazy("请假事由"), 20, "leave_reason"),
        Column(gettext_lazy("请假批准人"), 14, "leave_approved_by"),
        Column(gettext_lazy("批准日期"), 12, "leave_approved_on"),
    )

    def count(self) -> int:
        session = self.exporter.session()
        return session.delegates.count() * session.sittings.count()

    def rows(self):
        session = self.exporter.session()
        sittings = selectors.session_sittings(session=session)
        recorded = {
            (a.sitting_id, a.deputy_id): a
            for a in selectors.attendance_list(user=self.user).filter(sitting__session=session)
        }
        for delegate in selectors.session_delegates(session=session):
            for sitting in sittings:
                attendance = recorded.get((sitting.pk, delegate.deputy_id))
                yield self.cells(
                    {
                        "name": delegate.deputy.name,
                        "delegation": delegate.delegation.name if delegate.delegation else "",
                        "sitting": str(sitting),
                        "status": attendance.status if attendance else "",
                        "leave_reason": attendance.leave_reason if attendance else "",
                        "leave_approved_by": attendance.leave_approved_by if attendance else "",
                        "leave_approved_on": attendance.leave_approved_on if attendance else None,
                    }
                )


@register
class SessionAttendanceExporter(Exporter):
    identifier = "plenary_attendance"
    verbose_name = gettext_lazy("人代会出席情况")
    sheet_classes = (AttendanceSheet,)

    @classmethod
    def allowed(cls, user) -> bool:
        return can(user, "plenary.manage")

    @classmethod
    def clean_params(cls, user, data) -> dict:
        pk = query_int(data.get("session"))
        if pk is None:
            raise DomainError(_("请选择一次会议。"), field="session")
        # 404 outside the user's scope, 403 for who may not keep it: as the roll-call page.
        return {"session": selectors.session_get_for_change(user=user, pk=pk).pk}

    def session(self) -> Session:
        if not hasattr(self, "_session"):
            self._session = selectors.session_get_for_change(
                user=self.user, pk=self.params["session"]
            )
        return self._session

    def title(self) -> str:
        return _("%(session)s出席情况") % {"session": self.session().title}

    def filename(self) -> str:
        return f"{self.session().title}-出席情况.xlsx"
