from django.apps import AppConfig


class LinkagesConfig(AppConfig):
    name = "linkages"
    verbose_name = "三联:结对联系"
