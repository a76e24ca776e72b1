"""Invitations resolved to the right people in scope; attendance by the organizer and by code (offline,
replayed nonce counted once); RSVP; decisions to an owner with a deadline; tours' parts and clashes."""

import datetime

import pytest

from sangathan.core.errors import DomainError, NotFound
from sangathan.events.codes import event_code, open_token, open_token_read
from sangathan.events.models import CheckIn, Decision, Invitation
from sangathan.events.reports import tour_parts
from sangathan.events.services import (
    attendance_mark,
    check_in_by_code,
    decision_add,
    event_create,
    event_record_held,
    rsvp_set,
    tour_create,
)
from sangathan.messaging.models import Message
from tests.events.conftest import scope_of
from tests.factories.events import at, make_venue

pytestmark = pytest.mark.django_db


def mandal_meeting(tree, key="district_president", unit="d1", days=2, **rule):
    return event_create(scope=scope_of(tree, key), kind="meeting", title="मंडल अध्यक्षों की बैठक", unit=tree[unit],
                        starts_at=at(days), invite_rule=rule or {"posts": ["president"], "levels": ["mandal"]})


def test_invitations_resolve_inside_the_organizers_scope(etree, invite):
    # Rule over the whole state, but the organizer is d1's president: only d1's mandal president.
    event = mandal_meeting(etree, units=[etree["state"].pk], posts=["president"], levels=["mandal"])
    assert invite(scope_of(etree, "district_president"), event) == 1
    invited = set(Invitation.objects.filter(event=event).values_list("person_id", flat=True))
    assert invited == {etree.people["mandal_president"].pk}
    # The state president's same rule reaches d2's mandal president too; a second run adds nothing.
    state_event = mandal_meeting(etree, key="state_president", unit="state", posts=["president"], levels=["mandal"])
    assert invite(scope_of(etree, "state_president"), state_event) == 2
    assert invite(scope_of(etree, "state_president"), state_event) == 0
    invitation = Invitation.objects.filter(event=state_event).first()
    assert invitation.message.idempotency_key == f"events:invite:{invitation.pk}"
    assert not Message.objects.filter(idempotency_key__startswith="events:remind").exists()  # the job reminds
    # Named people outside the organizer's scope are left out.
    named = mandal_meeting(etree, days=5, people=[etree.people["president_d3"].pk, etree.people["booth_president"].pk])
    invite(scope_of(etree, "district_president"), named)
    assert list(named.invitations.values_list("person_id", flat=True)) == [etree.people["booth_president"].pk]


def test_attendance_by_code_offline_replay_counts_once(etree, invite):
    event = mandal_meeting(etree)
    invite(scope_of(etree, "district_president"), event)
    scope = scope_of(etree, "mandal_president")
    code = event_code(event)
    # Made on the phone while offline, sent later, then sent again by a retry.
    when = at(2, 11) + datetime.timedelta(minutes=5)
    assert check_in_by_code(scope=scope, event=event, code=code.lower(), nonce="n-1", at=when) is True
    assert check_in_by_code(scope=scope, event=event, code=code, nonce="n-1", at=when) is False
    assert CheckIn.objects.filter(event=event).count() == 1
    invitation = Invitation.objects.get(event=event)
    assert invitation.attended and invitation.attended_at == when and invitation.method == "code"
    # A second check-in with a new nonce is recorded but the person still counts once.
    check_in_by_code(scope=scope, event=event, code=code, nonce="n-2")
    assert Invitation.objects.filter(event=event, attended=True).count() == 1
    with pytest.raises(DomainError) as error:
        check_in_by_code(scope=scope, event=event, code="WRONG123", nonce="n-3")
    assert error.value.errors == {"code": [error.value.message]}
    with pytest.raises(NotFound):  # not invited
        check_in_by_code(scope=scope_of(etree, "booth_president"), event=event, code=code, nonce="n-4")


