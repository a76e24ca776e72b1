"""After a move and after a withdrawal: no invitation still waiting in the outbox keeps the old time or place
(the change sends it again, new), and people named again get the reminders everyone else got."""

import datetime

import pytest
from django.utils import timezone

from sangathan.core import clock
from sangathan.events import dispatch as engine
from sangathan.events.models import Dispatch, Invitation
from sangathan.events.services import event_create, event_update
from sangathan.events.tasks import send_reminders
from sangathan.events.texts import when_text
from sangathan.messaging.models import Message, MessageStatus
from tests.events.conftest import scope_of
from tests.factories.events import at, make_venue

pytestmark = pytest.mark.django_db
PRESIDENTS = {"posts": ["president"]}
MANDAL_PRESIDENTS = {"posts": ["president"], "levels": ["mandal"]}


def told(invitation):
    Message.objects.filter(pk=invitation.message_id).update(status=MessageStatus.SENT, sent_at=timezone.now())


def test_invitations_still_waiting_go_again_with_the_new_time_and_place(etree, invite,
                                                                         django_capture_on_commit_callbacks):
    scope = scope_of(etree, "district_president")
    event = event_create(scope=scope, kind="meeting", title="ज़िला बैठक", unit=etree["d1"], starts_at=at(3),
                         invite_rule=PRESIDENTS)
    assert invite(scope, event) == 3
    invitations = list(Invitation.objects.filter(event=event).order_by("pk"))
    first, waiting = invitations[0], invitations[1:]
    told(first)
    old_when = when_text(event)
    with django_capture_on_commit_callbacks(execute=True):
        event_update(scope=scope, event=event, starts_at=at(5))
    event.refresh_from_db()
    assert when_text(event) != old_when
    # Nothing still waiting for this event tells the old time, and nothing expires at the old start.
    queued = Message.objects.filter(status="queued", idempotency_key__startswith="events:")
    assert queued.count() == 3 and not [m for m in queued if old_when in m.body]
    assert {m.expires_at for m in queued} == {event.starts_at}
    # Who was told gets the change notice; whose invitation had not left gets the invitation itself, anew
    # (the old one withdrawn), and no notice of a change they never heard of.
    notice = Message.objects.get(idempotency_key__startswith="events:moved:", person_id=first.person_id)
    assert notice.template.code == "events_moved" and when_text(event) in notice.body
    for invitation in waiting:
        old = Message.objects.get(pk=invitation.message_id)
        assert (old.status, old.last_error) == ("cancelled", "event changed")
        invitation.refresh_from_db()
        again = invitation.message
        assert again.status == "queued" and again.template.code == "events_invitation"
        assert when_text(event) in again.body and again.person_id == invitation.person_id
    first.refresh_from_db()
    assert Message.objects.get(pk=first.message_id).status == "sent"
    # A new venue alone: the invitation sent again is withdrawn and sent again, with the place.
    hall = make_venue(etree["d1"], "नया सभागार", capacity=50)
    with django_capture_on_commit_callbacks(execute=True):
        event_update(scope=scope, event=event, venue=hall)
    for invitation in waiting:
        invitation.refresh_from_db()
        assert invitation.message.status == "queued" and "नया सभागार" in invitation.message.body
    assert not Message.objects.filter(status="queued", idempotency_key__startswith="events:").exclude(
        body__contains="नया सभागार").exists()
    # Running every dispatch again writes nothing twice.
    count = Message.objects.count()
    for dispatch in Dispatch.objects.filter(event=event):
        Dispatch.objects.filter(pk=dispatch.pk).update(status="queued", cursor=0)
        engine.dispatch_run(dispatch_id=dispatch.pk)
    assert Message.objects.count() == count


def test_people_named_again_get_the_reminder_the_others_got(etree, invite, django_capture_on_commit_callbacks):
    scope = scope_of(etree, "district_president")
    event = event_create(scope=scope, kind="meeting", title="जल्दी", unit=etree["d1"],
                         starts_at=at(0, 0) + datetime.timedelta(days=1, hours=12), invite_rule=PRESIDENTS)
    invite(scope, event)
    gone = list(Invitation.objects.filter(event=event).exclude(person__unit__level="mandal").order_by("pk"))
    assert len(gone) == 2

    def at_hours_before(hours, work):
        with pytest.MonkeyPatch.context() as patch:
            patch.setattr(clock, "now", lambda: event.starts_at - datetime.timedelta(hours=hours))
            with django_capture_on_commit_callbacks(execute=True):
                return work()

    def reminded(kind):
        keys = Message.objects.filter(idempotency_key__startswith=f"events:{kind}:", status="queued")
        return sorted(keys.values_list("person_id", flat=True))

    everyone = sorted(Invitation.objects.filter(event=event).values_list("person_id", flat=True))
    at_hours_before(20, send_reminders)
    assert reminded("remind_day") == everyone
    # Narrowed (their reminders withdrawn with their invitations), then widened: named again, they are
    # reminded again, like everyone else.
    at_hours_before(19, lambda: event_update(scope=scope, event=event, invite_rule=MANDAL_PRESIDENTS))
    assert len(reminded("remind_day")) == 1
    at_hours_before(18, lambda: event_update(scope=scope, event=event, invite_rule=PRESIDENTS))
    assert [i.round for i in Invitation.objects.filter(pk__in=[g.pk for g in gone])] == [2, 2]
    assert reminded("remind_day") == everyone
    at_hours_before(1, send_reminders)
    assert reminded("remind_soon") == everyone
    # Each once: running it all again writes nothing.
    count = Message.objects.count()
    for dispatch in Dispatch.objects.filter(event=event):
        Dispatch.objects.filter(pk=dispatch.pk).update(status="queued", cursor=0)
        at_hours_before(1, lambda pk=dispatch.pk: engine.dispatch_run(dispatch_id=pk))
    assert Message.objects.count() == count


