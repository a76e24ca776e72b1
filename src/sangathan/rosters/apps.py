from django.apps import AppConfig


class RostersConfig(AppConfig):
    name = "sangathan.rosters"
    label = "rosters"
