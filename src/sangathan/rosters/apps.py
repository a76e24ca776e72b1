from django.apps import AppConfig


class RostersConfig(AppConfig):
    name = "sangathan.rosters"
    label = "rosters"

    def ready(self):
        from django.utils.translation import gettext_lazy as _

        from sangathan.access.models import audit_actions_register
        from sangathan.rosters import receivers  # noqa: F401 — signal receivers

        audit_actions_register({"rosters.office_create": _("Opened an office"),
                                "rosters.office_update": _("Changed an office")})
