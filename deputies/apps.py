from django.apps import AppConfig


class DeputiesConfig(AppConfig):
    name = "deputies"
    verbose_name = "人大代表"

    def ready(self) -> None:
        from django.db.models.signals import m2m_changed, post_delete, post_save

        from core.listcache import bump_on_signal

        from .models import Deputy, DeputyGroup, Mandate

        # The cached deputy and station lists show these (core.listcache).
        for model in (Deputy, Mandate, DeputyGroup):
            post_save.connect(bump_on_signal, sender=model, dispatch_uid=f"listcache-{model}")
            post_delete.connect(bump_on_signal, sender=model, dispatch_uid=f"listcache-d-{model}")
        m2m_changed.connect(
            bump_on_signal, sender=DeputyGroup.members.through, dispatch_uid="listcache-members"
        )
