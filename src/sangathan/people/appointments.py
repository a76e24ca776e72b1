"""Appointing, relieving and handing over posts from the office's pages: the org actions
(``position_assign``, ``position_end``, ``position_handover``) behind the people app's post rule (only a
unit above appoints, ``policies.require_appoint_at``). The org actions write the ``PositionHistory`` rows;
relieving the last post of a person with a login ends the login (``access.receivers``)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from django.utils.translation import gettext as _

from sangathan.core.actions import Action
from sangathan.core.errors import DomainError, NotFound, PermissionDenied
from sangathan.org.models import Overlay, Position, Post, Unit, Wing
from sangathan.org.policies import is_state_admin
from sangathan.org.services import PositionAssign, PositionEnd, PositionHandover
from sangathan.people.policies import require_appoint_at, unit_posts
from sangathan.people.selectors import person_list

REASON_MAX_LENGTH = 200


def _require_place(scope, *, unit: Unit | None, overlay: Overlay | None, post: Post) -> None:
    if unit is not None:
        require_appoint_at(scope, unit.path, post.code)
    elif not is_state_admin(scope):
        raise PermissionDenied(_("Only the state office appoints at a Lok Sabha seat or a cluster."), field="overlay")


def _require_person(scope, person) -> None:
    current = type(person).objects.filter(pk=person.pk).values("unit_path", "status").first()
    if current is None:
        raise NotFound(_("No such person."))
    scope.require(current["unit_path"], write=False, message=_("No such person."))
    if current["status"] != "active":
        raise DomainError(_("Only an active worker can be appointed."), code="inactive", field="person")


@dataclass(kw_only=True)
class Appoint(Action):
    """Appoint ``person`` to ``post`` at ``unit`` (or ``overlay``), optionally in ``wing``, from
    ``start_date``."""

    person: object
    post: Post
    unit: Unit | None = None
    overlay: Overlay | None = None
    wing: Wing | None = None
    start_date: date | None = None
    note: str = ""

    name = "appointment.make"

    def _inner(self) -> PositionAssign:
        return PositionAssign(scope=self.scope, person=self.person, post=self.post, unit=self.unit,
                              overlay=self.overlay, wing=self.wing, start_date=self.start_date, note=self.note)

    def check(self) -> None:
        _require_person(self.scope, self.person)
        if self.unit is not None or self.overlay is not None:
            _require_place(self.scope, unit=self.unit, overlay=self.overlay, post=self.post)
        self._inner().check()

    def perform(self) -> Position:
        return self._inner().execute()

    def log(self, position: Position) -> None:
        """``PositionAssign`` wrote the ASSIGNED history row in this transaction."""


@dataclass(kw_only=True)
class Relieve(Action):
    """Relieve ``position``'s holder on ``end_date`` with a ``reason`` (kept in the history)."""

    position: Position
    end_date: date | None = None
    reason: str = ""

    name = "appointment.relieve"

    def check(self) -> None:
        current = Position.objects.select_related("unit", "overlay", "post").get(pk=self.position.pk)
        _require_place(self.scope, unit=current.unit, overlay=current.overlay, post=current.post)
        if not self.reason.strip():
            raise DomainError(_("Say why the holder is relieved."), code="required", field="reason")
        if len(self.reason) > REASON_MAX_LENGTH:
            raise DomainError(_("Keep the reason under 200 characters."), code="too_long", field="reason")
        PositionEnd(scope=self.scope, position=current, end_date=self.end_date, reason=self.reason).check()

    def perform(self) -> Position:
        return PositionEnd(scope=self.scope, position=self.position, end_date=self.end_date,
                           reason=self.reason.strip()).execute()

    def log(self, position: Position) -> None:
        """``PositionEnd`` wrote the ENDED history row in this transaction."""


@dataclass(kw_only=True)
class Handover(Action):
    """End ``position`` and appoint ``person`` to the same post and place from ``on``, in one action."""

    position: Position
    person: object
    on: date | None = None
    reason: str = ""

    name = "appointment.handover"

    def check(self) -> None:
        current = Position.objects.select_related("unit", "overlay", "post").get(pk=self.position.pk)
        _require_place(self.scope, unit=current.unit, overlay=current.overlay, post=current.post)
        _require_person(self.scope, self.person)
        if len(self.reason) > REASON_MAX_LENGTH:
            raise DomainError(_("Keep the reason under 200 characters."), code="too_long", field="reason")
        PositionHandover(scope=self.scope, position=current, person=self.person, on=self.on,
                         reason=self.reason).check()

    def perform(self) -> Position:
        return PositionHandover(scope=self.scope, position=self.position, person=self.person, on=self.on,
                                reason=self.reason.strip()).execute()

    def log(self, position: Position) -> None:
        """``PositionHandover`` wrote the ENDED and ASSIGNED history rows in this transaction."""


appointment_make = Appoint.run
appointment_relieve = Relieve.run
appointment_handover = Handover.run


@dataclass
class PostSlot:
    """One post a unit should have filled: its holders now (none: vacant)."""

    unit: Unit
    post: Post
    holders: list[Position]

    @property
    def vacant(self) -> bool:
        return not self.holders


def unit_post_slots(unit: Unit) -> tuple[list[PostSlot], list[Position]]:
    """The unit's required posts (per ``unit_posts()``) with their current holders, and its other current
    positions (wings, further posts)."""
    current = list(Position.objects.current().filter(unit=unit)
                   .select_related("person", "post", "wing").order_by("post__rank", "start_date"))
    codes = unit_posts().get(unit.level, [])
    posts = {post.code: post for post in Post.objects.filter(code__in=codes)}
    slots = [PostSlot(unit, posts[code], [p for p in current if p.post.code == code and p.wing_id is None])
             for code in codes if code in posts]
    shown = {p.pk for slot in slots for p in slot.holders}
    return slots, [p for p in current if p.pk not in shown]


def vacancies(scope, unit: Unit):
    """(unit, post) pairs under ``unit`` (itself included) that the rules want filled and nobody holds,
    within the reader's scope, in tree order. A generator: the CSV export streams it."""
    rules = unit_posts()
    posts = {post.code: post for post in Post.objects.filter(code__in={c for cs in rules.values() for c in cs})}
    held = set(Position.objects.current().filter(unit_path__startswith=unit.path, wing__isnull=True)
               .values_list("unit_id", "post__code"))
    units = scope.filter(Unit.objects.filter(path__startswith=unit.path, level__in=list(rules), is_active=True),
                         "path").order_by("path").only("id", "path", "level", "name_hi", "name_en", "code")
    for each in units.iterator(chunk_size=2000):
        for code in rules.get(each.level, []):
            if code in posts and (each.pk, code) not in held:
                yield each, posts[code]


def vacancy_header() -> list[str]:
    return [_("Unit code"), _("Unit"), _("Level"), _("Post")]


def vacancy_row(unit: Unit, post: Post) -> list[str]:
    return [unit.code, unit.name, unit.level, str(post.label)]


def people_for_choice(scope, q: str):
    """Active people a picker may offer: by mobile, membership number or name, within the scope."""
    return person_list(scope=scope, q=q, status="active")[:20]
