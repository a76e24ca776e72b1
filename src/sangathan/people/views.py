from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import redirect, render

from sangathan.access.models import AuditLog
from sangathan.access.scope import scope_for_request
from sangathan.access.services import audit_record
from sangathan.core.errors import NotFound
from sangathan.org.selectors import level_labels, person_positions, unit_breadcrumbs
from sangathan.people.display import history_entries
from sangathan.people.selectors import PersonMergedAway, person_get_for_actor, person_history

HISTORY_SHOWN = 50


@login_required
def person_detail(request, person_id: int):
    """A worker's full record (कुंडली). Every reading is written to the audit log."""
    scope = scope_for_request(request)
    try:
        person = person_get_for_actor(person_id, scope)
    except PersonMergedAway as merged:
        # An old link (a bookmark, a message) to a record merged into another: go where it lives now.
        messages.info(request, str(merged))
        return redirect("people:person", person_id=merged.survivor_id)
    except NotFound:
        raise Http404 from None
    audit_record(actor=request.user, action=AuditLog.Action.PERSON_VIEW, request=request, target=person,
                 unit_path=person.unit_path, channel="web")
    positions = list(person_positions(person))
    context = {
        "person": person,
        "scope": scope,
        "levels": level_labels(),
        "crumbs": unit_breadcrumbs(person.unit, scope),
        "current_positions": [position for position in positions if position.is_current()],
        "past_positions": [position for position in positions if not position.is_current()],
        "history": history_entries(person_history(person)[:HISTORY_SHOWN]),
    }
    return render(request, "people/person_detail.html", context)
