"""Who may see and do what in the Sahyog Cell: a narrowing of the actor's ``access.Scope``.

``grievance_scope(scope)`` derives the cell's reach from the scope's roles and roots alone (no query):
- read where the actor holds a position at a unit of ``CELL_LEVELS`` (state, division, district), whatever
  the post grants when the position is in the Sahyog Cell wing; write where the post grants write or the
  position is in the Sahyog Cell wing;
- read and write where a ``ScopeGrant`` (root source "grant") or an overlay (source "overlay") gives it, so a
  staff member with a write grant on a district handles that district's grievances;
- the state support cell (Sahyog Cell positions at the state unit), superusers and the system: everything.

The selectors add, keyed on ``scope.person_id``: anyone a grievance is or was assigned to sees it (active
assignees act on it), and the office-bearer a grievance names never sees it (recusal).
"""

from __future__ import annotations

from sangathan.access.scope import Scope
from sangathan.org.enums import Grant

SAHYOG_WING = "sahyog"
CONVENER_POST = "convener"
CELL_LEVELS = ("state", "division", "district")
STATE_LEVEL = "state"

# Flags of the narrowed scope.
NARROWED = "grievances"
STATE_CELL = "grievances.state_cell"
STATE_CONVENER = "grievances.state_convener"
# Roots that are not positions count whole: a ScopeGrant or an overlay given to staff.
GRANTED_SOURCES = ("grant", "overlay")


def _narrow(scope: Scope) -> Scope:
    read: set[str] = set()
    write: set[str] = set()
    flags = {NARROWED}
    for role in scope.roles:
        if not role.unit_id or role.level not in CELL_LEVELS:
            continue
        in_cell = role.wing == SAHYOG_WING
        if in_cell and role.level == STATE_LEVEL:
            flags.add(STATE_CELL)
            if role.post == CONVENER_POST:
                flags.add(STATE_CONVENER)
        if role.grant == Grant.NONE and not in_cell:
            continue
        read.add(role.path)
        if role.grant == Grant.WRITE or in_cell:
            write.add(role.path)
    for root in scope.roots:
        if root.source in GRANTED_SOURCES:
            read.add(root.path)
            if root.grant == Grant.WRITE:
                write.add(root.path)
    state_cell = STATE_CELL in flags
    return scope.narrow(read=sorted(read), write=sorted(write), flags=flags, sees_all=state_cell,
                        writes_all=state_cell)


def grievance_scope(scope: Scope) -> Scope:
    """The actor's reach in the Sahyog Cell (computed once per scope; idempotent on a narrowed one)."""
    if NARROWED in scope.flags:
        return scope
    return scope.memo("grievances", _narrow)


def is_state_cell(scope: Scope) -> bool:
    """The state support cell, superusers and the system: every grievance, at every level."""
    return grievance_scope(scope).sees_all


def may_configure(scope: Scope) -> bool:
    """Departments, routing rules, the calendar and time limits: the state convener's (and the system's)."""
    return scope.is_superuser or scope.is_system or STATE_CONVENER in grievance_scope(scope).flags


def may_approve(scope: Scope) -> bool:
    """Approving a policy matter for a minister or a forced closure: the state convener's."""
    return scope.is_superuser or STATE_CONVENER in grievance_scope(scope).flags
