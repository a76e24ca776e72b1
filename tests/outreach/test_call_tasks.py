import datetime

import pytest

from sangathan.access.scope import Scope, scope_for_user
from sangathan.core.clock import today
from sangathan.core.errors import DomainError
from sangathan.outreach.enums import AssignmentStatus, CallKind, CallOutcome
from sangathan.outreach.models import CallLog
from sangathan.outreach.selectors import calls_for_caller
from sangathan.outreach.services import call_log_save, call_task_create
from sangathan.outreach.signals import call_logged

pytestmark = pytest.mark.django_db


def test_call_task_is_idempotent_on_source_and_answers_align(contact, django_capture_on_commit_callbacks):
    caller, target = contact.callers["d2_incharge"], contact.presidents["d1a2b1"]
    questions = ["क्या इस हफ्ते आपके बूथ में संपर्क अभियान हुआ?", "लगभग कितने घरों में?"]
    task = call_task_create(scope=Scope.system(), caller=caller, target=target, kind=CallKind.VERIFICATION, day=today(),
                            questions=questions, source="campaigns.verification:1")
    again = call_task_create(scope=Scope.system(), caller=caller, target=target, kind=CallKind.VERIFICATION, day=today(),
                             questions=["other"], source="campaigns.verification:1")
    assert again.pk == task.pk and again.questions == questions
    assert task.program is None and task.unit_path == target.unit_path
    assert list(calls_for_caller(person=caller, day=today())) == [task]

    received = []

    def on_logged(sender, call_log, **kwargs):
        received.append(call_log.pk)

    call_logged.connect(on_logged)
    try:
        with django_capture_on_commit_callbacks(execute=True):
            log = call_log_save(scope=scope_for_user(contact.users["d2_incharge"]), assignment=task, outcome=CallOutcome.REACHED,
                                answers=["हाँ"])
    finally:
        call_logged.disconnect(on_logged)
    assert received == [log.pk]
    log = CallLog.objects.get(pk=log.pk)
    assert log.answers == ["हाँ", ""]
    task.refresh_from_db()
    assert task.status == AssignmentStatus.LOGGED


def test_call_task_bad_input(contact):
    caller = contact.callers["d2_incharge"]
    with pytest.raises(DomainError) as error:
        call_task_create(scope=Scope.system(), caller=caller, target=caller, kind=CallKind.VERIFICATION, day=today(), questions=[],
                         source="x:1")
    assert error.value.field == "target"
    with pytest.raises(DomainError) as error:
        call_task_create(scope=Scope.system(), caller=caller, target=contact.presidents["d1a1b1"], kind="chat", day=today(),
                         questions=[], source="x:2")
    assert error.value.field == "kind"
    with pytest.raises(DomainError) as error:
        call_task_create(scope=Scope.system(), caller=caller, target=contact.presidents["d1a1b1"], kind=CallKind.FOLLOWUP,
                         day=today() - datetime.timedelta(days=1), questions=[], source="x:3")
    assert error.value.field == "day"
    with pytest.raises(DomainError) as error:
        call_task_create(scope=Scope.system(), caller=caller, target=contact.presidents["d1a1b1"], kind=CallKind.FOLLOWUP, day=today(),
                         questions=[], source="")
    assert error.value.field == "source"
