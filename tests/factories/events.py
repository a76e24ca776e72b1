"""Events helpers for tests: venues and events built with the ORM (the services are what the tests test)."""

import datetime

from django.utils import timezone

from sangathan.events.models import Event, Venue


def make_venue(unit, name="सभागार", capacity=100) -> Venue:
    return Venue.objects.create(name=name, unit=unit, unit_path=unit.path, capacity=capacity)


def at(days: int = 1, hour: int = 11) -> datetime.datetime:
    day = timezone.localdate() + datetime.timedelta(days=days)
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(hour, 0)))


def make_event(unit, *, kind="meeting", title="बैठक", starts_at=None, **extra) -> Event:
    starts_at = starts_at or at()
    return Event.objects.create(kind=kind, title=title, unit=unit, unit_path=unit.path, starts_at=starts_at,
                                ends_at=starts_at + datetime.timedelta(hours=2), **extra)
