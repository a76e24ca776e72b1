"""Scoped reads of events: one event, lists and the calendar. Everything goes through ``scope.filter`` on
``unit_path``; an invitee also reads the events they are invited to. Reports live in ``reports``."""

from __future__ import annotations

from datetime import datetime, timedelta

from django.db.models import Count, Q
from django.utils.translation import gettext as _

from sangathan.core.errors import NotFound
from sangathan.core.tree import ancestor_paths, subtree_q
from sangathan.events.clashes import calendar_clashes
from sangathan.events.enums import EventKind
from sangathan.events.models import (
    Decision,
    Event,
    Invitation,
    Series,
    Tour,
    Venue,
    ViewingLocation,
    WorkshopPlan,
)
from sangathan.events.policies import events_scope, require_organize


def _readable(scope, queryset, field: str = "unit_path"):
    scoped = events_scope(scope).filter(queryset, field)
    if scope.person_id and queryset.model is Event:
        scoped = scoped | queryset.filter(invitations__person_id=scope.person_id)
    return scoped


def event_get_for_actor(scope, event_id: int, *, for_write: bool = False) -> Event:
    """404 outside the reader's reach (as if absent); 403 when readable and ``for_write`` but not theirs."""
    event = _readable(scope, Event.objects.filter(pk=event_id)).select_related(
        "unit", "venue", "organizer", "series", "tour", "overlay").first()
    if event is None:
        raise NotFound(_("Not found."))
    if for_write:
        require_organize(scope, event.unit_path)
    return event


def location_get_for_actor(scope, event_id: int, location_id: int):
    """A viewing location, for its host (whatever their reach) or for whoever reads its event."""
    location = ViewingLocation.objects.select_related("event", "host").filter(pk=location_id, event_id=event_id).first()
    if location is None:
        raise NotFound(_("Not found."))
    if scope.person_id is None or location.host_id != scope.person_id:
        event_get_for_actor(scope, event_id)
    return location


def _get(scope, model, pk: int, *, for_write: bool = False):
    obj = events_scope(scope).filter(model.objects.filter(pk=pk), "unit_path").first()
    if obj is None:
        raise NotFound(_("Not found."))
    if for_write:
        require_organize(scope, obj.unit_path)
    return obj


def series_get_for_actor(scope, series_id: int, *, for_write: bool = False) -> Series:
    """A series is read by anyone whose reach overlaps its subtree (a district reads the state's monthly
    series, and only its own part of the report); written by its organizers."""
    series = Series.objects.filter(pk=series_id).select_related("unit").first()
    reach = events_scope(scope)
    if series is None or not (reach.can_read_path(series.unit_path)
                              or any(p.startswith(series.unit_path) for p in reach.read_paths)):
        raise NotFound(_("Not found."))
    if for_write:
        require_organize(scope, series.unit_path)
    return series


def tour_get_for_actor(scope, tour_id: int, *, for_write: bool = False) -> Tour:
    return _get(scope, Tour, tour_id, for_write=for_write)


def plan_get_for_actor(scope, plan_id: int, *, for_write: bool = False) -> WorkshopPlan:
    return _get(scope, WorkshopPlan, plan_id, for_write=for_write)


def venue_get_for_actor(scope, venue_id: int) -> Venue:
    return _get(scope, Venue, venue_id)


def invitation_get_for_actor(scope, invitation_id: int, *, for_write: bool = False) -> Invitation:
    """The organizer's (any invitation of an event they may read) or the invitee's own."""
    invitation = Invitation.objects.select_related("event", "person").filter(pk=invitation_id).first()
    if invitation is None:
        raise NotFound(_("Not found."))
    if invitation.person_id == scope.person_id and not for_write:
        return invitation
    event_get_for_actor(scope, invitation.event_id, for_write=for_write)
    if not events_scope(scope).can_read_path(invitation.unit_path) and invitation.person_id != scope.person_id:
        raise NotFound(_("Not found."))
    return invitation


