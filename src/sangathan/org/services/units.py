"""Writes of the tree: units and overlays. Each leaves an ``OrgChange`` row."""

from __future__ import annotations

from dataclasses import dataclass, field

from django.db import connection
from django.db.models import F
from django.utils.translation import gettext as _

from sangathan.core.actions import Action
from sangathan.core.errors import DomainError, PermissionDenied, check_length
from sangathan.core.tree import SEGMENT, UPPER_SENTINEL, ancestor_paths, child_path, encode_segment
from sangathan.org.enums import OverlayKind
from sangathan.org.models import Level, OrgChange, Overlay, Unit
from sangathan.org.policies import require_state_admin, require_write_all
from sangathan.org.selectors import overlay_unit_paths
from sangathan.org.services.history import org_change_record, snapshot

UNIT_FIELDS = ("parent", "path", "level", "code", "name_hi", "name_en")
BOOTH = "booth"


def _check_level(parent: Unit | None, level: str) -> None:
    levels = dict(Level.objects.values_list("code", "rank"))
    if level not in levels:
        raise DomainError(_("Unknown level."), code="invalid_level", field="level")
    if parent is not None and levels.get(parent.level, 0) >= levels[level]:
        raise DomainError(_("A unit must be at a lower level than its parent."), code="invalid_level", field="level")


@dataclass(kw_only=True)
class UnitCreate(Action):
    """Add a unit under ``parent`` (write access there), or a new root (a superuser or the system).
    Locks the parent to allot the next path segment."""

    parent: Unit | None
    level: str
    code: str
    name_hi: str
    name_en: str = ""

    name = "unit.create"

    def __post_init__(self):
        self.code = (self.code or "").strip()
        self.name_hi = (self.name_hi or "").strip()
        self.name_en = (self.name_en or "").strip()

    def check(self) -> None:
        if self.parent is None:
            if not (self.scope.is_superuser or self.scope.is_system):
                raise PermissionDenied(_("Only a superuser may add a new state."))
        else:
            self.scope.require(self.parent.path, write=True)
        if not self.code:
            raise DomainError(_("A unit needs a code."), code="required", field="code")
        check_length(self.code, field="code", max_length=40)
        check_length(self.name_hi, field="name_hi", max_length=200)
        check_length(self.name_en, field="name_en", max_length=200)
        if not self.name_hi:
            raise DomainError(_("A unit needs a name."), code="required", field="name_hi")
        if Unit.objects.filter(code=self.code).exists():
            raise DomainError(_("A unit with this code exists."), code="duplicate", field="code")
        _check_level(self.parent, self.level)

    def perform(self) -> Unit:
        if self.parent is None:
            roots = Unit.objects.select_for_update().filter(parent__isnull=True).count()
            path = encode_segment(roots + 1)
        else:
            Unit.objects.filter(pk=self.parent.pk).update(child_counter=F("child_counter") + 1)
            counter = Unit.objects.select_for_update().values_list("child_counter", flat=True).get(pk=self.parent.pk)
            path = child_path(self.parent.path, counter)
        booth = self.level == BOOTH
        if booth:  # every ancestor has one more booth below it
            Unit.objects.filter(path__in=ancestor_paths(path)).update(booth_count=F("booth_count") + 1)
        return Unit.objects.create(parent=self.parent, path=path, level=self.level, code=self.code,
                                   name_hi=self.name_hi, name_en=self.name_en, booth_count=int(booth))

    def log(self, unit: Unit) -> None:
        org_change_record(scope=self.scope, target=unit, action=OrgChange.Action.CREATED,
                          after=snapshot(unit, UNIT_FIELDS))


