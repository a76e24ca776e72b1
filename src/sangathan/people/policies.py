"""Who may do what in the people app, read from the actor's ``Scope`` (no queries of its own)."""

from sangathan.access.scope import Scope
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
