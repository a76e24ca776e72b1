"""The person timeline's "calls" source: booth contact calls about a person and calls they made."""

from django.db.models import Q
from django.utils.translation import gettext as _

from sangathan.outreach.models import CallLog
from sangathan.people.timeline import TimelineEntry, timeline_source


@timeline_source("outreach.calls")
def call_entries(person, scope, limit):
    """Logged calls with ``person`` as the one called or the caller, about booths the reader may see."""
    logs = (scope.filter(CallLog.objects.filter(Q(target=person) | Q(caller=person)), "unit_path")
            .select_related("caller", "target", "assignment__target_unit").order_by("-logged_at", "-id")[:limit])
    for log in logs:
        booth = log.assignment.target_unit.name
        if log.target_id == person.pk:
            title = _("Called by %(caller)s: %(outcome)s") % {"caller": log.caller.name,
                                                             "outcome": log.get_outcome_display()}
        else:
            title = _("Called %(target)s (%(booth)s): %(outcome)s") % {
                "target": log.target.name, "booth": booth, "outcome": log.get_outcome_display()}
        details = []
        if log.position_score:
            details.append(_("party's position %(score)d/5") % {"score": log.position_score})
        if log.notes:
            details.append(log.notes)
        yield TimelineEntry(at=log.logged_at, kind="call", title=title, detail=" · ".join(details),
                            actor=log.caller.name)
