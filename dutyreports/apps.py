from django.apps import AppConfig


class DutyReportsConfig(AppConfig):
    name = "dutyreports"
    verbose_name = "代表述职(三述三评三公开)"
