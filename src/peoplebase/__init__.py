"""Peoplebase: the person-record core of a CRM."""

__version__ = "0.1.0"
