from django.apps import AppConfig


class LeadsConfig(AppConfig):
    name = "peoplebase.leads"
    label = "leads"
