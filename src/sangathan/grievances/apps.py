from django.apps import AppConfig


class GrievancesConfig(AppConfig):
    name = "sangathan.grievances"
    label = "grievances"

    def ready(self):
        from sangathan.grievances import receivers, timeline  # noqa: F401 — signal receivers, timeline source
