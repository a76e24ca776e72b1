"""Who may do what in the people app, read from the actor's ``Scope`` (no queries of its own)."""

from django.conf import settings
from django.utils.translation import gettext as _

from sangathan.access.scope import Scope
from sangathan.core.errors import PermissionDenied
from sangathan.core.tree import SEGMENT


def state_write_roots(scope: Scope) -> list[str]:
    """The state-level paths (whole trees) the actor may write: a state office-bearer's or a state grant's."""
    return [path for path in scope.write_paths if len(path) == SEGMENT]


def is_state_admin(scope: Scope) -> bool:
    """Superusers, the system, and anyone who may write a whole state: they keep the shared vocabulary
    (tags) and handle a person's data (export, erasure)."""
    return scope.writes_all or bool(state_write_roots(scope))


def may_handle_personal_data(scope: Scope, person_path: str) -> bool:
    """A person's own data (export, erasure): superusers, the system, and writers of the person's whole state."""
    return scope.writes_all or any(person_path.startswith(path) for path in state_write_roots(scope))


# The post rules: which posts each level's units should have filled (their vacancies), and how many levels
# above a unit an appointer's own unit must be. Both are settings (``SANGATHAN_UNIT_POSTS``,
# ``SANGATHAN_APPOINT_LEVELS_ABOVE`` and per post ``SANGATHAN_APPOINT_LEVELS_ABOVE_BY_POST``).
DEFAULT_UNIT_POSTS = {
    "state": ["president", "general_secretary"],
    "division": ["incharge"],
    "district": ["president", "general_secretary"],
    "assembly": ["incharge"],
    "mandal": ["president", "general_secretary"],
    "shakti_kendra": ["convener"],
    "booth": ["president"],
}


def unit_posts() -> dict[str, list[str]]:
    return getattr(settings, "SANGATHAN_UNIT_POSTS", DEFAULT_UNIT_POSTS)


def levels_above(post_code: str) -> int:
    by_post = getattr(settings, "SANGATHAN_APPOINT_LEVELS_ABOVE_BY_POST", {})
    return by_post.get(post_code, getattr(settings, "SANGATHAN_APPOINT_LEVELS_ABOVE", 1))


def appointment_scope(scope: Scope) -> Scope:
    """Who may appoint and relieve: the writers of a subtree, from units strictly above (see
    ``may_appoint_at``). The narrowing keeps the write roots and drops read-only ones from writing;
    superusers and the system appoint anywhere."""
    return scope.memo("people.appointments", lambda s: s.narrow(
        read=s.read_paths, write=s.write_paths, flags=set(s.flags) | {"appointments"},
        sees_all=s.sees_all, writes_all=s.writes_all))


def may_appoint_at(scope: Scope, unit_path: str, post_code: str) -> bool:
    """Only a unit above appoints: the actor's write root must lie at least ``levels_above(post)`` levels
    above the unit (a booth president does not appoint at their own booth; the mandal does)."""
    narrowed = appointment_scope(scope)
    if narrowed.writes_all:
        return True
    gap = levels_above(post_code) * SEGMENT
    return any(unit_path.startswith(root) and len(unit_path) - len(root) >= gap for root in narrowed.write_paths)


def require_appoint_at(scope: Scope, unit_path: str, post_code: str) -> None:
    """NotFound outside the readable scope; PermissionDenied where the actor is not a unit above."""
    appointment_scope(scope).require(unit_path, write=False)
    if not may_appoint_at(scope, unit_path, post_code):
        raise PermissionDenied(_("Only a unit above may appoint or relieve here."), field="unit")
