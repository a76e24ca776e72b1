from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AccessConfig(AppConfig):
    name = "sangathan.access"
    label = "access"

    def ready(self):
        from sangathan.access.models import audit_actions_register

        audit_actions_register({
            "user.create": _("Created an account"),
            "user.update": _("Changed an account"),
            "scope_grant.create": _("Granted access"),
            "scope_grant.revoke": _("Revoked access"),
            "token.revoked": _("API token revoked"),
            "access.prune": _("Pruned old access records"),
        })
