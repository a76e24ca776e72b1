from django.apps import AppConfig


class OutreachConfig(AppConfig):
    name = "sangathan.outreach"
    label = "outreach"

    def ready(self):
        from sangathan.outreach import timeline  # noqa: F401 — registers the "calls" timeline source
