"""Every outreach write is an action on a required scope, leaves its audit row, and answers the same on
the web and the API for the same actor and the same object."""

import dataclasses
import datetime
import inspect

import pytest
from django.urls import reverse

from sangathan.access.models import AuditLog, ScopeGrant
from sangathan.access.scope import Scope, scope_for_user
from sangathan.core.actions import Action
from sangathan.core.clock import today
from sangathan.core.errors import NotFound, PermissionDenied
from sangathan.org.enums import Grant
from sangathan.outreach import services
from sangathan.outreach.enums import CallKind, CallOutcome
from sangathan.outreach.models import CallAssignment, CallLog, FollowUp
from sangathan.outreach.services import (
    assignments_assign,
    assignments_expire,
    call_log_save,
    call_task_create,
    caller_absence_create,
    followup_close,
    program_caller_remove,
    program_caller_set,
    program_update,
)
from sangathan.outreach.services.notify import call_lists_send, call_reminders_send, program_day_start
from tests.api_client import ApiClient

pytestmark = pytest.mark.django_db

WRITES = [services.assignments_assign, services.assignments_expire, services.call_log_save,
          services.call_task_create, services.caller_absence_create, services.followup_close,
          services.program_caller_remove, services.program_caller_set, services.program_create,
          services.program_update, call_lists_send, call_reminders_send, program_day_start]


def _rows(code: str):
    return AuditLog.objects.filter(action=code)


@pytest.fixture
def assigned(contact):
    assignments_assign(scope=Scope.system(), program=contact.program)
    return contact


def _read_grant(user, unit):
    ScopeGrant.objects.create(user=user, unit=unit, grant=Grant.READ, reason="reviewer")
    return user


def _parameters(write) -> dict:
    """A write's keyword parameters: its signature, or an action's fields for ``Action.run``."""
    action = getattr(write, "__self__", None)
    if isinstance(action, type) and issubclass(action, Action):
        return {f.name: f.default is dataclasses.MISSING and f.default_factory is dataclasses.MISSING
                for f in dataclasses.fields(action)}
    return {name: p.default is inspect.Parameter.empty for name, p in inspect.signature(write).parameters.items()}


def test_every_write_needs_a_scope():
    for write in WRITES:
        parameters = _parameters(write)
        assert parameters.get("scope") is True, write  # present and required
        assert "actor" not in parameters, write
    with pytest.raises(TypeError):
        services.assignments_expire(before=today())


def test_program_writes_leave_audit_rows(contact, tree):
    state = scope_for_user(tree.users["state_president"])
    program = contact.program
    assert _rows("outreach.program_create").get().target_id == program.pk
    program_update(scope=state, program=program, per_caller_per_day=3)
    row = _rows("outreach.program_update").get()
    assert row.actor == tree.users["state_president"] and row.detail["changed"] == {"per_caller_per_day": [2, 3]}
    person = contact.callers["state_secretary"]
    program_caller_set(scope=state, program=program, person=person, region=tree["d2"])
    assert _rows("outreach.caller_set").get().detail["region"] == tree["d2"].pk
    assert program_caller_remove(scope=state, program=program, person=person)
    assert _rows("outreach.caller_remove").get().detail["person"] == person.pk
    caller_absence_create(scope=state, person=person, start_on=today(), end_on=today(), reason="यात्रा")
    assert _rows("outreach.absence_create").get().actor == tree.users["state_president"]


def test_program_writes_follow_the_scope(contact, tree):
    program = contact.program
    district = scope_for_user(tree.users["district_president"])
    with pytest.raises(NotFound):  # the state's program is outside a district's scope
        program_update(scope=district, program=program, per_caller_per_day=3)
    reader = scope_for_user(_read_grant(tree.users["nobody"], tree["state"]))
    with pytest.raises(PermissionDenied):  # visible, not writable
        program_update(scope=reader, program=program, per_caller_per_day=3)
    with pytest.raises(PermissionDenied):
        caller_absence_create(scope=reader, person=contact.callers["d1_incharge"], start_on=today(),
                              end_on=today())
    assert not _rows("outreach.program_update").exists() and not _rows("outreach.absence_create").exists()


def test_daily_work_is_audited_as_the_system(assigned, clock):
    row = _rows("outreach.assign").get()
    assert row.actor is None and row.detail["assigned"] == CallAssignment.objects.count()
    clock.advance(days=1)
    with pytest.raises(PermissionDenied):  # only the system expires everyone's calls
        assignments_expire(scope=scope_for_user(assigned.users["state_secretary"]), before=today())
    expired = assignments_expire(scope=Scope.system(channel="task"), before=today())
    row = _rows("outreach.expire").get()
    assert row.detail["calls"] == expired > 0 and row.channel == "task"


