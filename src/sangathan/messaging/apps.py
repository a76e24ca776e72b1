from django.apps import AppConfig


class MessagingConfig(AppConfig):
    name = "sangathan.messaging"
    label = "messaging"
