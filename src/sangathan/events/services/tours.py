"""Tours (प्रवास): a visiting leader, dates, units visited and the parts a tour of its kind must have.
A leader already on another tour on those dates is a clash: refused unless ``allow_clash``, then kept as
a warning. The tour's events are made with ``EventCreate(tour=…)``, which refuses the leader in two places
and a venue booked twice the same way."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from django.conf import settings
from django.utils.translation import gettext as _

from sangathan.access.services import audit_log
from sangathan.core.actions import Action
from sangathan.core.errors import DomainError, FieldErrors
from sangathan.events.enums import DEFAULT_TOUR_PARTS, EventKind, TourKind
from sangathan.events.models import Tour
from sangathan.events.policies import require_organize
from sangathan.org.models import Overlay, Unit
from sangathan.people.models import Person


def default_parts(kind: str) -> list[dict]:
    configured = getattr(settings, "SANGATHAN_TOUR_PARTS", {}) or {}
    return configured.get(kind) or configured.get("default") or DEFAULT_TOUR_PARTS


def parts_clean(parts: list[dict]) -> list[dict]:
    clean = []
    for part in parts:
        kinds = [k for k in part.get("kinds", []) if k in EventKind.values]
        count = int(part.get("count", 0))
        if not part.get("code") or not kinds or count < 1:
            raise DomainError(_("Each required part needs a name, kinds of events and a count."),
                              field="required_parts")
        clean.append({"code": str(part["code"]), "kinds": kinds, "count": count})
    return clean


def tour_clashes(*, leader_id: int, starts_on: date, ends_on: date, exclude_id=None) -> list[Tour]:
    return list(Tour.objects.filter(leader_id=leader_id, starts_on__lte=ends_on, ends_on__gte=starts_on)
                .exclude(pk=exclude_id))


@dataclass(kw_only=True)
class TourCreate(Action):
    kind: str
    title: str
    leader: Person
    unit: Unit
    starts_on: date
    ends_on: date
    overlay: Overlay | None = None
    units_visited: list = field(default_factory=list)
    required_parts: list | None = None
    allow_clash: bool = False

    def check(self) -> None:
        require_organize(self.scope, self.unit.path)
        errors = FieldErrors()
        if self.kind not in TourKind.values:
            errors.add("kind", _("Unknown kind of tour."))
        if not self.title.strip():
            errors.add("title", _("This field is required."), code="required")
        if self.starts_on is None or self.ends_on is None:
            errors.add("starts_on", _("This field is required."), code="required")
        elif self.ends_on < self.starts_on:
            errors.add("ends_on", _("The end must be after the start."), code="order")
        for unit in self.units_visited:
            if not unit.path.startswith(self.unit.path):
                errors.add("units_visited", _("Units visited must lie under the tour's unit."))
                break
        with errors.collect("required_parts"):
            self.parts = parts_clean(self.required_parts if self.required_parts is not None
                                     else default_parts(self.kind))
        errors.raise_if_any()
        self.warnings = tour_clashes(leader_id=self.leader.pk, starts_on=self.starts_on, ends_on=self.ends_on)
        if self.warnings and not self.allow_clash:
            raise DomainError(_("The leader is on another tour on these dates: %(title)s.")
                              % {"title": self.warnings[0].title}, code="clash", field="starts_on")

    def perform(self) -> Tour:
        tour = Tour.objects.create(kind=self.kind, title=self.title.strip(), leader=self.leader, unit=self.unit,
                                   unit_path=self.unit.path, overlay=self.overlay, starts_on=self.starts_on,
                                   ends_on=self.ends_on, required_parts=self.parts)
        tour.units_visited.set(self.units_visited)
        return tour

    def log(self, tour: Tour) -> None:
        audit_log(scope=self.scope, action="events.tour", target=tour, unit_path=tour.unit_path,
                  detail={"what": "create", "clashes": [t.pk for t in self.warnings]})


tour_create = TourCreate.run
