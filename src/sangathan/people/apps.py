from django.apps import AppConfig


class PeopleConfig(AppConfig):
    name = "sangathan.people"
    label = "people"

    def ready(self):
        from sangathan.people import display  # noqa: F401 — registers the record's own timeline sources
