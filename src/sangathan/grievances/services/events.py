"""The grievance timeline: one ``GrievanceEvent`` per change, written by the service making the change."""

from __future__ import annotations

from typing import TYPE_CHECKING

from sangathan.core import clock
from sangathan.grievances.models import Grievance, GrievanceEvent

if TYPE_CHECKING:
    from sangathan.access.scope import Scope


def event_add(*, scope: Scope, grievance: Grievance, kind: str, text: str = "", public: bool = False,
              data: dict | None = None) -> GrievanceEvent:
    return GrievanceEvent.objects.create(grievance=grievance, kind=kind, actor=scope.actor, text=text,
                                         public=public, status=grievance.status, level=grievance.level,
                                         data=data or {}, at=clock.now())
