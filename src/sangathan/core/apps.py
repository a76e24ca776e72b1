from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "sangathan.core"
    label = "core"

    def ready(self):
        from sangathan.core import lookups

        lookups.register()
