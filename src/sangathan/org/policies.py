"""Who may change the tree and its vocabulary, and who may act at a place (a unit or an overlay). Reads the
``Scope`` (defined in ``access``, duck-typed here because ``org`` sits below ``access``); the only query is
an overlay's units, for a write at an overlay."""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING

from django.utils.translation import gettext as _

from sangathan.core.errors import PermissionDenied
from sangathan.core.tree import depth_of
from sangathan.org.enums import Grant

if TYPE_CHECKING:
    from sangathan.access.scope import Scope


def is_state_admin(scope: Scope) -> bool:
    """A superuser, the system, or a writer at a root unit (a state president, a state-wide write grant):
    the people whose edits may change everyone's scope (a post's grant, a new level, a new root)."""
    if scope.is_superuser or scope.is_system:
        return True
    return any(root.grant == Grant.WRITE and depth_of(root.path) == 1 for root in scope.roots)


def require_state_admin(scope: Scope) -> None:
    if not is_state_admin(scope):
        raise PermissionDenied(_("Only a state administrator may change this."))


def require_write_all(scope: Scope, paths: Iterable[str]) -> None:
    """Writing across several subtrees (an overlay's assemblies) needs write at each; one outside the
    readable scope answers NotFound, as for a single unit."""
    for path in paths:
        scope.require(path, write=True)


def require_write_at_place(scope: Scope, *, unit=None, overlay=None) -> None:
    """Write access over the unit's subtree, or over every unit the overlay covers (clusters through their
    seats): NotFound outside the readable scope, PermissionDenied where only readable. An overlay that
    covers no unit yet: a state administrator. Appointments and access grants both follow it."""
    from sangathan.org.selectors import overlay_paths

    if unit is not None:
        scope.require(unit.path, write=True)
        return
    paths = overlay_paths(overlay)
    if paths:
        require_write_all(scope, paths)
    else:
        require_state_admin(scope)
