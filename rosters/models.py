import uuid

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


def _import_path(job: "ImportJob", filename: str) -> str:
    return f"roster-imports/{job.pk}/roster.xlsx"


class ImportJob(models.Model):
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
    head = models.JSONField(_("前几行"), default=list, blank=True)
    header_row = models.PositiveIntegerField(_("表头行"), null=True, blank=True)
    mapping = models.JSONField(_("列对应"), default=dict, blank=True)
    commit_requested = models.BooleanField(_("确认导入"), default=False)
    status = models.CharField(
        _("状态"), max_length=10, choices=Status.choices, default=Status.UPLOADED
    )
    rows_done = models.PositiveIntegerField(_("已处理行数"), default=0)
    rows_total = models.PositiveIntegerField(_("总行数"), default=0)
    result = models.JSONField(_("检查结果"), default=dict, blank=True)
    error = models.TextField(_("错误"), blank=True)
    created_at = models.DateTimeField(_("上传时间"), auto_now_add=True)
    finished_at = models.DateTimeField(_("完成时间"), null=True, blank=True)

    class Meta:
        verbose_name = _("名册导入")
        verbose_name_plural = _("名册导入")
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.roster} {self.original_name}"

    @property
    def finished(self) -> bool:
        return self.status in (self.Status.CHECKED, self.Status.COMMITTED, self.Status.FAILED)

    @property
    def percent(self) -> int:
        if self.finished:
            return 100
        if not self.rows_total:
            return 0
        return min(99, self.rows_done * 100 // self.rows_total)
