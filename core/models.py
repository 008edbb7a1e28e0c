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
