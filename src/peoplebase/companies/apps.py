from django.apps import AppConfig


class CompaniesConfig(AppConfig):
    name = "peoplebase.companies"
    label = "companies"
