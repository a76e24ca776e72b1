"""Taking back what an event queued: cancelling withdraws its messages still waiting in the outbox (the
invitees already told get the cancellation notice), a narrower rule withdraws the invitations of who it no
longer names (rows, answers and attendance kept; a notice to who was told), set-based; and the API's PATCH
telling an absent key from a null."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from sangathan.access.scope import scope_for_user
from sangathan.core.errors import DomainError, NotFound
from sangathan.events import dispatch as engine
from sangathan.events.codes import event_code
from sangathan.events.models import Dispatch, Invitation
from sangathan.events.selectors import invitation_counts, my_events
from sangathan.events.services import check_in_by_code, event_cancel, event_create, event_update
from sangathan.messaging.models import Message, MessageStatus
from sangathan.messaging.outbox import outbox_drain
from tests.api_client import ApiClient
from tests.events.conftest import scope_of
from tests.factories.events import at, make_venue

pytestmark = pytest.mark.django_db
PRESIDENTS = {"posts": ["president"]}
MANDAL_PRESIDENTS = {"posts": ["president"], "levels": ["mandal"]}


def meeting(tree, rule=PRESIDENTS, **extra):
    values = {"title": "ज़िला बैठक", "starts_at": at(3), **extra}
    return event_create(scope=scope_of(tree, "district_president"), kind="meeting", unit=tree["d1"],
                        invite_rule=rule, **values)


def keys_of(event):
    """The event's outbox rows by kind: ``{"invite": {status, …}, …}``."""
    rows = {}
    ids = {str(pk) for pk in Invitation.objects.filter(event=event).values_list("pk", flat=True)}
    for key, status in Message.objects.values_list("idempotency_key", "status"):
        if key.startswith("events:") and key.rsplit(":", 1)[1] in ids:
            rows.setdefault(key.split(":")[1], []).append(status)
    return {kind: sorted(statuses) for kind, statuses in rows.items()}


def told(invitation):
    """The drain handed ``invitation``'s message to the gateway (what the outbox worker does)."""
    Message.objects.filter(pk=invitation.message_id).update(status=MessageStatus.SENT, sent_at=timezone.now())


def test_cancelling_withdraws_queued_messages_and_tells_only_who_was_told(etree, invite,
                                                                           django_capture_on_commit_callbacks):
    scope = scope_of(etree, "district_president")
    event = meeting(etree)
    other = meeting(etree, title="दूसरी बैठक", starts_at=at(6))  # the same people, another event
    assert invite(scope, event) == 3 and invite(scope, other) == 3
    reminder = Dispatch.objects.create(event=event, purpose="remind_day")
    engine.dispatch_run(dispatch_id=reminder.pk)
    first = Invitation.objects.filter(event=event).order_by("pk").first()
    told(first)
    with django_capture_on_commit_callbacks(execute=True), CaptureQueriesContext(connection) as queries:
        event_cancel(scope=scope, event=event, reason="बारिश")
    withdrawing = [q["sql"] for q in queries if q["sql"].startswith('UPDATE "messaging_message"')]
    assert len(withdrawing) == 1  # one statement whatever the number of invitees
    # Two invitations and three reminders never left: withdrawn; the one sent stays sent; the notice is queued.
    assert keys_of(event) == {"invite": ["cancelled", "cancelled", "sent"], "remind_day": ["cancelled"] * 3,
                              "cancelled": ["queued"]}
    notice = Message.objects.get(idempotency_key=f"events:cancelled:{first.pk}")
    assert "बारिश" in notice.body and notice.person_id == first.person_id
    assert set(Message.objects.filter(status="cancelled").values_list("last_error", flat=True)) == {"event cancelled"}
    assert keys_of(other) == {"invite": ["queued"] * 3}  # the other event's messages are untouched
    assert event.history.get(action="cancelled").detail["messages_withdrawn"] == 5
    outbox_drain(now=timezone.now())  # the drain never sends what was withdrawn
    assert keys_of(event)["remind_day"] == ["cancelled"] * 3 and keys_of(event)["invite"].count("cancelled") == 2


