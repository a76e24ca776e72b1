"""Editing and cancelling a planned event (clashes, capacity, notices through the outbox, iCal, "not held"),
the chunked fan-out resumed after a crash, the reminder job sending once, and a group viewing's places."""

import datetime

import pytest
from django.test import Client

from sangathan.access.scope import Scope
from sangathan.core.errors import DomainError
from sangathan.events import dispatch as engine
from sangathan.events.codes import ical_token, location_code
from sangathan.events.enums import DispatchStatus
from sangathan.events.models import CheckIn, Dispatch, Event, Invitation
from sangathan.events.reports import not_held, not_held_list
from sangathan.events.services import (
    check_in_by_code,
    event_cancel,
    event_create,
    event_record_held,
    event_update,
    location_add,
    location_attendance_mark,
    series_create,
)
from sangathan.events.services.series import month_start
from sangathan.events.tasks import send_reminders
from sangathan.messaging.models import Message
from sangathan.people.models import Person
from tests.events.conftest import scope_of
from tests.factories.events import at, make_event, make_venue

pytestmark = pytest.mark.django_db


def meeting(tree, **extra):
    return event_create(scope=scope_of(tree, "district_president"), kind="meeting", title="मंडल बैठक",
                        unit=tree["d1"], starts_at=at(3), invite_rule={"posts": ["president"], "levels": ["mandal"]},
                        **extra)


def test_moving_an_event_rechecks_clashes_and_capacity_and_tells_the_invitees(etree, invite,
                                                                             django_capture_on_commit_callbacks):
    scope = scope_of(etree, "district_president")
    event = meeting(etree)
    assert invite(scope, event) == 1
    other = make_event(etree["d1"], starts_at=at(4), organizer=event.organizer)
    with pytest.raises(DomainError) as error:
        event_update(scope=scope, event=event, starts_at=at(4))
    assert error.value.code == "clash"
    small = make_venue(etree["d1"], "छोटा कक्ष", capacity=0)
    small.capacity = 1
    small.save()
    with pytest.raises(DomainError) as error:  # two more invited than the room holds
        event_update(scope=scope, event=event, venue=small, invite_rule={"posts": ["president"]})
    assert error.value.code == "capacity"
    with django_capture_on_commit_callbacks(execute=True):
        event_update(scope=scope, event=event, starts_at=at(5), venue=small)
    event.refresh_from_db()
    assert event.starts_at == at(5) and event.ends_at == at(5, 13) and event.venue == small
    moved = Message.objects.filter(idempotency_key__startswith="events:moved:")
    assert moved.count() == 1 and "छोटा कक्ष" in moved.get().body
    history = event.history.get(action="updated")
    assert history.detail["after"]["venue"] == small.pk and history.detail["before"]["venue"] is None
    assert other.pk  # the allow_clash override keeps the clash as a warning
    event_update(scope=scope, event=event, starts_at=at(4), allow_clash=True)
    assert event.history.filter(action="updated").last().detail["clashes"] == 1


def test_cancelling_tells_the_invitees_and_marks_the_feed(etree, invite, django_capture_on_commit_callbacks):
    scope = scope_of(etree, "district_president")
    event = meeting(etree)
    invite(scope, event)
    Message.objects.update(status="sent")  # the drain sent the invitation: the invitee was told
    with pytest.raises(DomainError) as error:
        event_cancel(scope=scope, event=event, reason="  ")
    assert error.value.field == "reason"
    with django_capture_on_commit_callbacks(execute=True):
        event_cancel(scope=scope, event=event, reason="बारिश")
    assert Message.objects.filter(idempotency_key__startswith="events:cancelled:", body__contains="बारिश").count() == 1
    with pytest.raises(DomainError):
        event_update(scope=scope, event=event, title="फिर से")
    user = etree.users["mandal_president"]
    feed = Client().get(f"/events/ical/{ical_token(user.pk)}.ics").content.decode()
    assert f"UID:event-{event.pk}@sangathan" in feed and "STATUS:CANCELLED" in feed


