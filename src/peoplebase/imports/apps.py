from django.apps import AppConfig


class ImportsConfig(AppConfig):
    """Contact imports: jobs, their rows and saved column mappings."""

    default_auto_field = "django.db.models.BigAutoField"
    name = "peoplebase.imports"
    verbose_name = "Imports"

    def ready(self) -> None:
        from django.db.models.signals import pre_migrate

        pre_migrate.connect(restore_before_migrating, sender=self)


def restore_before_migrating(using: str = "default", **kwargs: object) -> None:
    """A migration must find every index where Django put it: build any an import set aside
    (its job was killed, or is still loading) before the schema changes."""
    from django.db import connections

    from peoplebase.imports.bulkload import restore_all_indexes
    from peoplebase.imports.models import DeferredIndex

    if DeferredIndex._meta.db_table in connections[using].introspection.table_names():
        restore_all_indexes()
