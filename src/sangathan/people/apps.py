from django.apps import AppConfig


class PeopleConfig(AppConfig):
    name = "sangathan.people"
    label = "people"
