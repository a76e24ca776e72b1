from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MessagingConfig(AppConfig):
    name = "sangathan.messaging"
    label = "messaging"

    def ready(self):
        from sangathan.access.models import audit_actions_register
        from sangathan.messaging import receivers  # noqa: F401 — connects to the people app's signals

        audit_actions_register({
            "broadcast.create": _("Created a broadcast"),
            "broadcast.start": _("Started a scheduled broadcast"),
            "broadcast.pause": _("Paused a broadcast"),
            "broadcast.resume": _("Resumed a broadcast"),
            "broadcast.cancel": _("Cancelled a broadcast"),
            "template.create": _("Created a message template"),
            "template.update": _("Changed a message template"),
            "template.test": _("Sent a message template to themselves as a test"),
            "optout.revoke": _("Reversed an opt-out"),
        })
