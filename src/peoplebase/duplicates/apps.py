from django.apps import AppConfig


class DuplicatesConfig(AppConfig):
    name = "peoplebase.duplicates"
    verbose_name = "Deduplication"
    default_auto_field = "django.db.models.BigAutoField"
