import datetime
from collections import Counter

import pytest

from sangathan.access.scope import Scope, scope_for_user
from sangathan.core.clock import today
from sangathan.core.errors import DomainError
from sangathan.org.models import Post
from sangathan.outreach.enums import AssignmentStatus, CallOutcome
from sangathan.outreach.models import AssignmentRun, CallAssignment, ContactState
from sangathan.outreach.selectors import vacant_units
from sangathan.outreach.services import (
    assignments_assign,
    assignments_expire,
    call_log_save,
    caller_absence_create,
    program_caller_set,
    program_update,
)
from sangathan.people.enums import PersonStatus
from sangathan.people.services import person_update
from tests.outreach.conftest import BOOTHS

pytestmark = pytest.mark.django_db


def _day_rows(program, day):
    return list(CallAssignment.objects.filter(program=program, day=day).values_list("caller_id", "target_id",
                                                                                        "target_unit_id"))


def _log_all(day):
    for assignment in CallAssignment.objects.filter(day=day, status=AssignmentStatus.PENDING):
        call_log_save(scope=Scope.system(), assignment=assignment, outcome=CallOutcome.REACHED)


def test_caps_pairing_and_no_self_calls(contact):
    program = contact.program
    result = assignments_assign(scope=Scope.system(), program=program)
    assert (result.callers, result.targets, result.vacant_units, result.assigned) == (3, 7, 1, 6)
    rows = _day_rows(program, result.day)
    per_caller = Counter(caller for caller, _, _ in rows)
    assert set(per_caller.values()) == {2}
    assert len({target for _, target, _ in rows}) == len(rows)  # nobody twice a day
    booth_of = {person.pk: key for key, person in contact.presidents.items()}
    for caller, target, _unit in rows:
        if caller == contact.callers["d1_incharge"].pk:
            assert booth_of[target].startswith("d1") and booth_of[target] != "d1a1b2"  # own district, not home
        if caller == contact.callers["d2_incharge"].pk:
            assert booth_of[target].startswith("d2") and booth_of[target] != "d2a1b1"
        assert caller != target


def test_vacant_booths_are_skipped_and_listed(contact, tree):

    result = assignments_assign(scope=Scope.system(), program=contact.program)
    assert tree["d2a2b2"].pk not in {unit for _, _, unit in _day_rows(contact.program, result.day)}
    district_scope = scope_for_user(contact.users["d2_incharge"])
    assert list(vacant_units(scope=district_scope, unit=tree["d2"], program=contact.program)) == [tree["d2a2b2"]]
    assert list(vacant_units(scope=district_scope, unit=tree["d2a1"], program=contact.program)) == []


def test_rerun_is_harmless_and_fills_only_what_is_missing(contact, tree):
    program = contact.program
    first = assignments_assign(scope=Scope.system(), program=program)
    before = _day_rows(program, first.day)
    again = assignments_assign(scope=Scope.system(), program=program)
    assert again.assigned == 0 and again.already == 6
    assert _day_rows(program, first.day) == before
    assert ContactState.objects.filter(program=program, assigned_count=1).count() == 6
    assert AssignmentRun.objects.get(program=program, day=first.day).assigned == 6


def test_same_seed_same_lists_other_seed_other_lists(tree, clock):
    from tests.outreach.conftest import MONDAY, build_contact

    clock.set(MONDAY)
    contact = build_contact(tree, per_day=1)
    day = today()
    assignments_assign(scope=Scope.system(), program=contact.program, seed=11)
    first = sorted(_day_rows(contact.program, day))
    CallAssignment.objects.all().delete()
    ContactState.objects.all().delete()
    AssignmentRun.objects.all().delete()
    assignments_assign(scope=Scope.system(), program=contact.program, seed=11)
    assert sorted(_day_rows(contact.program, day)) == first
    outcomes = set()
    for seed in range(12, 20):
        CallAssignment.objects.all().delete()
        ContactState.objects.all().delete()
        AssignmentRun.objects.all().delete()
        assignments_assign(scope=Scope.system(), program=contact.program, seed=seed)
        outcomes.add(tuple(sorted(_day_rows(contact.program, day))))
    assert len(outcomes) > 1  # ties really are broken at random