def test_organizer_marks_attendance_and_rsvp(etree, invite):
    event = mandal_meeting(etree)
    invite(scope_of(etree, "district_president"), event)
    invitation = Invitation.objects.get(event=event)
    rsvp_set(scope=scope_of(etree, "mandal_president"), invitation=invitation, answer="yes")
    assert attendance_mark(scope=scope_of(etree, "district_president"), invitation=invitation, nonce="p1")
    assert not attendance_mark(scope=scope_of(etree, "district_president"), invitation=invitation, nonce="p1")
    invitation.refresh_from_db()
    assert invitation.rsvp == "yes" and invitation.attended and invitation.method == "organizer"
    with pytest.raises(NotFound):
        attendance_mark(scope=scope_of(etree, "booth_president"), invitation=invitation, nonce="p2")


def test_decision_becomes_a_task_for_its_owner(etree):
    event = mandal_meeting(etree)
    event_record_held(scope=scope_of(etree, "district_president"), event=event, held_on=datetime.date.today(),
                      minutes="चर्चा हुई")
    owner = etree.people["mandal_president"]
    decision = decision_add(scope=scope_of(etree, "district_president"), event=event, text="बूथ समितियाँ पूरी करें",
                            owner=owner, deadline=datetime.date.today() + datetime.timedelta(days=7))
    assert Decision.objects.get().owner == owner
    assert Message.objects.filter(idempotency_key=f"events:decision:{decision.pk}", person=owner).exists()
    with pytest.raises(DomainError):
        decision_add(scope=scope_of(etree, "district_president"), event=event, text="x", owner=owner,
                     deadline=datetime.date.today() - datetime.timedelta(days=1))


def test_tracked_link_token_round_trip():
    assert open_token_read(open_token(12345)) == 12345
    assert open_token_read(open_token(12345) + "x") is None


def test_tour_parts_and_clashes(etree):
    scope = scope_of(etree, "state_president")
    leader = etree.people["state_president"]
    start = datetime.date.today() + datetime.timedelta(days=3)
    tour = tour_create(scope=scope, kind="lok_sabha", title="लोकसभा प्रवास", leader=leader, unit=etree["state"],
                       starts_on=start, ends_on=start + datetime.timedelta(days=1), units_visited=[etree["d1"]])
    assert [(p.code, p.state, p.missing) for p in tour_parts(tour)] == [("big_meeting", "missing", 2),
                                                                       ("rally_or_conference", "missing", 1)]
    hall = make_venue(etree["d1"], capacity=500)
    first = event_create(scope=scope, kind="meeting", title="बड़ी बैठक 1", unit=etree["d1"], tour=tour, venue=hall,
                         starts_at=at(3, 10))
    event_create(scope=scope, kind="meeting", title="बड़ी बैठक 2", unit=etree["d1"], tour=tour, starts_at=at(3, 15))
    rally = event_create(scope=scope, kind="rally", title="सभा", unit=etree["d1"], tour=tour, starts_at=at(4, 11))
    event_record_held(scope=scope, event=first, held_on=datetime.date.today())
    event_record_held(scope=scope, event=rally, held_on=datetime.date.today())
    parts = tour_parts(tour)
    assert [(p.planned, p.held, p.state) for p in parts] == [(1, 1, "planned"), (0, 1, "held")]
    # The leader in two places, and the venue booked twice, are refused; a warning when told to go ahead.
    with pytest.raises(DomainError) as error:
        event_create(scope=scope, kind="rally", title="दूसरी जगह", unit=etree["d2"], tour=tour, starts_at=at(3, 11))
    assert error.value.code == "clash"
    with pytest.raises(DomainError):
        event_create(scope=scope_of(etree, "district_president"), kind="meeting", title="उसी हॉल में",
                     unit=etree["d1"], venue=hall, starts_at=at(3, 11))
    with pytest.raises(DomainError):
        tour_create(scope=scope, kind="cluster", title="दूसरा प्रवास", leader=leader, unit=etree["state"],
                    starts_on=start, ends_on=start)
    again = tour_create(scope=scope, kind="cluster", title="दूसरा प्रवास", leader=leader, unit=etree["state"],
                        starts_on=start, ends_on=start, allow_clash=True,
                        required_parts=[{"code": "conference", "kinds": ["conference"], "count": 1}])
    assert again.required_parts == [{"code": "conference", "kinds": ["conference"], "count": 1}]
