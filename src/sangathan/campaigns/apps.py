from django.apps import AppConfig


class CampaignsConfig(AppConfig):
    name = "sangathan.campaigns"
    label = "campaigns"