def decision_get_for_actor(scope, decision_id: int) -> Decision:
    decision = Decision.objects.select_related("event").filter(pk=decision_id).first()
    if decision is None or not (decision.owner_id == scope.person_id
                                or events_scope(scope).can_read_path(decision.unit_path)):
        raise NotFound(_("Not found."))
    return decision


def events_list(scope, *, unit=None, start: datetime | None = None, end: datetime | None = None, kind: str = ""):
    """One-off and dated events the reader may see (series occurrences without a date are left out)."""
    queryset = Event.objects.all()
    if unit is not None:
        events_scope(scope).require(unit.path, write=False)
        queryset = queryset.filter(subtree_q("unit_path", unit.path))
    events = _readable(scope, queryset).filter(starts_at__isnull=False)
    if start is not None:
        events = events.filter(starts_at__gte=start)
    if end is not None:
        events = events.filter(starts_at__lt=end)
    if kind:
        events = events.filter(kind=kind)
    return events.distinct().select_related("unit", "venue", "organizer").order_by("starts_at", "id")


def series_list(scope):
    """Series over the reader's reach or over a unit above it (their ancestors' paths)."""
    reach = events_scope(scope)
    if reach.sees_all:
        return Series.objects.select_related("unit")
    paths = set()
    for root in reach.read_paths:
        paths.update(ancestor_paths(root))
    return (reach.filter(Series.objects.all(), "unit_path") | Series.objects.filter(unit_path__in=paths)
            ).select_related("unit")


def tours_list(scope):
    return events_scope(scope).filter(Tour.objects.all(), "unit_path").select_related("leader", "unit")


def plans_list(scope):
    return events_scope(scope).filter(WorkshopPlan.objects.all(), "unit_path").select_related("unit")


def venues_list(scope):
    return events_scope(scope).filter(Venue.objects.all(), "unit_path").select_related("unit")


def with_participants(events: list[Event]) -> list[Event]:
    """Give each event ``participants`` (organizer, touring leader, one-to-one invitees: the people who must
    be there) and ``clash`` (it overlaps another one sharing a person or the venue)."""
    ids = [e.pk for e in events if e.kind == EventKind.ONE_TO_ONE]
    invited: dict[int, set[int]] = {}
    for event_id, person_id in Invitation.objects.filter(event_id__in=ids).values_list("event_id", "person_id"):
        invited.setdefault(event_id, set()).add(person_id)
    leaders = dict(Tour.objects.filter(pk__in={e.tour_id for e in events if e.tour_id})
                   .values_list("pk", "leader_id"))
    for event in events:
        people = set(invited.get(event.pk, ())) | {event.organizer_id, leaders.get(event.tour_id)}
        event.participants = people - {None}
    clashing = calendar_clashes(events)
    for event in events:
        event.clash = event.pk in clashing
    return events


def calendar_month(scope, *, unit, year: int, month: int) -> list[Event]:
    start = datetime(year, month, 1)
    end = (start + timedelta(days=32)).replace(day=1)
    from django.utils import timezone

    tz = timezone.get_current_timezone()
    events = list(events_list(scope, unit=unit, start=start.replace(tzinfo=tz), end=end.replace(tzinfo=tz)))
    return with_participants(events)


def my_events(person_id: int, *, since: datetime):
    """Events a person is invited to or organizes (their iCalendar feed)."""
    invited = Q(invitations__person_id=person_id, invitations__withdrawn_at__isnull=True)
    return (Event.objects.filter(invited | Q(organizer_id=person_id),
                                 starts_at__gte=since).distinct().select_related("venue", "unit")
            .order_by("starts_at")[:500])


def invitation_counts(event: Event) -> dict:
    # A withdrawn invitation no longer counts as invited; who checked in before it was withdrawn stays attended.
    return Invitation.objects.filter(event=event).aggregate(
        invited=Count("pk", filter=Q(withdrawn_at__isnull=True)), coming=Count("pk", filter=Q(rsvp="yes")), attended=Count("pk", filter=Q(attended=True)))
