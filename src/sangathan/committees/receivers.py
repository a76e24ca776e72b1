"""``outreach.signals.call_logged``: a logged call whose source is ``committees.page:<id>`` scores the
page committee's verification (by the system, after the call log's transaction committed)."""

from django.dispatch import receiver

from sangathan.access.scope import Scope
from sangathan.committees.models import PageCheck
from sangathan.committees.services.verification import committee_id_from_source, page_check_record
from sangathan.outreach.models import CallLog
from sangathan.outreach.signals import call_logged


@receiver(call_logged, sender=CallLog, dispatch_uid="committees.page_check_call_logged")
def on_call_logged(sender, call_log, **kwargs):
    committee_id = committee_id_from_source(call_log.assignment.source)
    if committee_id is None:
        return
    check = PageCheck.objects.filter(call=call_log.assignment).first()
    if check is not None:
        page_check_record(scope=Scope.system(channel="task"), check_row=check, reached=call_log.reached,
                          answers=call_log.answers)