def test_call_log_task_and_followup_are_audited(assigned, tree):
    call = CallAssignment.objects.filter(caller=assigned.callers["d1_incharge"]).first()
    caller = scope_for_user(assigned.users["d1_incharge"])
    log = call_log_save(scope=caller, assignment=call, outcome=CallOutcome.REACHED, followup_wanted=True,
                        followup_note="हैंडपंप")
    call_log_save(scope=caller, assignment=call, outcome=CallOutcome.REACHED, followup_wanted=True,
                  followup_note="हैंडपंप खराब")
    rows = list(_rows("outreach.call_log").order_by("id"))
    assert [r.detail["corrected"] for r in rows] == [False, True] and rows[0].target_id == log.pk
    assert rows[0].actor == assigned.users["d1_incharge"]
    followup = FollowUp.objects.get(call_log=log)
    reader = scope_for_user(_read_grant(tree.users["nobody"], tree["d1"]))
    with pytest.raises(PermissionDenied):
        followup_close(scope=reader, followup=followup, resolution="हो गया")
    followup_close(scope=scope_for_user(tree.users["district_president"]), followup=followup, resolution="हो गया")
    assert _rows("outreach.followup_close").get().actor == tree.users["district_president"]
    target = assigned.presidents["d1a2b1"]
    system = Scope.system()
    task = call_task_create(scope=system, caller=assigned.callers["d2_incharge"], target=target,
                            kind=CallKind.VERIFICATION, day=today(), questions=["कैसा रहा?"], source="test:1")
    again = call_task_create(scope=system, caller=assigned.callers["d2_incharge"], target=target,
                             kind=CallKind.VERIFICATION, day=today(), questions=["कैसा रहा?"], source="test:1")
    assert again == task and _rows("outreach.call_task_create").get().target_id == task.pk
    with pytest.raises(NotFound):  # a district cannot ask calls about another district's booth
        call_task_create(scope=scope_for_user(tree.users["district_president"]),
                         caller=assigned.callers["d2_incharge"], target=assigned.presidents["d2a1b1"],
                         kind=CallKind.VERIFICATION, day=today(), questions=[], source="test:2")


def test_call_list_read_is_audited_in_its_fetch_on_both_channels(client, assigned):
    client.force_login(assigned.users["d1_incharge"])
    assert client.get(reverse("outreach:today")).status_code == 200
    api = ApiClient.login(assigned.users["d1_incharge"])
    assert api.get("/outreach/today").status_code == 200
    rows = list(AuditLog.objects.filter(action=AuditLog.Action.CALL_LIST_VIEW).order_by("id"))
    assert [r.channel for r in rows] == ["web", "api"]
    assert {r.actor for r in rows} == {assigned.users["d1_incharge"]}


def _put_log(api, call_id, body):
    return api._send("put", f"/outreach/calls/{call_id}/log", body, raw=False)


def test_call_log_parity(client, assigned):
    """Same caller, same call: the web saves (redirect) and the API corrects (200); someone else's call
    is 404 on both; a bad form is refused on both (form error ↔ 400)."""
    call = CallAssignment.objects.filter(caller=assigned.callers["d1_incharge"]).first()
    url = reverse("outreach:log", args=[call.pk])
    client.force_login(assigned.users["d1_incharge"])
    api = ApiClient.login(assigned.users["d1_incharge"])
    bad_web = client.post(url, {"outcome": "reached", "followup_wanted": "on"})
    bad_api = _put_log(api, call.pk, {"outcome": "reached", "followup_wanted": True})
    assert bad_web.status_code == 200 and bad_api.status_code == 400 and not CallLog.objects.exists()
    assert client.post(url, {"outcome": "reached", "notes": "वेब"}).status_code == 302
    assert _put_log(api, call.pk, {"outcome": "busy", "notes": "एपीआई"}).status_code == 200
    assert CallLog.objects.get(assignment=call).notes == "एपीआई"
    assert [r.channel for r in _rows("outreach.call_log").order_by("id")] == ["web", "api"]
    other = ApiClient.login(assigned.users["d2_incharge"])
    client.force_login(assigned.users["d2_incharge"])
    assert client.post(url, {"outcome": "reached"}).status_code == 404
    assert _put_log(other, call.pk, {"outcome": "reached"}).status_code == 404


def test_program_page_and_followup_answer_by_scope(client, assigned, tree):
    program_url = reverse("outreach:program_edit", args=[assigned.program.pk])
    client.force_login(tree.users["district_president"])
    assert client.get(program_url).status_code == 404  # outside: as if absent
    reader = _read_grant(tree.users["nobody"], tree["state"])
    client.force_login(reader)
    assert client.get(program_url).status_code == 403  # visible, not writable
    call = CallAssignment.objects.filter(caller=assigned.callers["d1_incharge"]).first()
    log = call_log_save(scope=scope_for_user(assigned.users["d1_incharge"]), assignment=call,
                        outcome=CallOutcome.REACHED, followup_wanted=True, followup_note="हैंडपंप")
    done_url = reverse("outreach:followup_done", args=[FollowUp.objects.get(call_log=log).pk])
    assert client.post(done_url, {"resolution": "हो गया"}).status_code == 403
    client.force_login(assigned.users["d2_incharge"])
    assert client.post(done_url, {"resolution": "हो गया"}).status_code == 404
    assert not _rows("outreach.followup_close").exists()


def test_admin_validates_with_the_action(client, contact, tree):
    client.force_login(tree.users["state_admin"])
    person = contact.callers["state_secretary"]
    bad = client.post("/admin/outreach/callerabsence/add/", {
        "person": person.pk, "start_on": "2030-01-05", "end_on": "2030-01-01"})
    assert bad.status_code == 200 and not _rows("outreach.absence_create").exists()
    good = client.post("/admin/outreach/callerabsence/add/", {
        "person": person.pk, "start_on": datetime.date(2030, 1, 1), "end_on": datetime.date(2030, 1, 5)})
    assert good.status_code == 302 and _rows("outreach.absence_create").get().channel == "web"