def test_narrowing_the_rule_withdraws_invitations_and_tells_who_was_told(etree, invite,
                                                                          django_capture_on_commit_callbacks):
    scope = scope_of(etree, "district_president")
    event = meeting(etree)
    invite(scope, event)
    kept_person = Invitation.objects.get(event=event, person__unit__level="mandal").person_id
    gone = list(Invitation.objects.filter(event=event).exclude(person_id=kept_person).order_by("pk"))
    assert len(gone) == 2
    told(gone[0])
    Invitation.objects.filter(pk=gone[0].pk).update(rsvp="yes", attended=True, attended_at=timezone.now(),
                                                      method="organizer")
    with django_capture_on_commit_callbacks(execute=True), CaptureQueriesContext(connection) as queries:
        event_update(scope=scope, event=event, invite_rule=MANDAL_PRESIDENTS)
    assert sum('UPDATE "events_invitation"' in q["sql"] for q in queries) == 1  # set-based
    rows = {i.pk: i for i in Invitation.objects.filter(event=event)}
    assert len(rows) == 3  # rows kept
    assert rows[gone[0].pk].withdrawn_at and rows[gone[1].pk].withdrawn_at
    assert rows[gone[0].pk].attended and rows[gone[0].pk].rsvp == "yes"  # attendance and answer stay
    assert Invitation.objects.current().filter(event=event).get().person_id == kept_person
    assert invitation_counts(event) == {"invited": 1, "coming": 1, "attended": 1}
    # The withdrawn one never sent is cancelled; the one sent stays sent and its person gets the notice.
    statuses = dict(Message.objects.filter(pk__in=[i.message_id for i in gone]).values_list("pk", "status"))
    assert statuses == {gone[0].message_id: "sent", gone[1].message_id: "cancelled"}
    kept = Invitation.objects.get(event=event, person_id=kept_person)
    assert Message.objects.get(pk=kept.message_id).status == "queued"  # who is still invited keeps theirs
    notice = Message.objects.get(idempotency_key__startswith="events:uninvited:")
    assert notice.idempotency_key == f"events:uninvited:{gone[0].pk}" and notice.status == "queued"
    assert "आमंत्रित नहीं" in notice.body
    detail = event.history.filter(action="updated").last().detail
    assert detail["withdrawn"] == {"withdrawn": 2, "messages": 1, "told": 1}
    # Widening again invites them again: the rows come back in a second round, each sent a new invitation
    # (the notice is not sent twice).
    with django_capture_on_commit_callbacks(execute=True):
        event_update(scope=scope, event=event, invite_rule=PRESIDENTS)
    assert Invitation.objects.current().filter(event=event).count() == 3
    assert Message.objects.filter(idempotency_key__startswith="events:uninvited:").count() == 1
    assert set(Message.objects.filter(idempotency_key__startswith="events:invite:2:")
               .values_list("idempotency_key", flat=True)) == {f"events:invite:2:{i.pk}" for i in gone}
    # Cancelling now tells the one whose new invitation left and nobody else.
    told(Invitation.objects.get(pk=gone[0].pk))
    with django_capture_on_commit_callbacks(execute=True):
        event_cancel(scope=scope, event=event, reason="चुनाव")
    assert list(Message.objects.filter(idempotency_key__startswith="events:cancelled:")
                .values_list("person_id", flat=True)) == [gone[0].person_id]


