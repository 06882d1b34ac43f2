from django.apps import AppConfig


class ExportsConfig(AppConfig):
    """Exports of contacts to CSV and vCard, streamed or written to the data directory."""

    name = "peoplebase.exports"
    label = "exports"