def test_everyone_once_before_anyone_twice_statewide(tree, clock):
    """Callers free to call anywhere: at the end of every day no president has two calls more than another,
    and nobody gets a second call while someone still waits for a first."""
    from tests.outreach.conftest import MONDAY, build_contact

    clock.set(MONDAY)
    contact = build_contact(tree, per_day=1)
    contact.program = program_update(scope=Scope.system(), program=contact.program, pairing_level="")
    calls: Counter = Counter()
    for _ in range(12):
        day = today()
        if contact.program.works_on(day):
            assignments_assign(scope=Scope.system(), program=contact.program)
            for _caller, target, _unit in _day_rows(contact.program, day):
                calls[target] += 1
            _log_all(day)
            counts = [calls[p.pk] for p in contact.presidents.values()]
            assert max(counts) - min(counts) <= 1
        clock.advance(days=1)
    assert min(calls[p.pk] for p in contact.presidents.values()) >= 3


def test_fairness_with_district_pools(contact, clock):
    """With district in-charges bound to their districts, a second call never comes on a day before every
    president has had a first one."""
    calls: Counter = Counter()
    first_complete = first_second = None
    for day_no in range(6):
        day = today()
        assignments_assign(scope=Scope.system(), program=contact.program)
        for _caller, target, _unit in _day_rows(contact.program, day):
            calls[target] += 1
            if calls[target] == 2 and first_second is None:
                first_second = day_no
        if first_complete is None and all(calls[p.pk] for p in contact.presidents.values()):
            first_complete = day_no
        _log_all(day)
        clock.advance(days=1)
        while not contact.program.works_on(today()):
            clock.advance(days=1)
    assert first_complete is not None and first_second is not None and first_second >= first_complete


def test_missed_calls_come_back_first(contact, clock):
    program = contact.program
    day1 = today()
    assignments_assign(scope=Scope.system(), program=program)
    missed = {target for _, target, _ in _day_rows(program, day1)}
    clock.advance(days=1)
    assert assignments_expire(scope=Scope.system(), before=today()) == 6
    assert assignments_expire(scope=Scope.system(), before=today()) == 0
    assignments_assign(scope=Scope.system(), program=program)
    assert set(CallAssignment.objects.filter(day=day1).values_list("status", flat=True)) == {AssignmentStatus.MISSED}
    day2_targets = {target for _, target, _ in _day_rows(program, today())}
    never = {p.pk for p in contact.presidents.values()} - missed
    assert never <= day2_targets  # the one never given comes first, then missed ones


def test_yesterdays_list_expires(contact, clock):
    assignments_assign(scope=Scope.system(), program=contact.program)
    assignment = CallAssignment.objects.filter(caller=contact.callers["d1_incharge"]).first()
    clock.advance(days=1)
    with pytest.raises(DomainError) as error:
        call_log_save(scope=scope_for_user(contact.users["d1_incharge"]), assignment=assignment, outcome=CallOutcome.REACHED)
    assert error.value.code == "expired"


def test_absent_and_inactive_callers_are_skipped(contact, clock):
    day = today()
    caller_absence_create(scope=Scope.system(), person=contact.callers["d1_incharge"], start_on=day, end_on=day, reason="यात्रा")
    person_update(scope=Scope.system(), person=contact.callers["d2_incharge"], status=PersonStatus.INACTIVE)
    result = assignments_assign(scope=Scope.system(), program=contact.program)
    assert (result.callers, result.absent_callers, result.assigned) == (1, 1, 2)
    assert {caller for caller, _, _ in _day_rows(contact.program, day)} == {contact.callers["state_secretary"].pk}


def test_region_and_non_working_day(contact, tree, clock):
    program_caller_set(scope=Scope.system(), program=contact.program, person=contact.callers["state_secretary"], region=tree["d2a1"])
    result = assignments_assign(scope=Scope.system(), program=contact.program)
    d2a1_units = {tree["d2a1b1"].pk, tree["d2a1b2"].pk}
    secretary_units = {unit for caller, _, unit in _day_rows(contact.program, result.day)
                       if caller == contact.callers["state_secretary"].pk}
    assert secretary_units <= d2a1_units
    clock.advance(days=6)  # Sunday
    assert assignments_assign(scope=Scope.system(), program=contact.program).skipped == "not a working day"


def test_past_day_refused(contact, clock):
    with pytest.raises(DomainError):
        assignments_assign(scope=Scope.system(), program=contact.program, day=today() - datetime.timedelta(days=1))


def test_only_booth_presidents_are_targets(contact, tree):
    assert Post.objects.get(code="president").pk == contact.program.target_post_id
    result = assignments_assign(scope=Scope.system(), program=contact.program)
    targets = {target for _, target, _ in _day_rows(contact.program, result.day)}
    assert targets <= {p.pk for p in contact.presidents.values()}
    assert len(BOOTHS) == result.targets
