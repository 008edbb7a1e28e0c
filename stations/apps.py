from django.apps import AppConfig


class StationsConfig(AppConfig):
    name = "stations"
    verbose_name = "代表家站工作"
