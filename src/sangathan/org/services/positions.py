"""Appointments: who holds which post where. Each change leaves a ``PositionHistory`` row."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from django.utils import timezone
from django.utils.translation import gettext as _

from sangathan.core.actions import Action
from sangathan.core.errors import DomainError
from sangathan.org.models import Overlay, Position, PositionHistory, Post, Unit, Wing
from sangathan.org.policies import require_write_at_place
from sangathan.org.signals import position_ended


@dataclass(kw_only=True)
class PositionAssign(Action):
    """Appoint ``person`` to ``post`` at ``unit`` (or ``overlay``) from ``start_date`` (today)."""

    person: object  # people.Person: org sits below people and names it only by string
    post: Post
    unit: Unit | None = None
    overlay: Overlay | None = None
    wing: Wing | None = None
    start_date: date | None = None
    note: str = ""

    name = "position.assign"

    def __post_init__(self):
        self.start_date = self.start_date or timezone.localdate()

    def check(self) -> None:
        if (self.unit is None) == (self.overlay is None):
            raise DomainError(_("Give exactly one of unit or overlay."), code="invalid", field="unit")
        require_write_at_place(self.scope, unit=self.unit, overlay=self.overlay)
        if Position.objects.current(on=self.start_date).filter(
                person=self.person, post=self.post, unit=self.unit, overlay=self.overlay, wing=self.wing).exists():
            raise DomainError(_("This person already holds this post here."), code="duplicate", field="post")

    def perform(self) -> Position:
        return Position.objects.create(person=self.person, post=self.post, unit=self.unit, overlay=self.overlay,
                                       wing=self.wing, unit_path=self.unit.path if self.unit else "",
                                       start_date=self.start_date)

    def log(self, position: Position) -> None:
        PositionHistory.objects.create(position=position, action=PositionHistory.Action.ASSIGNED,
                                       actor_id=self.scope.user_id, note=self.note[:300])


@dataclass(kw_only=True)
class PositionEnd(Action):
    """Relieve the holder on ``end_date`` (today); the row stays as appointment history."""

    position: Position
    end_date: date | None = None
    reason: str = ""

    name = "position.end"

    def __post_init__(self):
        self.end_date = self.end_date or timezone.localdate()

    def check(self) -> None:
        current = Position.objects.select_related("unit", "overlay").get(pk=self.position.pk)
        require_write_at_place(self.scope, unit=current.unit, overlay=current.overlay)
        if current.end_date is not None:
            raise DomainError(_("This position has already ended."), code="already_ended", field="end_date")
        if self.end_date < current.start_date:
            raise DomainError(_("The end date is before the start date."), code="invalid", field="end_date")

    def perform(self) -> Position:
        position = Position.objects.select_for_update().get(pk=self.position.pk)
        position.end_date = self.end_date
        position.end_reason = self.reason[:200]
        position.save(update_fields=["end_date", "end_reason", "updated_at"])
        return position

    def log(self, position: Position) -> None:
        PositionHistory.objects.create(position=position, action=PositionHistory.Action.ENDED,
                                       actor_id=self.scope.user_id, note=self.reason[:300])
        position_ended.send(sender=Position, scope=self.scope, position=position)


@dataclass(kw_only=True)
class PositionHandover(Action):
    """Hand a post over: relieve ``position``'s holder and appoint ``person`` to the same post, place and
    wing from ``on`` (today), in one transaction. Each half leaves its own history row."""

    position: Position
    person: object  # people.Person
    on: date | None = None
    reason: str = ""

    name = "position.handover"

    def __post_init__(self):
        self.on = self.on or timezone.localdate()

    def check(self) -> None:
        current = Position.objects.get(pk=self.position.pk)
        if current.person_id == getattr(self.person, "pk", None):
            raise DomainError(_("Choose someone other than the present holder."), code="invalid", field="person")
        PositionEnd(scope=self.scope, position=current, end_date=self.on, reason=self.reason).check()

    def perform(self) -> Position:
        ended = PositionEnd(scope=self.scope, position=self.position, end_date=self.on, reason=self.reason).execute()
        return PositionAssign(scope=self.scope, person=self.person, post=ended.post, unit=ended.unit,
                              overlay=ended.overlay, wing=ended.wing, start_date=self.on,
                              note=self.reason).execute()

    def log(self, position: Position) -> None:
        """Both halves wrote their ``PositionHistory`` rows (ENDED, then ASSIGNED) in this transaction."""


position_assign = PositionAssign.run
position_end = PositionEnd.run
position_handover = PositionHandover.run
