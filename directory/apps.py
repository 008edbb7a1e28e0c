from django.apps import AppConfig


class DirectoryConfig(AppConfig):
    name = "directory"
    verbose_name = "区划、家站、代表与承办单位"

    def ready(self) -> None:
        from django.db.models.signals import m2m_changed, post_delete, post_save

        from core.listcache import bump_on_signal

        from .models import Deputy, DeputyGroup, Mandate, Region, Station

        # The cached deputy and station lists show these (core.listcache).
        for model in (Region, Station, Deputy, Mandate, DeputyGroup):
            post_save.connect(bump_on_signal, sender=model, dispatch_uid=f"listcache-{model}")
            post_delete.connect(bump_on_signal, sender=model, dispatch_uid=f"listcache-d-{model}")
        m2m_changed.connect(
            bump_on_signal, sender=DeputyGroup.members.through, dispatch_uid="listcache-members"
        )
