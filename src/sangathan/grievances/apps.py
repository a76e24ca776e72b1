from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class GrievancesConfig(AppConfig):
    name = "sangathan.grievances"
    label = "grievances"

    def ready(self):
        from sangathan.access.models import audit_actions_register
        from sangathan.grievances import receivers, tally, timeline  # noqa: F401 — receivers, timeline source
        from sangathan.grievances.services.config import AUDIT_ACTIONS

        audit_actions_register(AUDIT_ACTIONS)
        audit_actions_register({"grievances.register": _("Read the grievance register")})
