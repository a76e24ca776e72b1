from django import template

from sangathan.grievances.models import GrievanceAssignment
from sangathan.grievances.policies import grievance_reach

register = template.Library()


@register.simple_tag(takes_context=True)
def may_see_grievances(context) -> bool:
    """Whether the logged-in user works in the Sahyog Cell (a district or the state, or has cases assigned);
    asked once per request."""
    request = context.get("request")
    if request is None or not request.user.is_authenticated:
        return False
    allowed = getattr(request, "_sangathan_may_see_grievances", None)
    if allowed is None:
        reach = grievance_reach(request.user)
        allowed = reach.sees_all or bool(reach.read_paths) or GrievanceAssignment.objects.filter(
            person_id=reach.person_id or 0).exists()
        request._sangathan_may_see_grievances = allowed
    return allowed
