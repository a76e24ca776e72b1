"""The grievance timeline made readable: who was assigned, where it went, what was sent."""

from dataclasses import dataclass

from django.utils.translation import gettext as _

from sangathan.grievances.enums import AssignmentRole, ClosureKind, EventKind, GrievanceLevel
from sangathan.grievances.models import GrievanceEvent
from sangathan.people.models import Person


@dataclass
class TimelineRow:
    event: GrievanceEvent
    detail: str
    level: str = ""   # the level's name after the event (events store the bare code)


def _label(choices, value) -> str:
    try:
        return str(choices(value).label)
    except ValueError:
        return str(value or "")


def joined(*parts) -> str:
    """The parts that have something to say, joined by " · ": an empty one leaves no stray dot."""
    return " · ".join(str(part) for part in parts if part)


def timeline_rows(events) -> list[TimelineRow]:
    """Each event with a one-line explanation from its data (people's names in one query)."""
    events = list(events)
    person_ids = {e.data.get("person") for e in events if isinstance(e.data.get("person"), int)}
    names = dict(Person.objects.filter(pk__in=person_ids).values_list("pk", "name")) if person_ids else {}
    rows = []
    for event in events:
        data = event.data or {}
        detail = ""
        if event.kind == EventKind.ASSIGNED:
            detail = joined(names.get(data.get("person"), ""), _label(AssignmentRole, data.get("role")))
        elif event.kind in (EventKind.ESCALATED, EventKind.SENT_BACK):
            detail = joined(_label(GrievanceLevel, data.get("to")),
                            data.get("auto") and _("automatically, the time limit passed"))
        elif event.kind == EventKind.MESSAGE:
            recipient = _("the complainant") if data.get("recipient") == "complainant" else data.get("recipient")
            detail = joined(recipient and _("to %(recipient)s") % {"recipient": recipient},
                            data.get("skipped") and _("not sent: opted out"))
        elif event.kind == EventKind.FEEDBACK:
            detail = _("Satisfied") if data.get("satisfied") else _("Not satisfied")
        elif event.kind == EventKind.CLOSED:
            detail = _label(ClosureKind, data.get("closure"))
        elif event.kind == EventKind.DUPLICATE:
            detail = data.get("tracking_code", "")
        elif event.kind == EventKind.ATTACHMENT:
            detail = data.get("name", "")
        rows.append(TimelineRow(event=event, detail=detail, level=_label(GrievanceLevel, event.level)))
    return rows
