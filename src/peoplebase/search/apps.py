from django.apps import AppConfig


class SearchConfig(AppConfig):
    name = "peoplebase.search"
    label = "search"
