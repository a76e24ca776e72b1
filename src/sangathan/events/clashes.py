"""Clashes: one person in two places at once (an organizer, a touring leader, a one-to-one's participant)
or a venue booked twice. Actions refuse them unless told to go ahead; the calendar highlights them."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta

from django.db.models import Q
from django.utils.translation import gettext as _

from sangathan.events.enums import EventKind, EventStatus

DEFAULT_LENGTH = timedelta(hours=2)


@dataclass(frozen=True)
class Clash:
    kind: str  # "venue" or "person"
    event_id: int
    title: str


def describe(clash: Clash) -> str:
    if clash.kind == "venue":
        return _("The venue is booked at this time: %(title)s.") % {"title": clash.title}
    return _("The same person is at another event at this time: %(title)s.") % {"title": clash.title}


def event_clashes(*, starts_at, ends_at, venue=None, people=(), exclude_id=None) -> list[Clash]:
    from sangathan.events.models import Event

    if starts_at is None:
        return []
    people = [p for p in people if p]
    busy = Q(venue=venue) if venue is not None else Q(pk__in=[])
    if people:
        busy |= Q(organizer_id__in=people) | Q(tour__leader_id__in=people)
        busy |= Q(kind=EventKind.ONE_TO_ONE, invitations__person_id__in=people)
    found = (Event.objects.filter(busy, starts_at__lt=ends_at, ends_at__gt=starts_at)
             .exclude(status=EventStatus.CANCELLED).exclude(pk=exclude_id).distinct()
             .values_list("pk", "title", "venue_id"))
    return [Clash("venue" if venue is not None and venue_id == venue.pk else "person", pk, title)
            for pk, title, venue_id in found]


def calendar_clashes(events) -> set[int]:
    """Ids of the events (already read, with ``participants`` sets of person ids) that overlap another
    event sharing its venue or a person."""
    clashing: set[int] = set()
    ordered = sorted((e for e in events if e.starts_at and e.status != EventStatus.CANCELLED),
                     key=lambda e: e.starts_at)
    for i, first in enumerate(ordered):
        first_end = first.ends_at or first.starts_at + DEFAULT_LENGTH
        for second in ordered[i + 1:]:
            if second.starts_at >= first_end:
                break
            same_venue = first.venue_id and first.venue_id == second.venue_id
            if same_venue or (first.participants & second.participants):
                clashing.update((first.pk, second.pk))
    return clashing
