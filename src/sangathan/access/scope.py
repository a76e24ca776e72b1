"""What a user may see and do, where. The one place scope is computed and applied (DESIGN invariant 2).

A current position at unit U grants U's subtree; at a Lok Sabha overlay, the subtrees of its assemblies;
at a cluster, those of all its Lok Sabha seats' assemblies. The post's ``grant`` decides read or write.
Explicit ``ScopeGrant`` rows add subtrees for staff. Superusers see every root. Anything else: nothing.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from typing import Any

from django.db.models import Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from sangathan.core.errors import NotFound, PermissionDenied
from sangathan.core.ratelimit import client_ip  # re-exported: the one client address
from sangathan.core.tree import collapse_paths, subtrees_q
from sangathan.org.enums import Grant, OverlayKind
from sangathan.org.models import POSITIONS_MEMO, Overlay, Position, Unit


@dataclass(frozen=True)
class ScopeRoot:
    unit_id: int
    path: str
    grant: str  # Grant.READ or Grant.WRITE
    # Where the root comes from: "position", "overlay" (a position or grant at a Lok Sabha / cluster),
    # "grant" (a ScopeGrant), "superuser". App policies narrow by it (the Sahyog Cell does).
    source: str = "position"
    level: str = ""  # the root unit's level code


@dataclass(frozen=True)
class Role:
    """One current position of the actor, whatever its post grants: what app policies read to narrow a
    Scope (a Sahyog Cell convener, a district's office-bearer) without a query of their own."""

    unit_id: int | None
    overlay_id: int | None
    path: str  # the unit's path; "" for a position at an overlay
    level: str  # the unit's level code; "" for an overlay
    post: str
    wing: str
    grant: str


@dataclass(frozen=True)
class AuditContext:
    """Where an action came from, copied into audit rows: channel web, api, cli or task."""

    channel: str = ""
    ip: str | None = None
    user_agent: str = ""


@dataclass(frozen=True)
class Scope:
    """Who acts (``actor``), what they may read and write (subtrees), and the facts app policies narrow by.

    ``Scope.system()`` is the system itself (jobs, commands, demo data): every subtree, no actor. App rules
    never compute a second reach beside this one; they call ``narrow`` with paths and flags derived from
    ``roots`` and ``roles`` (see ``grievances.policies.grievance_scope``).
    """

    roots: tuple[ScopeRoot, ...] = ()
    user_id: int | None = None
    person_id: int | None = None
    is_superuser: bool = False
    is_system: bool = False
    roles: tuple[Role, ...] = ()
    flags: frozenset[str] = frozenset()
    context: AuditContext = AuditContext()
    user: Any = field(default=None, compare=False, repr=False)
    _read: tuple[str, ...] = field(default=(), repr=False)
    _write: tuple[str, ...] = field(default=(), repr=False)
    _memo: dict = field(default_factory=dict, compare=False, repr=False, hash=False)

    @classmethod
    def build(cls, roots: list[ScopeRoot], user_id: int | None = None, **facts) -> Scope:
        read = collapse_paths(root.path for root in roots)
        write = collapse_paths(root.path for root in roots if root.grant == Grant.WRITE)
        kept = tuple(sorted((r for r in roots if r.path in read or r.path in write), key=lambda r: r.path))
        return cls(roots=kept, user_id=user_id, _read=tuple(read), _write=tuple(write), **facts)

    @classmethod
    def empty(cls) -> Scope:
        return cls()

    @classmethod
    def system(cls, *, channel: str = "task") -> Scope:
        """The system acting on its own (a periodic job, a command, the demo): every root, written."""
        roots = Unit.objects.filter(parent__isnull=True).values_list("id", "path", "level")
        return cls.build([ScopeRoot(uid, path, Grant.WRITE, "system", level) for uid, path, level in roots],
                         is_system=True, context=AuditContext(channel=channel))

    @property
    def actor(self):
        """The acting user, or None when the system acts."""
        return self.user

    @property
    def is_empty(self) -> bool:
        return not self._read

    @property
    def sees_all(self) -> bool:
        """Superusers and the system: nothing is outside (also after a narrowing that keeps every root)."""
        return self.is_superuser or self.is_system or "all" in self.flags

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

    @property
    def writes_all(self) -> bool:
        return self.is_superuser or self.is_system or "all_write" in self.flags

    def can_read_path(self, path: str) -> bool:
        return self.sees_all or any(path.startswith(root) for root in self._read)

    def can_write_path(self, path: str) -> bool:
        return self.writes_all or any(path.startswith(root) for root in self._write)

    def require(self, path: str, *, write: bool = True, message=None) -> None:
        """The rule every fetch and action follows: outside the readable scope → ``NotFound`` (as if absent);
        readable but not writable → ``PermissionDenied``."""
        if not self.can_read_path(path):
            raise NotFound(message or _("Not found."))
        if write and not self.can_write_path(path):
            raise PermissionDenied(_("You may not do this here."))

    def q(self, path_field: str = "unit_path", *, for_write: bool = False) -> Q:
        if self.writes_all if for_write else self.sees_all:
            # Always true, yet not the empty Q(): ``Q() | other`` would be just ``other``.
            return ~Q(pk__in=[])
        return subtrees_q(path_field, self._write if for_write else self._read)

    def filter(self, queryset: QuerySet, path_field: str = "unit_path", *, for_write: bool = False) -> QuerySet:
        """The queryset limited to this scope; with no roots, an empty queryset (deny by default)."""
        if self.writes_all if for_write else self.sees_all:
            return queryset
        paths = self._write if for_write else self._read
        if not paths:
            return queryset.none()
        return queryset.filter(subtrees_q(path_field, paths))

    def narrow(self, *, read: list[str] | tuple[str, ...], write: list[str] | tuple[str, ...],
               flags: frozenset[str] | set[str] = frozenset(), sees_all: bool = False,
               writes_all: bool = False) -> Scope:
        """The same actor with an app's own reach (paths and flags an app policy derived from this scope).

        ``sees_all`` / ``writes_all`` open the whole tree (the state Sahyog Cell); superusers and the system
        keep theirs, since an app never narrows them.
        """
        flags = (frozenset(flags) | ({"all"} if sees_all or writes_all else frozenset())
                 | ({"all_write"} if writes_all else frozenset()))
        return replace(self, _read=tuple(collapse_paths(read)), _write=tuple(collapse_paths(write)),
                       flags=flags, _memo={})

    def memo(self, key: str, compute):
        """``compute(self)`` once per scope (an app's narrowing, computed on first use in a request)."""
        if key not in self._memo:
            self._memo[key] = compute(self)
        return self._memo[key]

    def with_context(self, *, channel: str, ip: str | None = None, user_agent: str = "") -> Scope:
        return replace(self, context=AuditContext(channel=channel, ip=ip, user_agent=user_agent[:300]),
                       _memo=self._memo)

    def has_flag(self, flag: str) -> bool:
        return flag in self.flags


def _overlay_assembly_paths(overlay_ids: set[int]) -> dict[int, list[tuple[int, str, str]]]:
    """For each overlay, (unit id, path) of the units it covers; clusters through their Lok Sabha seats."""
    covered: dict[int, list[tuple[int, str, str]]] = {oid: [] for oid in overlay_ids}
    if not overlay_ids:
        return covered
    direct = Overlay.units.through.objects.filter(overlay_id__in=overlay_ids).values_list(
        "overlay_id", "unit_id", "unit__path", "unit__level"
    )
    for overlay_id, unit_id, path, level in direct:
        covered[overlay_id].append((unit_id, path, level))
    nested = Overlay.members.through.objects.filter(from_overlay_id__in=overlay_ids).values_list(
        "from_overlay_id", "to_overlay_id"
    )
    children: dict[int, list[int]] = {}
    for parent_id, child_id in nested:
        children.setdefault(parent_id, []).append(child_id)
    if children:
        child_ids = {cid for ids in children.values() for cid in ids}
        child_units = Overlay.units.through.objects.filter(overlay_id__in=child_ids).values_list(
            "overlay_id", "unit_id", "unit__path", "unit__level"
        )
        by_child: dict[int, list[tuple[int, str, str]]] = {}
        for child_id, unit_id, path, level in child_units:
            by_child.setdefault(child_id, []).append((unit_id, path, level))
        for parent_id, ids in children.items():
            for child_id in ids:
                covered[parent_id].extend(by_child.get(child_id, []))
    return covered


def scope_for_user(user) -> Scope:
    """Compute a user's scope from their current positions and grants (three queries at most)."""
    if user is None or not getattr(user, "is_authenticated", False) or not user.is_active:
        return Scope.empty()
    facts = {"user": user, "person_id": user.person_id}
    if user.is_superuser:
        # Roots by parent IS NULL: the foreign-key index finds them without scanning every unit.
        roots = Unit.objects.filter(parent__isnull=True).values_list("id", "path", "level")
        roles, positions = _roles(user)
        return _remembering(positions, Scope.build(
            [ScopeRoot(uid, path, Grant.WRITE, "superuser", level) for uid, path, level in roots],
            user.pk, is_superuser=True, roles=roles, **facts))

    roles, positions = _roles(user)
    # (unit id, unit path, level, overlay id, grant, source) from the current positions and live grants.
    rows = [(r.unit_id, r.path, r.level, r.overlay_id, r.grant, "position") for r in roles if r.grant != Grant.NONE]
    now = timezone.now()
    rows += [(*row, "grant") for row in user.scope_grants.filter(
        Q(expires_at__isnull=True) | Q(expires_at__gt=now), revoked_at__isnull=True).exclude(
        grant=Grant.NONE).values_list("unit_id", "unit__path", "unit__level", "overlay_id", "grant")]

    roots: list[ScopeRoot] = []
    overlay_grants: dict[int, str] = {}
    for unit_id, path, level, overlay_id, grant, source in rows:
        if unit_id:
            roots.append(ScopeRoot(unit_id, path, grant, source, level))
        else:
            overlay_grants[overlay_id] = _stronger(overlay_grants.get(overlay_id), grant)

    for overlay_id, units in _overlay_assembly_paths(set(overlay_grants)).items():
        roots.extend(ScopeRoot(unit_id, path, overlay_grants[overlay_id], "overlay", level)
                     for unit_id, path, level in units)
    # A write grant on a path beats a read grant on the same path.
    best: dict[str, ScopeRoot] = {}
    for root in roots:
        if root.path not in best or root.grant == Grant.WRITE:
            best[root.path] = root
    return _remembering(positions, Scope.build(list(best.values()), user.pk, roles=roles, **facts))


def _roles(user) -> tuple[tuple[Role, ...], list]:
    """The user's roles, and the current positions they come from (the page header shows those: one query
    serves both)."""
    if not user.person_id:
        return (), []
    positions = list(Position.objects.held_now(user.person_id))
    return tuple(Role(p.unit_id, p.overlay_id, p.unit.path if p.unit_id else "", p.unit.level if p.unit_id else "",
                      p.post.code, p.wing.code if p.wing_id else "", p.post.grant) for p in positions), positions


def _remembering(positions: list, scope: Scope) -> Scope:
    scope.memo(POSITIONS_MEMO, lambda s: positions)
    return scope


def _stronger(current: str | None, new: str) -> str:
    return Grant.WRITE if Grant.WRITE in (current, new) else Grant.READ


def scope_for_request(request) -> Scope:
    """The request user's scope, computed once per request, carrying the request's channel and address
    for the audit rows its actions and reads write."""
    scope = getattr(request, "_sangathan_scope", None)
    if scope is None or scope.user_id != getattr(request.user, "pk", None):
        channel = "api" if request.path.startswith("/api/") else "web"
        scope = scope_for_user(request.user).with_context(
            channel=channel, ip=client_ip(request), user_agent=request.META.get("HTTP_USER_AGENT", ""))
        request._sangathan_scope = scope
    return scope


__all__ = ["AuditContext", "Role", "Scope", "ScopeRoot", "scope_for_user", "scope_for_request", "client_ip",
           "OverlayKind"]
