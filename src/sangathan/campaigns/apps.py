from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CampaignsConfig(AppConfig):
    name = "sangathan.campaigns"
    label = "campaigns"

    def ready(self):
        from sangathan.access.models import audit_actions_register
        from sangathan.campaigns import receivers  # noqa: F401 — connects to outreach.signals.call_logged
        from sangathan.campaigns.models import Campaign
        from sangathan.core.reference import track

        track(Campaign)  # the home keeps the active campaigns per process (campaigns.selectors.reports_due)

        audit_actions_register({
            "campaigns.create": _("Started a campaign"),
            "campaigns.close": _("Closed a campaign"),
            "campaigns.target_set": _("Set a campaign target"),
            "campaigns.task_create": _("Gave a booth a campaign task"),
            "campaigns.task_complete": _("Completed a booth task"),
            "campaigns.verification_sample": _("Drew reports for verification calls"),
            "campaigns.verification_record": _("Recorded what a verification call heard"),
        })
