from django.apps import AppConfig


class AuditConfig(AppConfig):
    name = "peoplebase.audit"
    label = "audit"
