"""The "三零" report as Excel: a summary sheet (counts per township) and the findings with a
township column, both scoped to the exporting user (township staff get their township only)."""

from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from accounts.access import can_read, can_view_personal_data, get_for_user
from core.errors import DomainError
from core.exports import CHUNK_SIZE, Column, Exporter, Sheet, choice_label, register
from core.filters import query_int
from core.masking import mask_name

from . import selectors
from .models import RegistrationCheck, RegistrationFinding


class SummarySheet(Sheet):
    verbose_name = gettext_lazy("分乡镇统计")
    columns = (
        Column(gettext_lazy("乡镇(街道)"), 20, "township_name"),
        Column(gettext_lazy("漏登"), 10, "missing"),
        Column(gettext_lazy("错登"), 10, "wrong"),
        Column(gettext_lazy("重登"), 10, "duplicate"),
        Column(gettext_lazy("合计"), 10, "total"),
    )

    def counts(self) -> list[dict]:
        if not hasattr(self, "_counts"):
            self._counts = selectors.counts_by_township(self.exporter.findings())
        return self._counts

    def count(self) -> int:
        return len(self.counts())

    def rows(self):
        for row in self.counts():
            yield self.cells(row)


class FindingSheet(Sheet):
    verbose_name = gettext_lazy("问题清单")
    columns = (
        Column(gettext_lazy("乡镇(街道)"), 16, "township_name"),
        Column(gettext_lazy("村(社区)"), 16, "village_name"),
        Column(gettext_lazy("类别"), 8, "kind", choice_label(RegistrationFinding.Kind.choices)),
        Column(
            gettext_lazy("原因"), 24, "reason", choice_label(RegistrationFinding.Reason.choices)
        ),
        Column(gettext_lazy("姓名"), 10, "name"),  # masked in rows() unless the user may see it
        Column(gettext_lazy("公民身份号码"), 22, "id_number_masked"),
        Column(gettext_lazy("所在表行号"), 10, "row"),
        Column(gettext_lazy("说明"), 40, "detail"),
    )

    def count(self) -> int:
        return self.exporter.findings().count()

    def rows(self):
        values = self.exporter.findings().values(*self.fields())
        show_names = can_view_personal_data(self.user)
        for row in values.iterator(chunk_size=CHUNK_SIZE):
            if not show_names:
                row["name"] = mask_name(row["name"])
            yield self.cells(row)


@register
class RegistrationFindingsExporter(Exporter):
    identifier = "registration_findings"
    verbose_name = gettext_lazy("选民登记比对结果")
    sheet_classes = (SummarySheet, FindingSheet)

    @classmethod
    def allowed(cls, user) -> bool:
        return can_read(user, "registration_finding")

    @classmethod
    def clean_params(cls, user, data) -> dict:
        check_id = query_int(data.get("check"))
        if check_id is None:
            raise DomainError(_("请选择一次比对。"), field="check")
        check = cls._check(user, check_id)
        if check.status != RegistrationCheck.Status.DONE:
            raise DomainError(_("比对尚未完成。"), field="check")
        return {"check": check.pk}

    @staticmethod
    def _check(user, pk: int) -> RegistrationCheck:
        try:
            return get_for_user(RegistrationCheck.objects.all(), user, "registration_check", pk=pk)
        except Http404:
            raise DomainError(_("没有这次比对,或您无权查看。")) from None

    def check(self) -> RegistrationCheck:
        if not hasattr(self, "_check_obj"):
            self._check_obj = self._check(self.user, self.params["check"])
        return self._check_obj

    def findings(self):
        return selectors.finding_list(user=self.user, check=self.check())

    def title(self) -> str:
        return _("%(day)s 选民登记比对结果") % {"day": self.check().election_day.isoformat()}

    def filename(self) -> str:
        return f"{_('选民登记比对')}-{self.check().election_day:%Y%m%d}-{timezone.localdate():%Y%m%d}.xlsx"
