from django.apps import AppConfig


class MessagingConfig(AppConfig):
    name = "sangathan.messaging"
    label = "messaging"

    def ready(self):
        from sangathan.messaging import receivers  # noqa: F401 — connects to the people app's signals
