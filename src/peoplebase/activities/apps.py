from django.apps import AppConfig


class ActivitiesConfig(AppConfig):
    name = "peoplebase.activities"
    label = "activities"
