"""Writes of the org app: the vocabulary, units, overlays and positions.

Every function validates, writes inside a transaction and records history; callers never ``save()``.
"""

from datetime import date

from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from sangathan.core.errors import DomainError, PermissionDenied, check_length
from sangathan.core.tree import child_path, encode_segment
from sangathan.org.enums import DEFAULT_LEVELS, DEFAULT_POSTS, DEFAULT_WINGS, OverlayKind
from sangathan.org.models import Level, Overlay, Position, PositionHistory, Post, Unit, Wing


@transaction.atomic
def org_seed_defaults() -> None:
    """Load the default levels, posts and wings (idempotent: existing rows keep their edited labels)."""
    for rank, (code, hi, en) in enumerate(DEFAULT_LEVELS, start=1):
        Level.objects.get_or_create(code=code, defaults={"name_hi": hi, "name_en": en, "rank": rank})
    for code, hi, en, grant, rank in DEFAULT_POSTS:
        Post.objects.get_or_create(code=code, defaults={"name_hi": hi, "name_en": en, "grant": grant, "rank": rank})
    for code, hi, en, kind in DEFAULT_WINGS:
        Wing.objects.get_or_create(code=code, defaults={"name_hi": hi, "name_en": en, "kind": kind})


def _check_level(parent: Unit | None, level: str) -> None:
    levels = dict(Level.objects.values_list("code", "rank"))
    if level not in levels:
        raise DomainError(_("Unknown level."), code="invalid_level", field="level")
    if parent is not None and levels.get(parent.level, 0) >= levels[level]:
        raise DomainError(_("A unit must be at a lower level than its parent."), code="invalid_level", field="level")


@transaction.atomic
def unit_create(*, actor=None, scope=None, parent: Unit | None, level: str, code: str, name_hi: str,
                name_en: str = "") -> Unit:
    """Add a unit under ``parent`` (or a new root). Locks the parent to allot the next path segment."""
    code = (code or "").strip()
    if not code:
        raise DomainError(_("A unit needs a code."), code="required", field="code")
    check_length(code, field="code", max_length=40)
    check_length(name_hi, field="name_hi", max_length=200)
    check_length(name_en, field="name_en", max_length=200)
    if not (name_hi or "").strip():
        raise DomainError(_("A unit needs a name."), code="required", field="name_hi")
    if Unit.objects.filter(code=code).exists():
        raise DomainError(_("A unit with this code exists."), code="duplicate", field="code")
    _check_level(parent, level)
    if parent is None:
        roots = Unit.objects.select_for_update().filter(parent__isnull=True).count()
        path = encode_segment(roots + 1)
    else:
        if scope is not None and not scope.can_write_path(parent.path):
            raise PermissionDenied(_("You may not add units here."))
        Unit.objects.filter(pk=parent.pk).update(child_counter=F("child_counter") + 1)
        counter = Unit.objects.select_for_update().values_list("child_counter", flat=True).get(pk=parent.pk)
        path = child_path(parent.path, counter)
    return Unit.objects.create(parent=parent, path=path, level=level, code=code, name_hi=name_hi.strip(),
                               name_en=(name_en or "").strip())


@transaction.atomic
def overlay_create(*, kind: str, code: str, name_hi: str, name_en: str = "", units=(), members=()) -> Overlay:
    if kind not in OverlayKind.values:
        raise DomainError(_("Unknown overlay kind."), code="invalid", field="kind")
    if kind == OverlayKind.LOK_SABHA and any(u.level != "assembly" for u in units):
        raise DomainError(_("A Lok Sabha seat is made of assemblies."), code="invalid", field="units")
    if kind == OverlayKind.CLUSTER and any(m.kind != OverlayKind.LOK_SABHA for m in members):
        raise DomainError(_("A cluster is made of Lok Sabha seats."), code="invalid", field="members")
    overlay = Overlay.objects.create(kind=kind, code=code, name_hi=name_hi, name_en=name_en)
    if units:
        overlay.units.set(units)
    if members:
        overlay.members.set(members)
    return overlay


@transaction.atomic
def position_assign(*, actor=None, scope=None, person, post: Post, unit: Unit | None = None,
                    overlay: Overlay | None = None, wing: Wing | None = None, start_date: date | None = None,
                    note: str = "") -> Position:
    """Appoint ``person`` to ``post`` at ``unit`` (or ``overlay``); recorded in the position's history."""
    if (unit is None) == (overlay is None):
        raise DomainError(_("Give exactly one of unit or overlay."), code="invalid", field="unit")
    if scope is not None:
        allowed = scope.can_write_path(unit.path) if unit else all(
            scope.can_write_path(path) for path in overlay.units.values_list("path", flat=True)
        )
        if not allowed:
            raise PermissionDenied(_("You may not appoint office-bearers here."))
    start = start_date or timezone.localdate()
    if Position.objects.current(on=start).filter(person=person, post=post, unit=unit, overlay=overlay,
                                                 wing=wing).exists():
        raise DomainError(_("This person already holds this post here."), code="duplicate", field="post")
    position = Position.objects.create(person=person, post=post, unit=unit, overlay=overlay, wing=wing,
                                       unit_path=unit.path if unit else "", start_date=start)
    PositionHistory.objects.create(position=position, action=PositionHistory.Action.ASSIGNED,
                                   actor=actor if getattr(actor, "is_authenticated", False) else None,
                                   note=note[:300])
    return position


@transaction.atomic
def position_end(*, actor=None, scope=None, position: Position, end_date: date | None = None,
                 reason: str = "") -> Position:
    """Relieve the holder; the row stays as appointment history."""
    position = Position.objects.select_for_update().get(pk=position.pk)
    if scope is not None and position.unit and not scope.can_write_path(position.unit_path):
        raise PermissionDenied(_("You may not relieve office-bearers here."))
    if position.end_date is not None:
        raise DomainError(_("This position has already ended."), code="already_ended", field="end_date")
    end = end_date or timezone.localdate()
    if end < position.start_date:
        raise DomainError(_("The end date is before the start date."), code="invalid", field="end_date")
    position.end_date = end
    position.end_reason = reason[:200]
    position.save(update_fields=["end_date", "end_reason", "updated_at"])
    PositionHistory.objects.create(position=position, action=PositionHistory.Action.ENDED,
                                   actor=actor if getattr(actor, "is_authenticated", False) else None,
                                   note=reason[:300])
    return position
