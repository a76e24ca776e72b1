from django.apps import AppConfig


class DashboardConfig(AppConfig):
    name = "sangathan.dashboard"
    label = "dashboard"
