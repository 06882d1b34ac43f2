from django.apps import AppConfig


class ComplianceConfig(AppConfig):
    """Personal-data requests: access exports, erasure, the suppression list."""

    name = "peoplebase.compliance"
    label = "compliance"
