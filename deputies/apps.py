from django.apps import AppConfig


class DeputiesConfig(AppConfig):
    name = "deputies"
    verbose_name = "人大代表"
