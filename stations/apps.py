from django.apps import AppConfig


class StationsConfig(AppConfig):
    name = "stations"
    verbose_name = "区划与代表家站"

    def ready(self) -> None:
        from django.db.models.signals import post_delete, post_save

        from core.listcache import bump_on_signal

        from .models import Region, Station

        # The cached deputy and station lists show these (core.listcache).
        for model in (Region, Station):
            post_save.connect(bump_on_signal, sender=model, dispatch_uid=f"listcache-{model}")
            post_delete.connect(bump_on_signal, sender=model, dispatch_uid=f"listcache-d-{model}")
