import pytest

from sangathan.access.scope import Scope, scope_for_user
from sangathan.core.clock import today
from sangathan.core.errors import DomainError, NotFound, PermissionDenied
from sangathan.outreach.enums import AssignmentStatus, CallOutcome, FollowUpStatus, NeedCategory, WellBeing
from sangathan.outreach.models import CallAssignment, CallLog, ContactState, FollowUp
from sangathan.outreach.services import assignments_assign, call_log_save, followup_close
from sangathan.people.enums import FlagKind
from sangathan.people.models import PersonFlag
from sangathan.people.timeline import person_timeline

pytestmark = pytest.mark.django_db


@pytest.fixture
def assigned(contact):
    assignments_assign(scope=Scope.system(), program=contact.program)
    return contact


def _call_of(contact, caller_key):
    return CallAssignment.objects.filter(caller=contact.callers[caller_key], day=today()).order_by("rank").first()


def test_reached_call_is_logged_with_everything(assigned):
    call = _call_of(assigned, "d1_incharge")
    log = call_log_save(scope=scope_for_user(assigned.users["d1_incharge"]), assignment=call, outcome=CallOutcome.REACHED,
                        wellbeing_self=WellBeing.GOOD, wellbeing_family=WellBeing.UNWELL, position_score="4",
                        position_note="मजबूत", needs=[NeedCategory.MATERIAL, NeedCategory.MATERIAL],
                        needs_note="झंडे चाहिए", notes="माँ बीमार हैं")
    assert (log.reached, log.position_score, log.needs) == (True, 4, [NeedCategory.MATERIAL])
    call.refresh_from_db()
    assert call.status == AssignmentStatus.LOGGED
    state = ContactState.objects.get(program=assigned.program, target=call.target)
    assert (state.last_called_on, state.last_reached_on, state.called_count, state.last_log_id) == (
        today(), today(), 1, log.pk)


def test_not_reached_drops_the_conversation(assigned):
    call = _call_of(assigned, "d1_incharge")
    log = call_log_save(scope=scope_for_user(assigned.users["d1_incharge"]), assignment=call, outcome=CallOutcome.BUSY,
                        position_score=5, needs=[NeedCategory.WORKERS], wellbeing_self=WellBeing.GOOD)
    assert (log.reached, log.position_score, log.needs, log.wellbeing_self) == (False, None, [], "")
    state = ContactState.objects.get(program=assigned.program, target=call.target)
    assert state.last_called_on == today() and state.last_reached_on is None


def test_same_day_correction_and_only_the_caller(assigned, clock):
    call = _call_of(assigned, "d1_incharge")
    with pytest.raises(PermissionDenied):
        call_log_save(scope=scope_for_user(assigned.users["d2_incharge"]), assignment=call, outcome=CallOutcome.REACHED)
    first = call_log_save(scope=scope_for_user(assigned.users["d1_incharge"]), assignment=call, outcome=CallOutcome.BUSY)
    clock.advance(hours=3)
    second = call_log_save(scope=scope_for_user(assigned.users["d1_incharge"]), assignment=call, outcome=CallOutcome.REACHED,
                           position_score=3)
    assert first.pk == second.pk and CallLog.objects.count() == 1
    state = ContactState.objects.get(program=assigned.program, target=call.target)
    assert (state.called_count, state.last_reached_on) == (1, today())
    call_log_save(scope=scope_for_user(assigned.users["d1_incharge"]), assignment=call, outcome=CallOutcome.NO_ANSWER)
    state.refresh_from_db()
    assert state.last_reached_on is None  # corrected back: reached never
    clock.advance(days=1)
    with pytest.raises(DomainError) as error:
        call_log_save(scope=scope_for_user(assigned.users["d1_incharge"]), assignment=call, outcome=CallOutcome.REACHED)
    assert error.value.code == "expired"


