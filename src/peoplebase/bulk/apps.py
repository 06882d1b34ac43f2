from django.apps import AppConfig


class BulkConfig(AppConfig):
    """Bulk actions over a selection of contacts or everything matching a search."""

    name = "peoplebase.bulk"
    label = "bulk"
