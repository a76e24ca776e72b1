"""Workshop plans check themselves and suggest; batched meetings report unscheduled groups; one-to-one slots
never overlap and refuse a person in two places."""

import datetime

import pytest

from sangathan.core.errors import DomainError
from sangathan.events import planning
from sangathan.events.enums import EventKind
from sangathan.events.models import Event, Invitation, PlanAssignment
from sangathan.events.plan_state import plan_state
from sangathan.events.services import (
    assignment_set,
    batched_meetings_create,
    one_to_one_slots_create,
    plan_create,
    plan_send_invitations,
    plan_suggest,
    slot_add,
)
from sangathan.messaging.models import Message
from tests.events.conftest import scope_of
from tests.factories.events import at, make_event, make_venue

pytestmark = pytest.mark.django_db
D = planning.District


def test_check_every_district_exactly_once_and_capacity():
    districts = [D(1, 10, 30), D(2, 10, 30), D(3, 20, 50)]
    slots = [planning.Slot(100, 60), planning.Slot(200, 40)]
    check = planning.plan_check(districts, slots, {1: 100, 2: 100})
    assert check.missing == [3] and not check.over and not check.ok
    check = planning.plan_check(districts, slots, {1: 100, 2: 200, 3: 100})
    assert check.over == {100: (80, 60)}
    assert planning.plan_check(districts, slots, {1: 100, 2: 100, 3: 200}).over == {200: (50, 40)}
    assert planning.plan_check(districts, [planning.Slot(100, 60), planning.Slot(200, 50)],
                               {1: 100, 2: 100, 3: 200}).ok


def test_suggestion_keeps_divisions_together_within_capacity():
    districts = [D(1, 10, 30), D(2, 10, 30), D(3, 20, 25), D(4, 20, 25), D(5, 30, 90)]
    slots = [planning.Slot(100, 60), planning.Slot(200, 60)]
    assignment, left = planning.plan_suggest(districts, slots)
    assert left == [5]  # bigger than any venue
    assert assignment[1] == assignment[2] and assignment[3] == assignment[4] and assignment[1] != assignment[3]
    assert planning.plan_check([d for d in districts if d.id != 5], slots, assignment).ok


def test_plan_in_the_database_suggest_then_send(etree, django_capture_on_commit_callbacks):
    scope = scope_of(etree, "state_president")
    plan = plan_create(scope=scope, title="प्रशिक्षण कार्यशाला", unit=etree["state"], posts=["president"])
    hall = make_venue(etree["state"], "पचमढ़ी", capacity=5)
    other = make_venue(etree["state"], "भोपाल", capacity=3)
    day1, day2 = datetime.date.today() + datetime.timedelta(days=10), datetime.date.today() + datetime.timedelta(days=11)
    first = slot_add(scope=scope, plan=plan, date=day1, venue=hall)
    slot_add(scope=scope, plan=plan, date=day2, venue=other)
    state = plan_state(plan)
    assert sorted(d.size for d in state.districts) == [1, 1, 2, 3]  # presidents in each district
    with pytest.raises(DomainError):
        plan_send_invitations(scope=scope, plan=plan)  # nothing assigned yet
    assert plan_suggest(scope=scope, plan=plan) == []
    state = plan_state(plan)
    assert state.check.ok and len(state.assignment) == 4
    assert state.assignment[etree["d3"].pk] == state.assignment[etree["d4"].pk]  # one division together
    # A hand change that overloads a venue makes the plan fail its check.
    assignment_set(scope=scope, plan=plan, district=etree["d2"], slot=first
                   if state.assignment[etree["d2"].pk] != first.pk else plan.slots.last())
    assert not plan_state(plan).check.ok
    plan_suggest(scope=scope, plan=plan)
    with django_capture_on_commit_callbacks(execute=True):
        assert plan_send_invitations(scope=scope, plan=plan) == 2
    assert Event.objects.filter(kind=EventKind.WORKSHOP).count() == 2
    assert Message.objects.filter(idempotency_key__startswith="events:invite:").count() == 7
    with django_capture_on_commit_callbacks(execute=True):
        plan_send_invitations(scope=scope, plan=plan)
    assert Message.objects.filter(idempotency_key__startswith="events:invite:").count() == 7  # nothing twice


