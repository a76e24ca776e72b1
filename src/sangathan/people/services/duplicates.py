"""Asking for a search for duplicates (the search itself: ``people.dedup``, run by a task)."""

from sangathan.access.services import audit_log
from sangathan.people.tasks import find_duplicates


def duplicates_find_queue(*, scope, unit) -> None:
    """Queue the search for duplicates under ``unit`` (a unit the actor may write to; outside their read
    scope: NotFound); writes a ``person.duplicates_find`` audit row."""
    scope.require(unit.path, write=True)
    audit_log(scope=scope, action="person.duplicates_find", target=unit, unit_path=unit.path)
    find_duplicates(unit.pk)
