from django.apps import AppConfig


class ScheduleConfig(AppConfig):
    """The one place periodic jobs are declared (``schedule.tasks``); it sits above every app it runs."""

    name = "sangathan.schedule"
    label = "schedule"
