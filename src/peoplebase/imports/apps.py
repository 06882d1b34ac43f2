from django.apps import AppConfig


class ImportsConfig(AppConfig):
    """Contact imports: jobs, their rows and saved column mappings."""

    default_auto_field = "django.db.models.BigAutoField"
    name = "peoplebase.imports"
    verbose_name = "Imports"
