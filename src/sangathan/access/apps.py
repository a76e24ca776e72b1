from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AccessConfig(AppConfig):
    name = "sangathan.access"
    label = "access"

    def ready(self):
        from sangathan.access import receivers  # noqa: F401 — a login ends with its person's last post
        from sangathan.access.models import audit_actions_register

        audit_actions_register({
            "user.create": _("Created an account"),
            "user.update": _("Changed an account"),
            "scope_grant.create": _("Granted access"),
            "scope_grant.revoke": _("Revoked access"),
            "token.revoked": _("API token revoked"),
            "access.prune": _("Pruned old access records"),
            "login.create": _("Created a login"),
            "login.reset": _("Reset a password"),
            "login.disable": _("Disabled a login"),
            "login.end": _("Login ended with the last post"),
            "login.code_request": _("Asked for a password code"),
            "login.password_set": _("Set a password with a code"),
        })
