from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CommitteesConfig(AppConfig):
    name = "sangathan.committees"
    label = "committees"

    def ready(self):
        from sangathan.access.models import audit_actions_register
        from sangathan.committees import receivers  # noqa: F401 — connects to outreach.signals.call_logged
        from sangathan.committees.models import CommitteeType
        from sangathan.core.reference import track

        track(CommitteeType)  # the home keeps the types per process (committees.selectors.committee_types)

        audit_actions_register({
            "committees.seed": _("Seeded the committee types"),
            "committees.pages_create": _("Created voter-list pages of booths"),
            "committees.digest": _("Queued the weekly committees digest"),
            "committees.page_check_sample": _("Drew page in-charges for verification calls"),
        })
