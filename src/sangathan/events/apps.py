from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class EventsConfig(AppConfig):
    name = "sangathan.events"
    label = "events"
    verbose_name = _("Meetings and tours")

    def ready(self):
        from sangathan.access.models import audit_actions_register
        from sangathan.events import receivers  # noqa: F401 — signal receivers

        audit_actions_register({
            "events.series_generate": _("Generated the expected meetings of a series"),
            "events.plan": _("Changed a workshop plan"),
            "events.tour": _("Changed a tour"),
            "events.export": _("Exported the meetings not held"),
        })
