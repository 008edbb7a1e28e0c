from django.apps import AppConfig


class DemoConfig(AppConfig):
    """The demo county (``manage.py seed_demo``): the top layer, imported by no other app."""

    name = "demo"
    verbose_name = "演示数据"
