from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "sangathan.core"
    label = "core"
