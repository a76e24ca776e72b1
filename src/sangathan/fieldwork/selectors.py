"""Reads of the fieldwork app, always through the reader's Scope."""

from __future__ import annotations

from django.utils.translation import gettext as _

from sangathan.core.errors import NotFound
from sangathan.core.tree import subtree_q
from sangathan.fieldwork.models import Assignment, BoothTarget, Drive, FieldRecord
from sangathan.fieldwork.policies import drive_paths_for, may_read_drive
from sangathan.people.models import Person


def drives_visible(scope):
    """Drives whose area overlaps the reader's: over their subtree, or above it (a state drive)."""
    if scope.sees_all:
        return Drive.objects.all()
    if scope.is_empty:
        return Drive.objects.none()
    return scope.filter(Drive.objects.all()) | Drive.objects.filter(unit_path__in=drive_paths_for(scope))


def drive_get_for_actor(drive_id: int, scope) -> Drive:
    drive = Drive.objects.select_related("unit").filter(pk=drive_id).first()
    if drive is None or not may_read_drive(scope, drive):
        raise NotFound(_("No such drive."))
    return drive


def assigned_paths(drive: Drive, scope) -> list[str]:
    """Paths of the units the actor is assigned to in ``drive`` (empty for anyone else)."""
    if scope.user_id is None:
        return []
    return list(Assignment.objects.filter(drive=drive, user_id=scope.user_id).values_list("unit_path", flat=True))


def my_booths(drive: Drive, scope) -> list[dict]:
    """The vistarak's booths in ``drive`` with their targets and places (for the phone to keep offline)."""
    from sangathan.org.models import Unit

    paths = assigned_paths(drive, scope)
    if not paths:
        return []
    query = subtree_q("path", paths[0])
    for path in paths[1:]:
        query |= subtree_q("path", path)
    booths = list(scope.filter(Unit.objects.filter(query, level="booth"), "path", for_write=True)
                  .order_by("path").values("id", "code", "name_hi", "name_en", "path"))
    targets = {row["booth_id"]: row for row in BoothTarget.objects.filter(
        drive=drive, booth_id__in=[b["id"] for b in booths]).values("booth_id", "target", "lat", "lng")}
    for booth in booths:
        target = targets.get(booth["id"], {})
        booth.update(target=target.get("target", 0), lat=target.get("lat"), lng=target.get("lng"))
    return booths


def known_workers(drive: Drive, scope, *, limit: int = 5000) -> list[Person]:
    """Registered people of the vistarak's booths (to open and update offline); ``base`` for conflicts is
    each one's ``updated_at``."""
    booth_paths = [b["path"] for b in my_booths(drive, scope)]
    if not booth_paths:
        return []
    return list(Person.objects.filter(unit_path__in=booth_paths).order_by("unit_path", "name")[:limit])


def records_visible(drive: Drive, scope):
    return scope.filter(FieldRecord.objects.filter(drive=drive))
