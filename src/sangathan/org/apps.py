from django.apps import AppConfig


class OrgConfig(AppConfig):
    name = "sangathan.org"
    label = "org"

    def ready(self):
        from sangathan.core.reference import track
        from sangathan.org.models import Level

        track(Level)  # pages keep the levels per process (org.selectors.level_labels)
