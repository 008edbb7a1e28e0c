"""Third-party apps under the names the back office shows (INSTALLED_APPS points here).

An app without a translatable ``verbose_name`` shows its label ("AXES", "OTP_TOTP"); these
subclasses keep each app's name, label and ``ready()`` and only give it a Chinese name. django-otp
writes its model and field texts as plain strings: they are wrapped here in ``gettext_lazy`` with
the same English msgid (translated in locale/), so the migration state does not change.
"""

from auditlog.apps import AuditlogConfig as BaseAuditlogConfig
from axes.apps import AppConfig as BaseAxesConfig
from django.utils import formats, timezone
from django.utils.translation import gettext, gettext_lazy
from django.utils.translation import gettext_lazy as _
from django_otp.plugins.otp_totp.apps import DefaultConfig as BaseTOTPConfig


class AxesConfig(BaseAxesConfig):
    verbose_name = _("登录保护")

    def ready(self):
        super().ready()
        # django-axes names its rows in English f-strings (breadcrumbs, titles, history pages).
        from axes.models import AccessAttempt, AccessFailureLog, AccessLog

        AccessAttempt.__str__ = _access_attempt_str
        AccessLog.__str__ = _access_log_str
        AccessFailureLog.__str__ = _access_failure_str


class AuditlogConfig(BaseAuditlogConfig):
    verbose_name = _("变更记录")


class TOTPConfig(BaseTOTPConfig):
    verbose_name = _("两步验证")

    def ready(self):
        super().ready()
        mark_model_texts_for_translation(self.get_model("TOTPDevice"))


def mark_model_texts_for_translation(model) -> None:
    """Wrap a model's plain-string names and help texts in gettext_lazy, msgids unchanged."""
    opts = model._meta
    # verbose_name_plural is a lazy "{}s" of verbose_name when the model does not set it.
    for attr in ("verbose_name", "verbose_name_plural"):
        setattr(opts, attr, gettext_lazy(str(getattr(opts, attr))))
    for field in opts.get_fields():
        if field.is_relation and field.auto_created:
            continue
        if isinstance(field.verbose_name, str):
            field.verbose_name = gettext_lazy(field.verbose_name)
        if field.help_text and isinstance(field.help_text, str):
            field.help_text = gettext_lazy(field.help_text)


def _when(moment) -> str:
    return formats.date_format(timezone.localtime(moment), "Y-m-d H:i:s") if moment else "—"


def _access_attempt_str(attempt) -> str:
    return gettext("%(username)s 于 %(time)s 登录失败") % {
        "username": attempt.username,
        "time": _when(attempt.attempt_time),
    }


def _access_log_str(log) -> str:
    return gettext("%(username)s 于 %(time)s 登录") % {
        "username": log.username,
        "time": _when(log.attempt_time),
    }


def _access_failure_str(failure) -> str:
    text = gettext("%(username)s 于 %(time)s 从 %(ip)s 登录失败") % {
        "username": failure.username,
        "time": _when(failure.attempt_time),
        "ip": failure.ip_address,
    }
    return text + (gettext("(已锁定)") if failure.locked_out else "")
