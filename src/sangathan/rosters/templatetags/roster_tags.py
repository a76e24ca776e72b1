from django import template
from django.db.models import Q

from sangathan.grievances.templatetags.grievance_tags import may_see_grievances
from sangathan.people.models import Person
from sangathan.rosters.enums import DirectionStatus

register = template.Library()


@register.simple_tag(takes_context=True)
def may_see_hearings(context) -> bool:
    """Whether the logged-in user works in the Sahyog Cell (decided from the header's cached positions),
    sits at an office (sitting days, the minister roster) or owes a direction from a
    hearing; at most one query, asked once per request."""
    request = context.get("request")
    if request is None or not request.user.is_authenticated:
        return False
    allowed = getattr(request, "_sangathan_may_see_hearings", None)
    if allowed is None and may_see_grievances(context):
        # Whoever works in the Sahyog Cell also runs or sits at its hearings (no query for office-bearers).
        allowed = request._sangathan_may_see_hearings = True
    if allowed is None:
        person_id = request.user.person_id
        allowed = bool(person_id) and Person.objects.filter(pk=person_id).filter(
            Q(sitting_days__isnull=False) | Q(roster_days__isnull=False)
            | Q(hearing_directions__status=DirectionStatus.OPEN)).exists()
        request._sangathan_may_see_hearings = allowed
    return allowed
