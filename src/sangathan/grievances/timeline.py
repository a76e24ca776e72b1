"""The complainant's grievances on their person timeline, as the reader may see them (recusal included)."""

from django.urls import reverse
from django.utils.translation import gettext as _

from sangathan.people.timeline import TimelineEntry, timeline_source


@timeline_source("grievances.grievance")
def grievance_entries(person, scope, limit):
    from sangathan.grievances.selectors import grievances_visible

    rows = (grievances_visible(scope).filter(complainant=person).order_by("-created_at", "-id")
            .only("pk", "tracking_code", "subject", "status", "level", "created_at")[:limit])
    return [
        TimelineEntry(at=g.created_at, kind="grievance",
                      title=_("Grievance %(code)s: %(subject)s") % {"code": g.tracking_code, "subject": g.subject},
                      detail=f"{g.get_status_display()} · {g.get_level_display()}",
                      url=reverse("grievances:detail", args=[g.pk]))
        for g in rows
    ]