def test_plan_refuses_a_district_elsewhere(etree):
    scope = scope_of(etree, "district_president")
    plan = plan_create(scope=scope, title="जिला कार्यशाला", unit=etree["d1"])
    slot = slot_add(scope=scope, plan=plan, date=datetime.date.today(), venue=make_venue(etree["d1"]))
    with pytest.raises(DomainError):
        assignment_set(scope=scope, plan=plan, district=etree["d2"], slot=slot)
    assert not PlanAssignment.objects.exists()


def test_batched_meetings_report_unscheduled_groups(etree):
    assert planning.batch_schedule(["a", "b", "c", "d", "e"], ["x", "y"], 2) == ({"x": ["a", "b"], "y": ["c", "d"]},
                                                                                ["e"])
    day = datetime.date.today() + datetime.timedelta(days=5)
    events, left = batched_meetings_create(scope=scope_of(etree, "state_president"), unit=etree["state"],
                                           title="जिला अध्यक्ष बैठक", days=[day], per_day=1)
    assert len(events) == 1 and left == [etree["div2"]]
    assert events[0].invite_rule["units"] == [etree["div"].pk]


def test_one_to_one_slots_never_overlap_and_refuse_clashes(etree):
    scope = scope_of(etree, "state_president")
    leader = etree.people["state_president"]
    people = [etree.people["district_president"], etree.people["president_d2"]]
    events = one_to_one_slots_create(scope=scope, unit=etree["state"], title="एक-एक चर्चा", leader=leader,
                                     people=people, start=at(3, 14), minutes=20)
    assert [e.starts_at for e in events][1] == events[0].ends_at
    assert Invitation.objects.filter(event__in=events).count() == 2
    with pytest.raises(DomainError) as error:  # the same leader, overlapping time
        one_to_one_slots_create(scope=scope, unit=etree["state"], title="फिर", leader=leader,
                                people=[etree.people["president_d3"]], start=at(3, 14) + datetime.timedelta(minutes=10))
    assert error.value.code == "clash"
    busy = make_event(etree["d1"], starts_at=at(4, 10), organizer=etree.people["district_president"])
    assert busy.pk
    with pytest.raises(DomainError):  # the district president is at their own meeting then
        one_to_one_slots_create(scope=scope, unit=etree["state"], title="फिर", leader=etree.people["president_d4"],
                                people=[etree.people["district_president"]], start=at(4, 10))


def test_plan_import_from_a_file(etree):
    from sangathan.events import planfile
    from sangathan.events.services import plan_import

    scope = scope_of(etree, "state_president")
    plan = plan_create(scope=scope, title="फ़ाइल से योजना", unit=etree["state"])
    day = (datetime.date.today() + datetime.timedelta(days=9)).isoformat()
    good = (f"date,venue,capacity,district\n{day},पचमढ़ी,10,D1\n{day},पचमढ़ी,10,जिला 2\n"
            f"{day},भोपाल,5,D3\n{day},भोपाल,5,district 4\n").encode()
    rows = planfile.plan_rows(plan.unit, planfile.read_rows("plan.csv", good))
    assert plan_import(scope=scope, plan=plan, rows=rows) == 4
    assert plan_import(scope=scope, plan=plan, rows=rows) == 4  # the same file again changes nothing
    state = plan_state(plan)
    assert state.check.ok and len(state.slots) == 2 and len(state.assignment) == 4
    bad = f"date,venue,capacity,district\n31-02-2026,x,1,D1\n{day},,x,D9\n".encode()
    with pytest.raises(DomainError) as error:
        planfile.plan_rows(plan.unit, planfile.read_rows("plan.csv", bad))
    assert set(error.value.errors) == {"line 2", "line 3"} and len(error.value.errors["line 3"]) == 3
