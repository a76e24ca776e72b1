"""The grievance timeline: one ``GrievanceEvent`` per change, written by the service making the change."""

from __future__ import annotations

from sangathan.core import clock
from sangathan.grievances.models import Grievance, GrievanceEvent


def _user(actor):
    return actor if getattr(actor, "is_authenticated", False) else None


def event_add(*, grievance: Grievance, kind: str, actor=None, text: str = "", public: bool = False,
              data: dict | None = None) -> GrievanceEvent:
    return GrievanceEvent.objects.create(grievance=grievance, kind=kind, actor=_user(actor), text=text,
                                         public=public, status=grievance.status, level=grievance.level,
                                         data=data or {}, at=clock.now())
