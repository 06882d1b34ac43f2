from django.apps import AppConfig


class UsersConfig(AppConfig):
    name = "peoplebase.users"
    label = "users"
    verbose_name = "Users"
