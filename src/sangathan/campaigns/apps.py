from django.apps import AppConfig


class CampaignsConfig(AppConfig):
    name = "sangathan.campaigns"
    label = "campaigns"

    def ready(self):
        from sangathan.campaigns import receivers  # noqa: F401 — connects to outreach.signals.call_logged
