from django.apps import AppConfig


class CustomfieldsConfig(AppConfig):
    name = "peoplebase.customfields"
    label = "customfields"
