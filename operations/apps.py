from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class OperationsConfig(AppConfig):
    name = "operations"
    verbose_name = _("运行维护")

    def ready(self) -> None:
        # Celery signal handlers: failed-task records, task log lines, worker heartbeats.
        from . import signals  # noqa: F401