def test_reinvited_people_are_invited_and_told_again_once_per_round(etree, invite,
                                                                   django_capture_on_commit_callbacks):
    scope = scope_of(etree, "district_president")
    event = meeting(etree)
    invite(scope, event)
    gone = list(Invitation.objects.filter(event=event).exclude(person__unit__level="mandal").order_by("pk"))

    def update(rule):
        with django_capture_on_commit_callbacks(execute=True):
            event_update(scope=scope, event=event, invite_rule=rule)

    def keys(prefix):
        return sorted(Message.objects.filter(idempotency_key__startswith=prefix)
                      .values_list("idempotency_key", "status"))

    # Withdrawn before their invitations left (cancelled, nobody to tell), then named again: invited again.
    update(MANDAL_PRESIDENTS)
    assert keys("events:uninvited:") == []
    update(PRESIDENTS)
    assert keys("events:invite:2:") == [(f"events:invite:2:{i.pk}", "queued") for i in gone]
    assert [i.round for i in Invitation.objects.filter(pk__in=[g.pk for g in gone])] == [2, 2]
    assert all(i.message.idempotency_key.startswith("events:invite:2:")
               for i in Invitation.objects.filter(pk__in=[g.pk for g in gone]).select_related("message"))
    # Doing it again changes nothing: the same rule, the invitations sent again, the dispatch run again.
    messages = Message.objects.count()
    update(PRESIDENTS)
    invite(scope, event)
    for dispatch in Dispatch.objects.filter(event=event):
        Dispatch.objects.filter(pk=dispatch.pk).update(status="queued", cursor=0)
        engine.dispatch_run(dispatch_id=dispatch.pk)
    assert Message.objects.count() == messages
    # Told this time, withdrawn, told they are no longer invited; named and told again, withdrawn again: a
    # second notice, under the second round's key; each once.
    for invitation in Invitation.objects.filter(pk=gone[0].pk):
        told(invitation)
    update(MANDAL_PRESIDENTS)
    assert keys("events:uninvited:") == [(f"events:uninvited:2:{gone[0].pk}", "queued")]
    Message.objects.filter(idempotency_key__startswith="events:uninvited:").update(status="sent")
    update(PRESIDENTS)
    told(Invitation.objects.get(pk=gone[0].pk))
    assert Invitation.objects.get(pk=gone[0].pk).round == 3
    update(MANDAL_PRESIDENTS)
    update(MANDAL_PRESIDENTS)
    assert keys("events:uninvited:") == [(f"events:uninvited:2:{gone[0].pk}", "sent"),
                                         (f"events:uninvited:3:{gone[0].pk}", "queued")]
    assert keys("events:invite:3:") == [(f"events:invite:3:{gone[0].pk}", "sent"),
                                        (f"events:invite:3:{gone[1].pk}", "cancelled")]


def test_a_withdrawn_invitee_cannot_check_in_and_leaves_the_calendar(etree, invite):
    scope = scope_of(etree, "district_president")
    event = meeting(etree)
    invite(scope, event)
    event_update(scope=scope, event=event, invite_rule=MANDAL_PRESIDENTS)
    user = etree.users["district_president"]
    assert Invitation.objects.get(event=event, person_id=user.person_id).withdrawn_at
    with pytest.raises((NotFound, DomainError)):
        check_in_by_code(scope=scope_for_user(user), event=event, code=event_code(event), nonce="n-1")
    since = timezone.now()
    assert event in list(my_events(Invitation.objects.current().get(event=event).person_id, since=since))
    other = Invitation.objects.filter(event=event, withdrawn_at__isnull=False).exclude(
        person_id=event.organizer_id).first()
    if other is not None:  # a withdrawn invitee who does not organize it no longer has it in their feed
        assert event not in list(my_events(other.person_id, since=since))


def test_patch_tells_absent_from_null(etree, invite):
    api = ApiClient.login(etree.users["district_president"])
    venue = make_venue(etree["d1"], "सभागार", capacity=50)
    event = meeting(etree, venue=venue, link="https://example.org/x", phone_in="1800")
    response = api.patch(f"/events/{event.pk}", {"title": "नया नाम"})
    assert response.status_code == 200, response.content
    event.refresh_from_db()
    assert event.venue == venue and event.link and event.title == "नया नाम"  # absent keys unchanged
    response = api.patch(f"/events/{event.pk}", {"venue": None, "link": None, "phone_in": None})
    assert response.status_code == 200, response.content
    event.refresh_from_db()
    assert event.venue is None and response.json()["venue"] is None and event.link == "" and event.phone_in == ""
    assert event.history.filter(action="updated").last().detail["after"] == {"venue": None, "link": "",
                                                                              "phone_in": ""}
    before = event.updated_at
    for body, field, status in (({"title": None}, "title", 400), ({"starts_at": None}, "starts_at", 400),
                                ({"venue": 987654}, "venue", 400), ({"venue": "x"}, "venue", 422),
                                ({"starts_at": "kal"}, "starts_at", 422),
                                ({"ends_at": at(2).isoformat()}, "ends_at", 400),
                                ({"invite_rule": {"bogus": [1]}}, "invite_rule", 400)):
        response = api.patch(f"/events/{event.pk}", body)
        assert response.status_code == status, (body, response.content)
        assert field in response.content.decode(), (body, response.content)
    event.refresh_from_db()
    assert event.updated_at == before  # bad input wrote nothing
