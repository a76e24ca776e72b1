"""Reactions of campaigns to the apps below it, connected in ``CampaignsConfig.ready``.

``outreach.signals.call_logged``: a logged verification call (source ``campaigns.report:<id>``) is
compared with the report it checks (``services.verification_record``), by the system. Sent after the call
log's transaction commits, so this runs in a transaction of its own.
"""

from django.dispatch import receiver

from sangathan.access.scope import Scope
from sangathan.campaigns.models import Verification
from sangathan.campaigns.services import report_id_from_source, verification_record
from sangathan.outreach.models import CallLog
from sangathan.outreach.signals import call_logged


@receiver(call_logged, sender=CallLog, dispatch_uid="campaigns.verification_call_logged")
def on_call_logged(sender, call_log, **kwargs):
    assignment = call_log.assignment
    report_id = report_id_from_source(assignment.source)
    if report_id is None:
        return
    verification = Verification.objects.filter(report_id=report_id).first()
    if verification is None:
        return
    verification_record(scope=Scope.system(channel="task"), verification=verification, reached=call_log.reached, answers=call_log.answers,
                        at=call_log.updated_at)
