from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "peoplebase.core"
    label = "core"
    verbose_name = "Core"

    def ready(self) -> None:
        from peoplebase.core import lookups_sql  # noqa: F401  (registers the `is` lookup)
