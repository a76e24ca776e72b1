"""What a user may see and do, where. The one place scope is computed and applied (DESIGN invariant 2).

A current position at unit U grants U's subtree; at a Lok Sabha overlay, the subtrees of its assemblies;
at a cluster, those of all its Lok Sabha seats' assemblies. The post's ``grant`` decides read or write.
Explicit ``ScopeGrant`` rows add subtrees for staff. Superusers see every root. Anything else: nothing.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.db.models import Q, QuerySet
from django.utils import timezone

from sangathan.core.tree import collapse_paths, subtrees_q
from sangathan.org.enums import Grant, OverlayKind
from sangathan.org.models import Overlay, Position, Unit


@dataclass(frozen=True)
class ScopeRoot:
    unit_id: int
    path: str
    grant: str  # Grant.READ or Grant.WRITE


@dataclass(frozen=True)
class Scope:
    roots: tuple[ScopeRoot, ...] = ()
    user_id: int | None = None
    _read: tuple[str, ...] = field(default=(), repr=False)
    _write: tuple[str, ...] = field(default=(), repr=False)

    @classmethod
    def build(cls, roots: list[ScopeRoot], user_id: int | None = None) -> Scope:
        read = collapse_paths(root.path for root in roots)
        write = collapse_paths(root.path for root in roots if root.grant == Grant.WRITE)
        kept = tuple(sorted((r for r in roots if r.path in read or r.path in write), key=lambda r: r.path))
        return cls(roots=kept, user_id=user_id, _read=tuple(read), _write=tuple(write))

    @classmethod
    def empty(cls) -> Scope:
        return cls()

    @property
    def is_empty(self) -> bool:
        return not self._read

    @property
    def read_paths(self) -> tuple[str, ...]:
        return self._read

    @property
    def write_paths(self) -> tuple[str, ...]:
        return self._write

    @property
    def unit_ids(self) -> list[int]:
        """Ids of the units whose subtrees make up the readable scope."""
        return sorted({root.unit_id for root in self.roots if root.path in self._read})

    def can_read_path(self, path: str) -> bool:
        return any(path.startswith(root) for root in self._read)

    def can_write_path(self, path: str) -> bool:
        return any(path.startswith(root) for root in self._write)

    def q(self, path_field: str = "unit_path", *, for_write: bool = False) -> Q:
        return subtrees_q(path_field, self._write if for_write else self._read)

    def filter(self, queryset: QuerySet, path_field: str = "unit_path", *, for_write: bool = False) -> QuerySet:
        """The queryset limited to this scope; with no roots, an empty queryset (deny by default)."""
        paths = self._write if for_write else self._read
        if not paths:
            return queryset.none()
        return queryset.filter(subtrees_q(path_field, paths))


def _overlay_assembly_paths(overlay_ids: set[int]) -> dict[int, list[tuple[int, str]]]:
    """For each overlay, (unit id, path) of the units it covers; clusters through their Lok Sabha seats."""
    covered: dict[int, list[tuple[int, str]]] = {oid: [] for oid in overlay_ids}
    if not overlay_ids:
        return covered
    direct = Overlay.units.through.objects.filter(overlay_id__in=overlay_ids).values_list(
        "overlay_id", "unit_id", "unit__path"
    )
    for overlay_id, unit_id, path in direct:
        covered[overlay_id].append((unit_id, path))
    nested = Overlay.members.through.objects.filter(from_overlay_id__in=overlay_ids).values_list(
        "from_overlay_id", "to_overlay_id"
    )
    children: dict[int, list[int]] = {}
    for parent_id, child_id in nested:
        children.setdefault(parent_id, []).append(child_id)
    if children:
        child_ids = {cid for ids in children.values() for cid in ids}
        child_units = Overlay.units.through.objects.filter(overlay_id__in=child_ids).values_list(
            "overlay_id", "unit_id", "unit__path"
        )
        by_child: dict[int, list[tuple[int, str]]] = {}
        for child_id, unit_id, path in child_units:
            by_child.setdefault(child_id, []).append((unit_id, path))
        for parent_id, ids in children.items():
            for child_id in ids:
                covered[parent_id].extend(by_child.get(child_id, []))
    return covered


def scope_for_user(user) -> Scope:
    """Compute a user's scope from their current positions and grants (three queries at most)."""
    if user is None or not getattr(user, "is_authenticated", False) or not user.is_active:
        return Scope.empty()
    if user.is_superuser:
        # Roots by parent IS NULL: the foreign-key index finds them without scanning every unit.
        roots = Unit.objects.filter(parent__isnull=True).values_list("id", "path")
        return Scope.build([ScopeRoot(uid, path, Grant.WRITE) for uid, path in roots], user.pk)

    # (unit id, unit path, overlay id, grant) rows from the current positions and the unexpired grants.
    rows = []
    if user.person_id:
        rows += Position.objects.current().filter(person_id=user.person_id).exclude(
            post__grant=Grant.NONE).values_list("unit_id", "unit__path", "overlay_id", "post__grant")
    rows += user.scope_grants.filter(Q(expires_at__isnull=True) | Q(expires_at__gt=timezone.now())).exclude(
        grant=Grant.NONE).values_list("unit_id", "unit__path", "overlay_id", "grant")

    roots: list[ScopeRoot] = []
    overlay_grants: dict[int, str] = {}
    for unit_id, path, overlay_id, grant in rows:
        if unit_id:
            roots.append(ScopeRoot(unit_id, path, grant))
        else:
            overlay_grants[overlay_id] = _stronger(overlay_grants.get(overlay_id), grant)

    for overlay_id, units in _overlay_assembly_paths(set(overlay_grants)).items():
        roots.extend(ScopeRoot(unit_id, path, overlay_grants[overlay_id]) for unit_id, path in units)
    # A write grant on a path beats a read grant on the same path.
    best: dict[str, ScopeRoot] = {}
    for root in roots:
        if root.path not in best or root.grant == Grant.WRITE:
            best[root.path] = root
    return Scope.build(list(best.values()), user.pk)


def _stronger(current: str | None, new: str) -> str:
    return Grant.WRITE if Grant.WRITE in (current, new) else Grant.READ


def scope_for_request(request) -> Scope:
    """The request user's scope, computed once per request."""
    scope = getattr(request, "_sangathan_scope", None)
    if scope is None or scope.user_id != getattr(request.user, "pk", None):
        scope = scope_for_user(request.user)
        request._sangathan_scope = scope
    return scope


__all__ = ["Scope", "ScopeRoot", "scope_for_user", "scope_for_request", "OverlayKind"]
