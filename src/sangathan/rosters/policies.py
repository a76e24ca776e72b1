"""Who may change an office's sitting days and roster, and who may run a hearing: a narrowing of the
actor's ``access.Scope`` (no query of its own).

Seed 000: the Sahyog Cell's district conveners run the district offices' sitting days and the state
convener the state office's roster. So besides anyone who may write at the office's unit (its president,
in-charge, a data operator, staff with a write grant), the convener or co-convener of that unit or of a unit
above it may: ``roster_scope`` adds the subtrees of the actor's convener posts (``scope.roles``) to the
writable paths.
"""

from sangathan.access.scope import Scope
from sangathan.grievances.policies import is_state_cell

CONVENER_POSTS = ("convener", "co_convener")
NARROWED = "rosters"


def _narrow(scope: Scope) -> Scope:
    conveners = [role.path for role in scope.roles if role.post in CONVENER_POSTS and role.path]
    return scope.narrow(read=[*scope.read_paths, *conveners], write=[*scope.write_paths, *conveners],
                        flags=scope.flags | {NARROWED})


def roster_scope(scope: Scope) -> Scope:
    """Where the actor may manage offices (computed once per scope)."""
    if NARROWED in scope.flags:
        return scope
    return scope.memo("rosters", _narrow)


def may_manage_office(*, scope: Scope, unit_path: str) -> bool:
    return roster_scope(scope).can_write_path(unit_path)


def may_run_hearing(*, scope: Scope, session) -> bool:
    """The sitting official, whoever manages the office, the state support cell and the system run a hearing."""
    if scope.is_system:
        return True
    if scope.user_id is None:
        return False
    if scope.person_id and scope.person_id == session.person_id:
        return True
    if may_manage_office(scope=scope, unit_path=session.unit_path):
        return True
    return is_state_cell(scope)
