"""A person's timeline: everything that touched them, from every app, newest first.

``people`` cannot import the apps above it (grievances, outreach, events …), so each of them registers a
*source* here, usually in its ``AppConfig.ready()``::

    from sangathan.people.timeline import TimelineEntry, timeline_source

    @timeline_source("grievances")
    def grievance_entries(person, scope, limit):
        for grievance in grievances_of_complainant(person, scope)[:limit]:
            yield TimelineEntry(at=grievance.created_at, kind="grievance", title=..., url=...)

A source gets the person, the *reader's* scope and how many entries are wanted; it must return only what
that reader may see (a grievance hidden from its reader by recusal is not on their timeline either), at
most ``limit`` entries, newest first, in a few queries regardless of how many entries there are.
"""

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import datetime
from heapq import merge
from itertools import islice

from sangathan.access.scope import Scope

TimelineSource = Callable[["object", Scope, int], Iterable["TimelineEntry"]]


@dataclass(frozen=True)
class TimelineEntry:
    at: datetime
    kind: str          # a short machine word: "edit", "position", "flag", "call", "grievance" …
    title: str         # one line, already in the reader's language
    detail: str = ""   # optional second line
    actor: str = ""    # who did it, as a display name ("" for the system)
    url: str = ""      # where the reader can see more ("" when nowhere)


_sources: dict[str, TimelineSource] = {}


def timeline_source(name: str) -> Callable[[TimelineSource], TimelineSource]:
    """Register ``fn`` as the timeline source ``name``; registering a name again replaces it."""

    def register(fn: TimelineSource) -> TimelineSource:
        _sources[name] = fn
        return fn

    return register


def timeline_sources() -> dict[str, TimelineSource]:
    return dict(_sources)


def person_timeline(*, person, scope: Scope, limit: int = 50) -> list[TimelineEntry]:
    """The newest ``limit`` entries about ``person`` from every source, as ``scope`` may see them."""
    if not scope.can_read_path(person.unit_path):
        return []
    streams = [
        sorted(islice(source(person, scope, limit), limit), key=lambda entry: entry.at, reverse=True)
        for source in _sources.values()
    ]
    return list(islice(merge(*streams, key=lambda entry: entry.at, reverse=True), limit))
