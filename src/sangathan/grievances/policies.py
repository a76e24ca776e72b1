"""Who may see and do what in the Sahyog Cell.

A grievance is seen by
- the office-bearers and the Sahyog Cell of its district (and of the division and state above it):
  current positions at units of ``CELL_LEVELS`` whose subtree holds the grievance; they may act on it
  when their post grants write or the position is in the Sahyog Cell wing;
- the state support cell (Sahyog Cell positions at the state unit) and superusers: every grievance;
- anyone it is or was assigned to (a minister, a state office-bearer); active assignees may act on it;
- never by the office-bearer it names (recusal), whatever else they hold.
Complainants see their own only through the public status page.
"""

from __future__ import annotations

from dataclasses import dataclass

from sangathan.org.enums import Grant
from sangathan.org.models import Position

SAHYOG_WING = "sahyog"
CONVENER_POST = "convener"
CELL_LEVELS = ("state", "division", "district")
STATE_LEVEL = "state"


@dataclass(frozen=True)
class Reach:
    user_id: int | None = None
    person_id: int | None = None
    read_paths: tuple[str, ...] = ()
    write_paths: tuple[str, ...] = ()
    is_superuser: bool = False
    is_state_cell: bool = False
    is_state_convener: bool = False

    @property
    def sees_all(self) -> bool:
        return self.is_superuser or self.is_state_cell

    @property
    def is_authenticated(self) -> bool:
        return self.user_id is not None

    def can_read_path(self, path: str) -> bool:
        return self.sees_all or any(path.startswith(root) for root in self.read_paths)

    def can_write_path(self, path: str) -> bool:
        return self.sees_all or any(path.startswith(root) for root in self.write_paths)

    @property
    def may_configure(self) -> bool:
        """Departments, routing rules, the calendar and time limits: the state convener's."""
        return self.is_superuser or self.is_state_convener

    @property
    def may_approve(self) -> bool:
        return self.is_superuser or self.is_state_convener


EMPTY_REACH = Reach()


def grievance_reach(actor) -> Reach:
    """What ``actor`` (a user, or None) reaches in the cell; one query for a user with a person."""
    if actor is None or not getattr(actor, "is_authenticated", False) or not getattr(actor, "is_active", True):
        return EMPTY_REACH
    person_id = getattr(actor, "person_id", None)
    read: set[str] = set()
    write: set[str] = set()
    state_cell = state_convener = False
    if person_id:
        rows = (Position.objects.current().filter(person_id=person_id, unit__level__in=CELL_LEVELS)
                .values_list("unit__level", "unit_path", "post__code", "post__grant", "wing__code"))
        for level, path, post, grant, wing in rows:
            in_cell = wing == SAHYOG_WING
            if in_cell and level == STATE_LEVEL:
                state_cell = True
                state_convener = state_convener or post == CONVENER_POST
            if grant == Grant.NONE and not in_cell:
                continue
            read.add(path)
            if grant == Grant.WRITE or in_cell:
                write.add(path)
    return Reach(user_id=actor.pk, person_id=person_id, read_paths=tuple(sorted(read)),
                 write_paths=tuple(sorted(write)), is_superuser=bool(actor.is_superuser),
                 is_state_cell=state_cell, is_state_convener=state_convener)
