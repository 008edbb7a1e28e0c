from django.apps import AppConfig


class PlenaryConfig(AppConfig):
    name = "plenary"
    verbose_name = "人民代表大会会议"

    def ready(self) -> None:
        # The deputy's 履职档案 opens with the sessions they were convened to (deputies, below,
        # asks its registry; this app fills it).
        from deputies.archive_sections import register

        from .selectors import archive_attendance

        register(archive_attendance)
