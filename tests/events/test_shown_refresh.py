"""A new title is no move: the event's messages still waiting in the outbox (invitations, reminders) are
rendered again with it, those claimed or sent stay as they went, nothing new is queued and nobody is told."""

import datetime

import pytest
from django.utils import timezone

from sangathan.core import clock
from sangathan.events.models import Dispatch, EventHistory, Invitation
from sangathan.events.services import event_create, event_update
from sangathan.events.tasks import send_reminders
from sangathan.messaging.models import Message, MessageStatus
from tests.events.conftest import scope_of

pytestmark = pytest.mark.django_db
PRESIDENTS = {"posts": ["president"]}


def test_a_new_title_renders_the_waiting_messages_again(etree, invite, django_capture_on_commit_callbacks):
    scope = scope_of(etree, "district_president")
    starts = clock.now().replace(microsecond=0) + datetime.timedelta(days=1, hours=12)
    event = event_create(scope=scope, kind="meeting", title="ज़िला बैठक", unit=etree["d1"], starts_at=starts,
                         invite_rule=PRESIDENTS)
    other = event_create(scope=scope, kind="meeting", title="ज़िला बैठक", unit=etree["d1"],
                         starts_at=starts + datetime.timedelta(days=3), invite_rule=PRESIDENTS)
    assert invite(scope, event) == 3 and invite(scope, other) == 3
    sent, claimed, waiting = Invitation.objects.filter(event=event).order_by("pk")
    Message.objects.filter(pk=sent.message_id).update(status=MessageStatus.SENT, sent_at=timezone.now())
    Message.objects.filter(pk=claimed.message_id).update(status=MessageStatus.SENDING)
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(clock, "now", lambda: starts - datetime.timedelta(hours=20))
        with django_capture_on_commit_callbacks(execute=True):
            send_reminders()
    reminders = Message.objects.filter(idempotency_key__startswith="events:remind_day:")
    assert reminders.filter(status="queued").count() == 3
    count, dispatches = Message.objects.count(), Dispatch.objects.filter(event=event).count()

    with django_capture_on_commit_callbacks(execute=True):
        event_update(scope=scope, event=event, title="ज़िला कार्यसमिति बैठक")

    event_messages = Message.objects.filter(idempotency_key__startswith="events:",
                                            person_id__in=[sent.person_id, claimed.person_id, waiting.person_id])
    # Every message of this event still waiting carries the new title, in its text and its variables.
    queued = [m for m in event_messages.filter(status="queued") if m.expires_at == event.starts_at]
    assert len(queued) == 4  # three reminders and the invitation that had not left
    assert all("ज़िला कार्यसमिति बैठक" in m.body and m.context["title"] == "ज़िला कार्यसमिति बैठक" for m in queued)
    # What went out, or is with a provider, stays as it went; the other event's messages are untouched.
    for invitation in (sent, claimed):
        message = Message.objects.get(pk=invitation.message_id)
        assert "कार्यसमिति" not in message.body and message.context["title"] == "ज़िला बैठक"
    assert not Message.objects.filter(expires_at=other.starts_at, body__contains="कार्यसमिति").exists()
    # No move: nothing new queued, nothing withdrawn, no change notice; the history says how many.
    assert Message.objects.count() == count and not Message.objects.filter(status="cancelled").exists()
    assert Dispatch.objects.filter(event=event).count() == dispatches
    change = EventHistory.objects.filter(event=event, action="updated").latest("pk")
    assert change.detail["messages_refreshed"] == 4
    assert change.detail["after"] == {"title": "ज़िला कार्यसमिति बैठक"}


def test_a_change_of_link_alone_renders_nothing_again(etree, invite):
    scope = scope_of(etree, "district_president")
    event = event_create(scope=scope, kind="meeting", title="बैठक", unit=etree["d1"],
                         starts_at=clock.now() + datetime.timedelta(days=2), invite_rule=PRESIDENTS)
    invite(scope, event)
    before = list(Message.objects.order_by("pk").values_list("body", "updated_at"))
    event_update(scope=scope, event=event, link="https://example.org/live")
    assert list(Message.objects.order_by("pk").values_list("body", "updated_at")) == before
    assert "messages_refreshed" not in EventHistory.objects.filter(event=event, action="updated").latest("pk").detail
