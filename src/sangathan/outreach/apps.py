from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class OutreachConfig(AppConfig):
    name = "sangathan.outreach"
    label = "outreach"

    def ready(self):
        from sangathan.access.models import audit_actions_register
        from sangathan.outreach import timeline  # noqa: F401 — registers the "calls" timeline source

        audit_actions_register({
            "outreach.program_create": _("Created a contact program"),
            "outreach.program_update": _("Changed a contact program"),
            "outreach.caller_set": _("Named a caller of a contact program"),
            "outreach.caller_remove": _("Removed a named caller of a contact program"),
            "outreach.absence_create": _("Recorded a caller's absence"),
            "outreach.call_task_create": _("Gave a caller a one-off call"),
            "outreach.call_log": _("Logged a call"),
            "outreach.followup_close": _("Closed a follow-up"),
            "outreach.assign": _("Assigned the day's calls"),
            "outreach.expire": _("Marked past calls missed"),
        })
