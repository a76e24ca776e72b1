"""Reads of the org app. Every function that returns units takes the reader's ``Scope``."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from django.db.models import Q

from sangathan.core.errors import NotFound
from sangathan.core.reference import ReferenceRows
from sangathan.core.tree import ancestor_paths
from sangathan.org.models import Level, Position, Unit

if TYPE_CHECKING:  # the scope is computed in access, which sits below org
    from sangathan.access.scope import Scope


def unit_get_for_actor(unit_id, scope: Scope) -> Unit:
    """The unit if it lies inside the scope, else NotFound (no difference between absent and hidden)."""
    try:
        unit = Unit.objects.get(pk=int(unit_id))
    except (Unit.DoesNotExist, TypeError, ValueError):
        raise NotFound("No such unit.") from None
    if not scope.can_read_path(unit.path):
        raise NotFound("No such unit.")
    return unit


def unit_get_by_code(code: str, scope: Scope) -> Unit:
    unit = Unit.objects.filter(code=code).first()
    if unit is None or not scope.can_read_path(unit.path):
        raise NotFound("No such unit.")
    return unit


def units_visible(scope: Scope):
    return scope.filter(Unit.objects.all(), "path")


def units_search(scope: Scope, *, level: str = "", q: str = ""):
    """Units inside the scope, optionally of one level and matching ``q`` (start of the code, or part of a
    name in either language), in tree order."""
    units = units_visible(scope)
    if level:
        units = units.filter(level=level)
    q = (q or "").strip()
    if q:
        units = units.filter(Q(code__istartswith=q) | Q(name_hi__icontains=q) | Q(name_en__icontains=q))
    return units.order_by("path")


def scope_root_units(scope: Scope) -> list[Unit]:
    """The top units of the reader's scope: where their home page starts."""
    return list(Unit.objects.filter(path__in=scope.read_paths).order_by("path"))


@dataclass
class Crumb:
    unit: Unit
    visible: bool


def unit_breadcrumbs(unit: Unit, scope: Scope) -> list[Crumb]:
    """Ancestors root first; those outside the scope are named but not linked."""
    paths = ancestor_paths(unit.path)
    ancestors = {u.path: u for u in Unit.objects.filter(path__in=paths)}
    return [Crumb(ancestors[p], scope.can_read_path(p)) for p in paths if p in ancestors]


# What the unit page shows of an office-bearer (dashboard/unit_detail.html): the whole person, post and wing
# rows cost more to read and build than the rest of the section.
OFFICE_BEARER_ROW = ("post__name_hi", "post__name_en", "wing__name_hi", "wing__name_en", "person__name",
                     "person__mobile", "person__unit_path")


def unit_office_bearers(unit: Unit, *, only: tuple[str, ...] = ()) -> list[Position]:
    """Current office-bearers of the unit, most senior first; with ``only``, just those fields of them (and
    their keys)."""
    positions = (Position.objects.current().filter(unit=unit).select_related("person", "post", "wing")
                 .order_by("post__rank", "wing__code", "start_date"))
    return list(positions.only(*only) if only else positions)


def _levels() -> dict[str, Level]:
    return {level.code: level for level in Level.objects.all()}


LEVELS = ReferenceRows(_levels)


def level_labels(token: int | None = None) -> dict[str, Level]:
    """The levels by code; with the current ``core.reference`` token (``stamp_counts``), the process's copy
    while no level changed (no query), else read now. Shared rows: read them, never change them."""
    return LEVELS.get(token)


def person_positions(person, *, current_only: bool = False):
    positions = Position.objects.filter(person=person).select_related("post", "unit", "overlay", "wing")
    if current_only:
        positions = positions.current()
    return positions.order_by("-start_date")




def overlay_unit_paths(*, units=(), members=()) -> list[str]:
    """Paths of the units an overlay covers: its own ``units`` and those of its ``members`` (a cluster's
    Lok Sabha seats). What writing at an overlay needs write access to."""
    paths = {unit.path for unit in units}
    member_ids = [member.pk for member in members]
    if member_ids:
        paths.update(Unit.objects.filter(overlays__in=member_ids).values_list("path", flat=True))
    return sorted(paths)


def overlay_paths(overlay) -> list[str]:
    """``overlay_unit_paths`` of a saved overlay."""
    return overlay_unit_paths(units=overlay.units.all(), members=overlay.members.all())