def test_a_new_place_alone_sends_the_waiting_reminders_again_with_it(etree, invite,
                                                                      django_capture_on_commit_callbacks):
    scope = scope_of(etree, "district_president")
    old, new = make_venue(etree["d1"], "पुराना सभागार", capacity=50), make_venue(etree["d1"], "नया सभागार", capacity=50)
    event = event_create(scope=scope, kind="meeting", title="जल्दी", unit=etree["d1"], venue=old,
                         starts_at=at(0, 0) + datetime.timedelta(days=1, hours=12), invite_rule=PRESIDENTS)
    invite(scope, event)
    invitations = list(Invitation.objects.filter(event=event).order_by("pk"))
    for invitation in invitations:
        told(invitation)

    def at_hours_before(hours, work):
        with pytest.MonkeyPatch.context() as patch:
            patch.setattr(clock, "now", lambda: event.starts_at - datetime.timedelta(hours=hours))
            with django_capture_on_commit_callbacks(execute=True):
                return work()

    reminders = Message.objects.filter(idempotency_key__startswith="events:remind_day:")
    at_hours_before(20, send_reminders)
    assert reminders.filter(status="queued").count() == len(invitations) == 3
    # One reminder already left; the other two still wait, naming the old hall.
    reminded = invitations[0]
    left = reminders.get(person_id=reminded.person_id)
    Message.objects.filter(pk=left.pk).update(status=MessageStatus.SENT, sent_at=timezone.now())
    at_hours_before(19, lambda: event_update(scope=scope, event=event, venue=new))
    # Nothing still waiting names the old hall; whose reminder waited gets it again with the new one.
    queued = Message.objects.filter(status="queued", idempotency_key__startswith="events:")
    assert not queued.filter(body__contains="पुराना सभागार").exists()
    again = reminders.filter(status="queued")
    assert sorted(again.values_list("person_id", flat=True)) == sorted(i.person_id for i in invitations[1:])
    assert all("नया सभागार" in m.body and m.template.code == "events_reminder" for m in again)
    assert {m.expires_at for m in again} == {event.starts_at}
    assert list(reminders.filter(status="cancelled").values_list("last_error", flat=True)) == ["event changed"] * 2
    # Who was reminded already gets the change notice only, with the new hall; everyone told gets it.
    assert not reminders.filter(person_id=reminded.person_id).exclude(pk=left.pk).exists()
    notices = Message.objects.filter(idempotency_key__startswith="events:moved:", status="queued")
    assert sorted(notices.values_list("person_id", flat=True)) == sorted(i.person_id for i in invitations)
    assert all(m.template.code == "events_moved" and "नया सभागार" in m.body for m in notices)
    # Running every dispatch again, and the reminder job, writes nothing twice.
    count = Message.objects.count()
    for dispatch in Dispatch.objects.filter(event=event):
        Dispatch.objects.filter(pk=dispatch.pk).update(status="queued", cursor=0)
        at_hours_before(18, lambda pk=dispatch.pk: engine.dispatch_run(dispatch_id=pk))
    at_hours_before(18, send_reminders)
    assert Message.objects.count() == count
    # Back to the old hall: the reminders sent again are withdrawn and sent again, once more, with it.
    at_hours_before(17, lambda: event_update(scope=scope, event=event, venue=old))
    again = reminders.filter(status="queued")
    assert again.count() == 2 and all("पुराना सभागार" in m.body for m in again)
    assert not Message.objects.filter(status="queued", idempotency_key__startswith="events:",
                                      body__contains="नया सभागार").exists()


def test_a_start_moved_back_reminds_again_those_whose_reminder_it_withdrew(etree, invite,
                                                                            django_capture_on_commit_callbacks):
    scope = scope_of(etree, "district_president")
    event = event_create(scope=scope, kind="meeting", title="जल्दी", unit=etree["d1"],
                         starts_at=at(0, 0) + datetime.timedelta(days=1, hours=12), invite_rule=PRESIDENTS)
    invite(scope, event)
    start = event.starts_at

    def at_hours_before(hours, work):
        with pytest.MonkeyPatch.context() as patch:
            patch.setattr(clock, "now", lambda: start - datetime.timedelta(hours=hours))
            with django_capture_on_commit_callbacks(execute=True):
                return work()

    reminders = Message.objects.filter(idempotency_key__startswith="events:remind_day:")
    at_hours_before(20, send_reminders)
    at_hours_before(19, lambda: event_update(scope=scope, event=event, starts_at=start + datetime.timedelta(days=2)))
    assert not reminders.filter(status="queued").exists()
    # Back at the first start, whose reminders' keys are taken by the withdrawn ones: sent again, once.
    at_hours_before(18, lambda: event_update(scope=scope, event=event, starts_at=start))
    at_hours_before(17, send_reminders)
    again = reminders.filter(status="queued")
    assert again.count() == Invitation.objects.filter(event=event).count() == 3
    assert all(":moved" in m.idempotency_key and when_text(event) in m.body for m in again)