def test_held_events_keep_their_time_and_cancelled_occurrences_count_as_not_held(etree):
    state = scope_of(etree, "state_president")
    series = series_create(scope=state, kind="tiffin", title="टिफिन", unit=etree["d1"], level="mandal",
                           starts_on=month_start(datetime.date.today()), months=1)
    first, second = Event.objects.filter(series=series).order_by("unit_path")[:2]
    event_record_held(scope=state, event=first, held_on=datetime.date.today())
    with pytest.raises(DomainError) as error:
        event_update(scope=state, event=first, starts_at=at(1))
    assert error.value.code == "held"
    event_cancel(scope=state, event=second, reason="चुनाव आचार संहिता")
    _periods, rows = not_held(scope=state, series=series, unit=etree["d1"])
    assert sum(r.missing for r in rows) == Event.objects.filter(series=series).count() - 1
    assert second in list(not_held_list(state, series=series, unit=etree["d1"]))


def test_fanout_in_chunks_resumes_after_a_crash_and_writes_nothing_twice(etree, django_capture_on_commit_callbacks):
    scope = Scope.system()
    event = event_create(scope=scope, kind="live", title="संबोधन", unit=etree["state"], starts_at=at(1, 19),
                         link="https://example.org/live", invite_rule={"everyone": True})
    people = Person.objects.filter(status="active").count()
    dispatch = Dispatch.objects.create(event=event, purpose="invite")
    assert engine.dispatch_step(dispatch_id=dispatch.pk, size=2)  # a first chunk, then the worker dies
    dispatch.refresh_from_db()
    assert dispatch.total == people and dispatch.done == 2 and dispatch.status == DispatchStatus.RUNNING
    assert Message.objects.count() == 2
    # A chunk that crashed half-way rolled back; a rerun of a done chunk writes nothing twice.
    Dispatch.objects.filter(pk=dispatch.pk).update(cursor=0, done=0)
    assert engine.dispatch_run(dispatch_id=dispatch.pk, size=2) == (people + 1) // 2
    dispatch.refresh_from_db()
    assert dispatch.status == DispatchStatus.DONE and dispatch.percent == 100
    assert Invitation.objects.filter(event=event).count() == people == Message.objects.count()
    assert not Invitation.objects.filter(event=event, message__isnull=True).exists()
    assert engine.dispatch_run(dispatch_id=dispatch.pk) == 0  # finished: nothing more


def test_reminders_go_once_per_invitee_and_kind(etree, invite, django_capture_on_commit_callbacks):
    scope = scope_of(etree, "district_president")
    soon = event_create(scope=scope, kind="meeting", title="जल्दी", unit=etree["d1"],
                        starts_at=at(0, 0) + datetime.timedelta(days=1, hours=12),
                        invite_rule={"posts": ["president"], "levels": ["mandal"]})
    invite(scope, soon)
    from sangathan.core import clock

    now = soon.starts_at - datetime.timedelta(hours=20)
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(clock, "now", lambda: now)
        assert len(send_reminders()) == 1
        assert send_reminders() == []
    assert Message.objects.filter(idempotency_key__startswith="events:remind_day:").count() == 1
    now = soon.starts_at - datetime.timedelta(hours=1)
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(clock, "now", lambda: now)
        send_reminders()
        send_reminders()
    assert Message.objects.filter(idempotency_key__startswith="events:remind_soon:").count() == 1


