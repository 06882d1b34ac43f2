from django.apps import AppConfig


class ContactsConfig(AppConfig):
    name = "peoplebase.contacts"
    label = "contacts"
