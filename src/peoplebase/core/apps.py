from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "peoplebase.core"
    label = "core"
    verbose_name = "Core"
