import uuid

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from core.crypto import EncryptedJSONField
from core.models import BackgroundJob

from .base import RowStatus


def _import_path(job: "ImportJob", filename: str) -> str:
    # Sealed (core.crypto.seal_chunks): the stored bytes are not a workbook until opened.
    return f"roster-imports/{job.pk}/roster.sealed"


class ImportJob(BackgroundJob):
    """One roster file on its way in: uploaded, its columns matched, checked in the background
    (the preview), then committed all or nothing. Only the person who uploaded it sees it."""

    class Status(models.TextChoices):
        UPLOADED = "uploaded", _("待确认列")
        PENDING = "pending", _("排队中")
        RUNNING = "running", _("正在处理")
        CHECKED = "checked", _("已检查")
        COMMITTED = "committed", _("已导入")
        FAILED = "failed", _("处理失败")

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        models.CASCADE,
        related_name="roster_imports",
        verbose_name=_("导入人"),
    )
    roster = models.CharField(_("名册"), max_length=20)
    file = models.FileField(_("文件"), upload_to=_import_path)
    original_name = models.CharField(_("原文件名"), max_length=200)
    # The sheet staff named on the upload form; blank: the first sheet with data.
    sheet = models.CharField(_("工作表"), max_length=100, blank=True)
    # The first rows as the mapping page shows them: ID numbers and phones, so sealed.
    head = EncryptedJSONField(_("前几行"), default=list, blank=True)
    header_row = models.PositiveIntegerField(_("表头行"), null=True, blank=True)
    mapping = models.JSONField(_("列对应"), default=dict, blank=True)
    # One value for the whole file for a column it lacks: {roster column key: text}.
    fixed_values = models.JSONField(_("整列取值"), default=dict, blank=True)
    commit_requested = models.BooleanField(_("确认导入"), default=False)
    status = models.CharField(
        _("状态"), max_length=10, choices=Status.choices, default=Status.UPLOADED
    )
    # Counts and file errors only; each row's outcome is an ImportRow.
    result = models.JSONField(_("检查结果"), default=dict, blank=True)

    DONE_STATUSES = (Status.CHECKED, Status.COMMITTED)
    FINISHED_STATUSES = (Status.CHECKED, Status.COMMITTED, Status.FAILED)

    class Meta(BackgroundJob.Meta):
        verbose_name = _("名册导入")
        verbose_name_plural = _("名册导入")

    def __str__(self) -> str:
        return f"{self.roster} {self.original_name}"

    @property
    def percent(self) -> int:
        return 100 if self.finished else super().percent


class ImportRow(models.Model):
    """One row's outcome in a job's preview, stored row by row (in chunks) so that the page reads
    one page of rows and the check never holds the whole report as one document. What the row
    says (who it is about, what changes, its errors naming values) is sealed in ``content``;
    only the row number and status are in clear, to filter and page by."""

    job = models.ForeignKey(ImportJob, models.CASCADE, related_name="rows")
    row = models.PositiveIntegerField(_("行"))
    status = models.CharField(_("结果"), max_length=10, choices=RowStatus.choices)
    content = EncryptedJSONField(_("内容"), default=dict)  # label, changes, errors

    class Meta:
        verbose_name = _("导入行")
        verbose_name_plural = _("导入行")
        ordering = ["job", "row"]
        constraints = [
            models.UniqueConstraint(fields=["job", "row"], name="rosters_importrow_unique_row")
        ]
        indexes = [models.Index(fields=["job", "status", "row"])]

    def __str__(self) -> str:
        return f"{self.job_id} 第{self.row}行"

    @property
    def label(self) -> str:
        return self.content.get("label", "")

    @property
    def changes(self) -> list[str]:
        return self.content.get("changes", [])

    @property
    def errors(self) -> list[dict]:
        return self.content.get("errors", [])


class ValueMapping(models.Model):
    """What a county's staff chose for a value the portal did not know (职业 “网格员” → 其他),
    applied to every later file of the county."""

    county = models.ForeignKey(
        "directory.Region",
        models.CASCADE,
        related_name="+",
        limit_choices_to={"level": "county"},
        verbose_name=_("所属县"),
    )
    column = models.CharField(_("列"), max_length=20)  # rosters.values vocabulary key
    raw_value = models.CharField(_("原值"), max_length=100)
    value = models.CharField(_("对应为"), max_length=20)
    updated_at = models.DateTimeField(_("修改时间"), auto_now=True)

    class Meta:
        verbose_name = _("取值对应")
        verbose_name_plural = _("取值对应")
        ordering = ["county", "column", "raw_value"]
        constraints = [
            models.UniqueConstraint(
                fields=["county", "column", "raw_value"], name="valuemapping_once_per_value"
            )
        ]

    def __str__(self) -> str:
        return f"{self.column}:{self.raw_value} → {self.value}"
