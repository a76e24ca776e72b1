from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class FieldworkConfig(AppConfig):
    name = "sangathan.fieldwork"
    label = "fieldwork"
    verbose_name = _("field data drives")

    def ready(self):
        from sangathan.access.models import audit_actions_register

        audit_actions_register({
            "fieldwork.drive_create": _("Started a field data drive"),
            "fieldwork.booth_target_set": _("Set a drive's booth target"),
            "fieldwork.vistarak_assign": _("Assigned a vistarak to booths"),
            "fieldwork.plan_set": _("Set a vistarak's daily plan"),
            "fieldwork.sync": _("Synced field records"),
            "fieldwork.otp_send": _("Sent a capture code to a worker"),
            "fieldwork.review": _("Reviewed a field record"),
            "fieldwork.verification_sample": _("Drew field records for verification calls"),
            "fieldwork.photo": _("Uploaded a field record's photo"),
        })
