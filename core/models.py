import uuid
from collections.abc import Callable
from typing import ClassVar

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class PersonalDataAccess(models.Model):
    """One full view or export of a record's personal data: who, when, which record, from where."""

    class Action(models.TextChoices):
        VIEW = "view", _("查看")
        EXPORT = "export", _("导出")

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.PROTECT, related_name="+", verbose_name=_("用户")
    )
    at = models.DateTimeField(_("时间"), auto_now_add=True, db_index=True)
    action = models.CharField(_("操作"), max_length=10, choices=Action.choices)
    record_type = models.CharField(_("记录类型"), max_length=60)
    record_id = models.CharField(_("记录编号"), max_length=40)
    record_repr = models.CharField(_("记录"), max_length=200)
    fields = models.CharField(_("字段"), max_length=200)
    ip_address = models.GenericIPAddressField(_("IP 地址"), null=True, blank=True)
    path = models.CharField(_("请求路径"), max_length=300, blank=True)

    class Meta:
        verbose_name = _("个人信息访问记录")
        verbose_name_plural = _("个人信息访问记录")
        ordering = ["-at"]
        indexes = [models.Index(fields=["record_type", "record_id"])]

    def __str__(self) -> str:
        return f"{self.user} {self.get_action_display()} {self.record_repr}"


class OutboxMessage(models.Model):
    """A Celery task to send, written in the transaction of the change that needs it. Pages keep
    working while the broker is down; relay_outbox sends what is pending once it is back."""

    task_name = models.CharField(_("任务"), max_length=200)
    args = models.JSONField(_("参数"), default=list)
    kwargs = models.JSONField(_("关键字参数"), default=dict)
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)
    sent_at = models.DateTimeField(_("发送时间"), null=True, blank=True)
    attempts = models.PositiveIntegerField(_("尝试次数"), default=0)
    last_error = models.TextField(_("最近错误"), blank=True)

    class Meta:
        verbose_name = _("待发送任务")
        verbose_name_plural = _("待发送任务")
        ordering = ["pk"]
        indexes = [
            models.Index(
                fields=["created_at"],
                condition=models.Q(sent_at__isnull=True),
                name="outbox_pending",
            )
        ]

    def __str__(self) -> str:
        return f"{self.task_name} #{self.pk}"

    @property
    def task_id(self) -> str:
        # Deterministic, so a message published twice shows as one task id in the logs; the
        # tasks themselves are idempotent (claims and unique keys), which is what makes it safe.
        return f"outbox-{self.pk}"


class Notification(models.Model):
    """An in-app notification, also sent by e-mail and SMS where the user has them. The dedupe key
    makes a reminder unique in the database: running a reminder task twice notifies once."""

    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        models.CASCADE,
        related_name="notifications",
        verbose_name=_("接收人"),
    )
    kind = models.CharField(_("类别"), max_length=40)
    title = models.CharField(_("标题"), max_length=200)
    body = models.TextField(_("内容"), blank=True)
    link = models.CharField(_("链接"), max_length=300, blank=True)
    dedupe_key = models.CharField(max_length=200, unique=True)
    created_at = models.DateTimeField(_("时间"), auto_now_add=True)
    read_at = models.DateTimeField(_("已读时间"), null=True, blank=True)
    email_sent_at = models.DateTimeField(_("邮件发送时间"), null=True, blank=True)
    sms_sent_at = models.DateTimeField(_("短信发送时间"), null=True, blank=True)
    delivery_failed = models.BooleanField(_("发送失败"), default=False)
    delivery_error = models.TextField(_("发送错误"), blank=True)

    class Meta:
        verbose_name = _("通知")
        verbose_name_plural = _("通知")
        ordering = ["-created_at", "-pk"]
        indexes = [models.Index(fields=["recipient", "read_at"])]

    def __str__(self) -> str:
        return self.title


class BackgroundJob(models.Model):
    """What every job that runs in the background with a progress bar shares: rows done out of
    a total, the error a user reads when it failed, when it was created and finished, and the
    progress its page polls (``progress()``, read by static/js/export.js).

    Each job declares its own ``status`` field (max_length 10) over its ``Status`` choices, and
    says which statuses mean the work is done (``DONE_STATUSES``) and which end the job
    (``FINISHED_STATUSES``, done or failed)."""

    DONE_STATUSES: ClassVar[tuple[str, ...]]
    FINISHED_STATUSES: ClassVar[tuple[str, ...]]
    # Declared by each job (above); named here for the type checker only.
    status: str
    get_status_display: Callable[[], str]

    rows_done = models.PositiveIntegerField(_("已处理行数"), default=0)
    rows_total = models.PositiveIntegerField(_("总行数"), default=0)
    error = models.TextField(_("错误"), blank=True)
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)
    finished_at = models.DateTimeField(_("完成时间"), null=True, blank=True)

    class Meta:
        abstract = True
        ordering = ["-created_at"]

    @property
    def finished(self) -> bool:
        return self.status in self.FINISHED_STATUSES

    @property
    def percent(self) -> int:
        if self.status in self.DONE_STATUSES:
            return 100
        if not self.rows_total:
            return 0
        return min(99, self.rows_done * 100 // self.rows_total)

    def progress(self) -> dict:
        """What the progress bar polls: "done" reloads the page, "failed" shows the error."""
        return {
            "status": "done" if self.status in self.DONE_STATUSES else self.status,
            "status_display": self.get_status_display(),
            "percent": self.percent,
            "rows_done": self.rows_done,
            "rows_total": self.rows_total,
            "error": self.error,
        }


def _export_path(job: "ExportJob", filename: str) -> str:
    return f"exports/{job.pk}/{filename}"


class ExportJob(BackgroundJob):
    """One export run in the background (core.exports): the page polls its progress and offers
    the file until it expires. Only its owner can see or download it."""

    class Status(models.TextChoices):
        PENDING = "pending", _("排队中")
        RUNNING = "running", _("正在导出")
        DONE = "done", _("已完成")
        FAILED = "failed", _("导出失败")

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        models.CASCADE,
        related_name="export_jobs",
        verbose_name=_("导出人"),
    )
    exporter = models.CharField(_("导出内容"), max_length=60)
    params = models.JSONField(_("条件"), default=dict, blank=True)
    status = models.CharField(
        _("状态"), max_length=10, choices=Status.choices, default=Status.PENDING
    )
    file = models.FileField(_("文件"), upload_to=_export_path, blank=True)
    filename = models.CharField(_("文件名"), max_length=200, blank=True)
    expires_at = models.DateTimeField(_("过期时间"), null=True, blank=True, db_index=True)
    # The run that holds the job (core.exports.run_export): its token and a lease it renews while
    # writing. A worker killed mid-export stops renewing; once the lease has lapsed the redelivered
    # task takes the job over, and only the holder of the token may finish it.
    attempts = models.PositiveSmallIntegerField(_("运行次数"), default=0, editable=False)
    lease_token = models.CharField(max_length=32, blank=True, editable=False)
    lease_until = models.DateTimeField(null=True, blank=True, editable=False)

    DONE_STATUSES = (Status.DONE,)
    FINISHED_STATUSES = (Status.DONE, Status.FAILED)

    class Meta(BackgroundJob.Meta):
        verbose_name = _("导出任务")
        verbose_name_plural = _("导出任务")

    def __str__(self) -> str:
        return f"{self.exporter} {self.created_at:%Y-%m-%d %H:%M}"
