"""Group viewings: an address watched together at several places. Each place (``ViewingLocation``) has a
host and its own signed code (``codes.location_code``), so attendance is marked per place by its host or
by the attendee with that place's code (``attendance``), not only by the organizer."""

from __future__ import annotations

from dataclasses import dataclass

from django.utils.translation import gettext as _

from sangathan.core.actions import Action
from sangathan.core.errors import DomainError, FieldErrors
from sangathan.events.enums import EventKind, EventStatus
from sangathan.events.models import Event, ViewingLocation
from sangathan.events.policies import require_organize
from sangathan.events.services.common import history
from sangathan.people.models import Person

VIEWED = (EventKind.LIVE, EventKind.VIEWING)


@dataclass(kw_only=True)
class LocationAdd(Action):
    """A place of a group viewing (or of a live address watched together) with its host."""

    event: Event
    place: str
    host: Person

    name = "event.location"

    def check(self) -> None:
        require_organize(self.scope, self.event.unit_path)
        errors = FieldErrors()
        if self.event.kind not in VIEWED:
            errors.add("event", _("Only a group viewing or a live address has viewing places."), code="kind")
        if self.event.status != EventStatus.PLANNED:
            errors.add("event", _("This event is over."), code="closed")
        if not (self.place or "").strip():
            errors.add("name", _("This field is required."), code="required")
        if not self.scope.can_read_path(self.host.unit_path):
            errors.add("host", _("Not found."), code="not_found")
        errors.raise_if_any()
        if ViewingLocation.objects.filter(event=self.event, name=self.place.strip()).exists():
            raise DomainError(_("This place is already on the list."), code="duplicate", field="name")

    def perform(self) -> ViewingLocation:
        return ViewingLocation.objects.create(event=self.event, name=self.place.strip(), host=self.host,
                                              unit_path=self.host.unit_path)

    def log(self, location: ViewingLocation) -> None:
        history(scope=self.scope, event=self.event, action="location", location=location.pk, host=self.host.pk)


location_add = LocationAdd.run
