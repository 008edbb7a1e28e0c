from django.apps import AppConfig


class StationsConfig(AppConfig):
    name = "stations"
    verbose_name = "区划与代表家站"
