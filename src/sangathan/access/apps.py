from django.apps import AppConfig


class AccessConfig(AppConfig):
    name = "sangathan.access"
    label = "access"
