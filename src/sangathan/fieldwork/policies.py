"""Who may do what in a drive: derived from the actor's ``access.Scope`` only.

* Start a drive, set booth targets, assign vistaraks, draw a re-verification sample, review a record:
  write scope over the unit concerned (the drive's unit, the booth, the district).
* Sync records, ask a capture code, upload a photo: the caller must hold an assignment of the drive covering
  the record's booth *and* write scope there. The assignment gives the vistarak's login a write
  ``access.ScopeGrant`` on the assigned unit until the drive ends, so the Scope itself carries the reach;
  the assignment row says for which drive (a vistarak of two drives writes each drive's booths only).
* Read a drive: anyone whose scope overlaps its subtree; figures always limited to the reader's scope.
"""

from django.utils.translation import gettext as _

from sangathan.core.errors import NotFound, PermissionDenied
from sangathan.core.tree import ancestor_paths


def require_write(scope, path: str, message) -> None:
    """``Scope.require`` with the action's own words."""
    if not scope.can_read_path(path):
        raise NotFound(_("Not found."))
    if not scope.can_write_path(path):
        raise PermissionDenied(message)


def may_read_drive(scope, drive) -> bool:
    if scope.can_read_path(drive.unit_path):
        return True
    return any(path.startswith(drive.unit_path) for path in scope.read_paths)


def drive_paths_for(scope) -> set[str]:
    """Paths a drive's unit may have for the reader to see it: their roots and every ancestor."""
    paths = set()
    for root in scope.read_paths:
        paths.add(root)
        paths.update(ancestor_paths(root))
    return paths


def require_booth_assigned(scope, booth_path: str, assigned_paths: list[str]) -> None:
    """A vistarak writes only within the booths of their assignments (``assigned_paths``: the assigned
    units' paths in this drive) and within their write scope."""
    if not any(booth_path.startswith(path) for path in assigned_paths):
        raise PermissionDenied(_("This booth is not assigned to you in this drive."), field="booth")
    if not scope.can_write_path(booth_path):
        raise PermissionDenied(_("This booth is not assigned to you in this drive."), field="booth")
