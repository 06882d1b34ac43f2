from django.apps import AppConfig


class SegmentsConfig(AppConfig):
    """Saved views of the contact list, usable as segments."""

    name = "peoplebase.segments"
    label = "segments"
