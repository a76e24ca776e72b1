"""Addresses without a login, each carrying its own signed token: the tracked link of an invitation
(``/e/<token>``: the funnel's "opened") and a user's iCalendar feed (``/events/ical/<token>.ics``)."""

from __future__ import annotations

from datetime import UTC, timedelta

from django.http import Http404, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse

from sangathan.access.models import User
from sangathan.access.scope import Scope
from sangathan.core import clock
from sangathan.events.codes import ical_token_read, open_token_read
from sangathan.events.models import Invitation
from sangathan.events.selectors import my_events
from sangathan.events.services import invitation_open


def open_link(request, token: str):
    invitation_id = open_token_read(token)
    invitation = Invitation.objects.select_related("event").filter(pk=invitation_id).first() if invitation_id else None
    if invitation is None:
        raise Http404
    invitation_open(scope=Scope.system(channel="web"), invitation=invitation)
    return redirect(invitation.event.link or reverse("events:event", args=[invitation.event_id]))


def _text(value: str) -> str:
    return value.replace("\\", "\\\\").replace(";", "\\;").replace(",", "\\,").replace("\n", "\\n")


def _stamp(moment) -> str:
    return moment.astimezone(UTC).strftime("%Y%m%dT%H%M%SZ")


# A calendar program removes an event it holds when the feed marks it CANCELLED with a higher SEQUENCE.
STATUS = {"planned": "CONFIRMED", "held": "CONFIRMED", "cancelled": "CANCELLED"}


def _sequence(event) -> int:
    """Grows with every change, so calendars take the newer copy: seconds since the event was created."""
    return max(int((event.updated_at - event.created_at).total_seconds()), 0)


def ical(request, token: str):
    user_id = ical_token_read(token)
    user = User.objects.filter(pk=user_id, is_active=True).first() if user_id else None
    if user is None or user.person_id is None:
        raise Http404
    lines = ["BEGIN:VCALENDAR", "VERSION:2.0", "PRODID:-//Sangathan//events//HI", "CALSCALE:GREGORIAN"]
    now = clock.now()
    for event in my_events(user.person_id, since=now - timedelta(days=31)):
        ends = event.ends_at or event.starts_at + timedelta(hours=2)
        place = event.venue.name if event.venue_id else event.unit.name_hi
        lines += ["BEGIN:VEVENT", f"UID:event-{event.pk}@sangathan", f"DTSTAMP:{_stamp(now)}",
                  f"DTSTART:{_stamp(event.starts_at)}", f"DTEND:{_stamp(ends)}", f"SUMMARY:{_text(event.title)}",
                  f"LOCATION:{_text(place)}", f"STATUS:{STATUS[event.status]}", f"SEQUENCE:{_sequence(event)}",
                  "END:VEVENT"]
    lines.append("END:VCALENDAR")
    return HttpResponse("\r\n".join(lines) + "\r\n", content_type="text/calendar; charset=utf-8")
