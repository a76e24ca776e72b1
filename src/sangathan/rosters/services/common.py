"""Helpers shared by the rosters services."""

from django.utils.translation import gettext as _

from sangathan.core import clock
from sangathan.core.errors import PermissionDenied
from sangathan.rosters.models import RosterChange
from sangathan.rosters.policies import may_manage_office


def actor_user(actor):
    return actor if getattr(actor, "is_authenticated", False) else None


def check_manage(*, actor, scope, unit_path: str) -> None:
    """``scope`` None means the system itself (a task, the demo loader): no check."""
    if scope is None:
        return
    if not may_manage_office(actor=actor, scope=scope, unit_path=unit_path):
        raise PermissionDenied(_("You may not change this office's sitting days or roster."))


def record_change(*, office, kind: str, actor, reason: str = "", **fields) -> RosterChange:
    return RosterChange.objects.create(office=office, kind=kind, actor=actor_user(actor), reason=reason[:300],
                                       at=clock.now(), **fields)
