from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "core"
    verbose_name = "公共"

    def ready(self) -> None:
        from django.utils.module_loading import autodiscover_modules

        # Each app's exporters.py registers its exports with core.exports. Its tasks.py is
        # imported in every process, not only in the worker: core.outbox publishes a task by
        # name from the web process too.
        autodiscover_modules("exporters")
        autodiscover_modules("tasks")