def test_moving_withdraws_the_stale_reminders_and_reminds_again_for_the_new_time(
        etree, invite, django_capture_on_commit_callbacks):
    from sangathan.core import clock
    from sangathan.events.texts import when_text

    scope = scope_of(etree, "district_president")
    event = event_create(scope=scope, kind="meeting", title="जल्दी", unit=etree["d1"],
                         starts_at=at(0, 0) + datetime.timedelta(days=1, hours=12),
                         invite_rule={"posts": ["president"], "levels": ["mandal"]})
    invite(scope, event)
    old_start = event.starts_at
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(clock, "now", lambda: old_start - datetime.timedelta(hours=20))
        send_reminders()
    reminders = Message.objects.filter(idempotency_key__startswith="events:remind_day:")
    assert list(reminders.values_list("status", flat=True)) == ["queued"]
    new_start = old_start + datetime.timedelta(days=2)
    with django_capture_on_commit_callbacks(execute=True):
        event_update(scope=scope, event=event, starts_at=new_start)
    with django_capture_on_commit_callbacks(execute=True):  # moved twice before the worker ran: one notice
        event_update(scope=scope, event=event, starts_at=new_start + datetime.timedelta(hours=2))
        event_update(scope=scope, event=event, starts_at=new_start + datetime.timedelta(hours=1))
    # The reminder of the old time is withdrawn, and so is the first change notice (the last one follows it).
    assert list(reminders.values_list("status", "last_error")) == [("cancelled", "event changed")]
    moved = Message.objects.filter(idempotency_key__startswith="events:moved:").order_by("pk")
    assert list(moved.values_list("status", flat=True)) == ["cancelled", "queued"]
    event.refresh_from_db()
    assert when_text(event) in moved.last().body
    # The first move withdrew the reminder and the invitation not yet sent (sent again, new, by the change).
    assert [h.detail["stale_withdrawn"] for h in event.history.filter(action="updated").order_by("pk")] == [2, 1, 0]
    # The reminder job reminds again, at the new time, once.
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(clock, "now", lambda: event.starts_at - datetime.timedelta(hours=20))
        assert len(send_reminders()) == 1
        assert send_reminders() == []
    again = reminders.filter(status="queued").get()
    assert str(int(event.starts_at.timestamp())) in again.idempotency_key and when_text(event) in again.body
    # A change of title alone leaves the reminders be.
    event_update(scope=scope, event=event, title="नया नाम")
    again.refresh_from_db()
    assert again.status == "queued"


def test_group_viewing_places_have_their_own_codes_and_hosts(etree, invite):
    scope = scope_of(etree, "state_president")
    event = event_create(scope=scope, kind="viewing", title="सामूहिक प्रसारण", unit=etree["state"],
                         starts_at=at(1, 19), invite_rule={"posts": ["president"]})
    invite(scope, event)
    host = etree.people["mandal_president"]
    place = location_add(scope=scope, event=event, place="मंडल कार्यालय", host=host)
    other = location_add(scope=scope, event=event, place="ज़िला कार्यालय", host=etree.people["district_president"])
    assert location_code(place) != location_code(other)
    guest = Invitation.objects.filter(event=event, person=etree.people["president_d2a1m"]).get()
    host_scope = Scope.build([], person_id=host.pk)  # the host marks attendance at their place, whatever their post
    assert location_attendance_mark(scope=host_scope, location=place, invitation=guest, nonce="h-1") is True
    assert location_attendance_mark(scope=host_scope, location=place, invitation=guest, nonce="h-1") is False
    with pytest.raises(DomainError):  # not the host of the other place
        location_attendance_mark(scope=host_scope, location=other, invitation=guest, nonce="h-2")
    me = Invitation.objects.get(event=event, person=host)
    assert check_in_by_code(scope=host_scope, event=event, code=location_code(other), nonce="c-1")
    assert CheckIn.objects.get(invitation=me).location == other
    assert CheckIn.objects.get(invitation=guest).location == place


def test_small_demo_has_meetings_a_tour_and_a_series(settings, tmp_path, django_capture_on_commit_callbacks):
    import io

    from django.core.management import call_command

    from sangathan.events.models import Series, Tour

    settings.MEDIA_ROOT = tmp_path
    with django_capture_on_commit_callbacks(execute=True):
        call_command("demo", "--scale", "small", stdout=io.StringIO())
    assert Event.objects.filter(series__isnull=True, tour__isnull=True).count() >= 3
    tour = Tour.objects.get()
    assert tour.events.count() == 2
    series = Series.objects.get()
    held = Event.objects.filter(series=series, status="held").count()
    assert 0 < held < Event.objects.filter(series=series, period=series.starts_on).count()


def test_admin_resumes_a_send_half_done(etree, django_capture_on_commit_callbacks):
    from django.contrib.auth import get_user_model

    event = meeting(etree)
    dispatch = Dispatch.objects.create(event=event, purpose="invite")
    admin_user = get_user_model().objects.filter(is_superuser=True).first() or etree.users["state_president"]
    admin_user.is_staff = admin_user.is_superuser = True
    admin_user.save()
    client = Client()
    client.force_login(admin_user)
    assert client.get(f"/admin/events/event/{event.pk}/change/").status_code == 200
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post("/admin/events/dispatch/", {"action": "resume", "_selected_action": [dispatch.pk]})
    assert response.status_code == 302
    dispatch.refresh_from_db()
    assert dispatch.status == DispatchStatus.DONE and Invitation.objects.filter(event=event).count() == 1
