from django.apps import AppConfig


class OversightConfig(AppConfig):
    name = "oversight"
    verbose_name = "监督工作(执法检查、监督议题、重大事项、会议列席旁听)"