def test_bad_input_is_refused_before_writing(assigned):
    call = _call_of(assigned, "d1_incharge")
    user = assigned.users["d1_incharge"]
    for data, field in (({"outcome": "maybe"}, "outcome"), ({"outcome": "reached", "position_score": 9},
                        "position_score"), ({"outcome": "reached", "needs": ["gold"]}, "needs"),
                        ({"outcome": "reached", "followup_wanted": True}, "followup_note"),
                        ({"outcome": "reached", "answers": ["x"]}, "answers"),
                        ({"outcome": "reached", "notes": "x" * 1001}, "notes")):
        with pytest.raises(DomainError) as error:
            call_log_save(scope=scope_for_user(user), assignment=call, **data)
        assert error.value.field == field
    assert not CallLog.objects.exists()


def test_wrong_number_flags_the_registry_record_once(assigned):
    call = _call_of(assigned, "d1_incharge")
    log = call_log_save(scope=scope_for_user(assigned.users["d1_incharge"]), assignment=call, outcome=CallOutcome.WRONG_NUMBER,
                        notes="किसी और का नंबर है")
    flag = PersonFlag.objects.get(person=call.target, kind=FlagKind.WRONG_MOBILE)
    assert flag.source == f"outreach.calllog:{log.pk}" and flag.resolved_at is None
    call_log_save(scope=scope_for_user(assigned.users["d1_incharge"]), assignment=call, outcome=CallOutcome.WRONG_NUMBER)
    assert PersonFlag.objects.filter(person=call.target).count() == 1


def test_followup_goes_to_the_district_and_is_closed_there(assigned, tree):
    call = _call_of(assigned, "d1_incharge")
    log = call_log_save(scope=scope_for_user(assigned.users["d1_incharge"]), assignment=call, outcome=CallOutcome.REACHED,
                        followup_wanted=True, followup_note="हैंडपंप खराब है")
    followup = FollowUp.objects.get(call_log=log)
    assert followup.district == tree["d1"] and followup.status == FollowUpStatus.OPEN
    with pytest.raises(NotFound):  # another district's follow-up is not there for them
        followup_close(scope=scope_for_user(assigned.users["d2_incharge"]),
                       followup=followup, resolution="x")
    district_scope = scope_for_user(tree.users["district_president"])
    with pytest.raises(DomainError):
        followup_close(scope=district_scope, followup=followup,
                       resolution=" ")
    closed = followup_close(scope=district_scope, followup=followup,
                            resolution="तहसील में आवेदन")
    assert closed.status == FollowUpStatus.DONE


def test_followup_withdrawn_when_unticked_the_same_day(assigned):
    call = _call_of(assigned, "d1_incharge")
    user = assigned.users["d1_incharge"]
    log = call_log_save(scope=scope_for_user(user), assignment=call, outcome=CallOutcome.REACHED, followup_wanted=True,
                        followup_note="बैठक करवानी है")
    call_log_save(scope=scope_for_user(user), assignment=call, outcome=CallOutcome.REACHED)
    assert FollowUp.objects.get(call_log=log).status == FollowUpStatus.DONE


def test_timeline_shows_calls_within_the_readers_scope(assigned, tree):
    call = _call_of(assigned, "d1_incharge")
    call_log_save(scope=scope_for_user(assigned.users["d1_incharge"]), assignment=call, outcome=CallOutcome.REACHED,
                  position_score=4, notes="सब ठीक")
    state = scope_for_user(tree.users["state_admin"])
    entries = [e for e in person_timeline(person=call.target, scope=state) if e.kind == "call"]
    assert len(entries) == 1 and "4/5" in entries[0].detail and "सब ठीक" in entries[0].detail
    caller_entries = [e for e in person_timeline(person=assigned.callers["d1_incharge"], scope=state)
                      if e.kind == "call"]
    assert len(caller_entries) == 1
    # A district-2 reader cannot read the district-1 booth: no entry, even about the caller.
    other = scope_for_user(assigned.users["d2_incharge"])
    assert [e for e in person_timeline(person=call.target, scope=other) if e.kind == "call"] == []
