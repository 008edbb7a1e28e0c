"""What the operations pages and the readiness check read: heartbeats and failed tasks."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Heartbeat(models.Model):
    """The last sign of life of a background process: ``beat`` (written by a task beat schedules
    every minute) or ``worker:<hostname>`` (written by the worker itself, with its queues)."""

    name = models.CharField(_("名称"), max_length=200, unique=True)
    at = models.DateTimeField(_("时间"))
    detail = models.JSONField(_("详情"), default=dict, blank=True)

    class Meta:
        verbose_name = _("心跳")
        verbose_name_plural = _("心跳")

    def __str__(self) -> str:
        return self.name


class TaskFailure(models.Model):
    """A Celery task that raised, kept for the status page for TASK_FAILURE_RETENTION_DAYS."""

    task_name = models.CharField(_("任务"), max_length=200)
    task_id = models.CharField(_("任务编号"), max_length=64, blank=True)
    exception = models.CharField(_("错误"), max_length=500)
    traceback = models.TextField(_("堆栈"), blank=True)
    occurred_at = models.DateTimeField(_("时间"), auto_now_add=True, db_index=True)

    class Meta:
        verbose_name = _("失败任务")
        verbose_name_plural = _("失败任务")
        ordering = ["-occurred_at", "-pk"]

    def __str__(self) -> str:
        return f"{self.task_name}: {self.exception}"
