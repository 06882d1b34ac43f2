from django.apps import AppConfig


class MergesConfig(AppConfig):
    """Merging duplicate contacts: field choices, moved history, tombstones and undo."""

    name = "peoplebase.merges"
    label = "merges"
