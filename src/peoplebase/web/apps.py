from django.apps import AppConfig


class WebConfig(AppConfig):
    name = "peoplebase.web"
    label = "web"