@dataclass(kw_only=True)
class OverlayCreate(Action):
    """Add a Lok Sabha seat (``units``: assemblies) or a cluster (``members``: Lok Sabha seats). It spans
    the tree, so the actor needs write access at every unit it covers (a state administrator when it
    covers none yet)."""

    kind: str
    code: str
    name_hi: str
    name_en: str = ""
    units: list[Unit] = field(default_factory=list)
    members: list[Overlay] = field(default_factory=list)

    name = "overlay.create"

    def __post_init__(self):
        self.units, self.members = list(self.units or ()), list(self.members or ())
        self.code = (self.code or "").strip()

    def check(self) -> None:
        paths = overlay_unit_paths(units=self.units, members=self.members)
        if paths:
            require_write_all(self.scope, paths)
        else:
            require_state_admin(self.scope)
        if self.kind not in OverlayKind.values:
            raise DomainError(_("Unknown overlay kind."), code="invalid", field="kind")
        if not self.code:
            raise DomainError(_("An overlay needs a code."), code="required", field="code")
        check_length(self.code, field="code", max_length=40)
        if Overlay.objects.filter(code=self.code).exists():
            raise DomainError(_("An overlay with this code exists."), code="duplicate", field="code")
        if not (self.name_hi or "").strip():
            raise DomainError(_("An overlay needs a name."), code="required", field="name_hi")
        if self.kind == OverlayKind.LOK_SABHA and any(u.level != "assembly" for u in self.units):
            raise DomainError(_("A Lok Sabha seat is made of assemblies."), code="invalid", field="units")
        if self.kind == OverlayKind.CLUSTER and any(m.kind != OverlayKind.LOK_SABHA for m in self.members):
            raise DomainError(_("A cluster is made of Lok Sabha seats."), code="invalid", field="members")

    def perform(self) -> Overlay:
        overlay = Overlay.objects.create(kind=self.kind, code=self.code, name_hi=self.name_hi.strip(),
                                         name_en=(self.name_en or "").strip())
        if self.units:
            overlay.units.set(self.units)
        if self.members:
            overlay.members.set(self.members)
        return overlay

    def log(self, overlay: Overlay) -> None:
        after = {**snapshot(overlay, ("kind", "code", "name_hi", "name_en")),
                 "units": sorted(u.pk for u in self.units), "members": sorted(m.pk for m in self.members)}
        org_change_record(scope=self.scope, target=overlay, action=OrgChange.Action.CREATED, after=after)


unit_create = UnitCreate.run
overlay_create = OverlayCreate.run


def unit_booths_recount(*, scope) -> int:
    """Set every unit's ``booth_count`` from the tree; returns the units changed. For writers that load
    units in bulk (the demo) and the periodic headcount: two set-based statements, each booth's path cut
    at every depth and grouped, only rows whose count differs written."""
    if not scope.writes_all:
        raise PermissionDenied()
    table = connection.ops.quote_name(Unit._meta.db_table)
    lengths = ", ".join(f"({length})" for length in range(SEGMENT, Unit._meta.get_field("path").max_length + 1,
                                                           SEGMENT))
    counts = (f"WITH cut(n) AS (VALUES {lengths}), "  # noqa: S608
              f"c AS (SELECT substr(b.path, 1, cut.n) AS prefix, COUNT(*) AS booths FROM {table} b "
              f"JOIN cut ON cut.n <= length(b.path) WHERE b.level = %s GROUP BY 1) ")
    with connection.cursor() as cursor:
        cursor.execute(f"{counts} UPDATE {table} SET booth_count = c.booths FROM c "  # noqa: S608
                       f"WHERE {table}.path = c.prefix AND {table}.booth_count <> c.booths", [BOOTH])
        changed = _changed(cursor)
        # A unit with no booth left below it (a range probe of the (level, path) index per such unit).
        cursor.execute(f"UPDATE {table} SET booth_count = 0 WHERE booth_count <> 0 AND level <> %s "  # noqa: S608
                       f"AND NOT EXISTS (SELECT 1 FROM {table} b WHERE b.level = %s AND b.path >= {table}.path "
                       f"AND b.path < {table}.path || %s)", [BOOTH, BOOTH, UPPER_SENTINEL])
        return changed + _changed(cursor)


def _changed(cursor) -> int:
    """Rows the last statement changed (SQLite's driver does not tell it for a statement opening with WITH)."""
    if cursor.rowcount >= 0:
        return cursor.rowcount
    cursor.execute("SELECT changes()")
    return cursor.fetchone()[0]
