"""Helpers shared by the rosters services."""

from django.utils.translation import gettext as _

from sangathan.access.scope import Scope
from sangathan.core import clock
from sangathan.core.errors import PermissionDenied
from sangathan.rosters.models import RosterChange
from sangathan.rosters.policies import may_manage_office


def check_manage(*, scope: Scope, unit_path: str) -> None:
    """PermissionDenied unless the scope may manage the office at ``unit_path`` (the system always may)."""
    if not may_manage_office(scope=scope, unit_path=unit_path):
        raise PermissionDenied(_("You may not change this office's sitting days or roster."))


def record_change(*, office, kind: str, scope: Scope, reason: str = "", **fields) -> RosterChange:
    """The office's history row for a change, with the acting user (none when the system acts)."""
    return RosterChange.objects.create(office=office, kind=kind, actor=scope.actor, reason=reason[:300],
                                       at=clock.now(), **fields)
