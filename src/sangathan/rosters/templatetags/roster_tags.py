from django import template

from sangathan.grievances.templatetags.grievance_tags import may_see_grievances
from sangathan.rosters.selectors import sits_or_owes

register = template.Library()


@register.simple_tag(takes_context=True)
def may_see_hearings(context) -> bool:
    """Whether the logged-in user works in the Sahyog Cell (decided from the header's cached positions),
    sits at an office (sitting days, the minister roster) or owes a direction from a hearing
    (``rosters.selectors.sits_or_owes``: at most one query a request, none on the home, which reads it with
    its counts)."""
    request = context.get("request")
    if request is None or not request.user.is_authenticated:
        return False
    allowed = getattr(request, "_sangathan_may_see_hearings", None)
    if allowed is None:
        # Whoever works in the Sahyog Cell also runs or sits at its hearings (no query for office-bearers).
        allowed = request._sangathan_may_see_hearings = may_see_grievances(context) or sits_or_owes(request.scope)
    return allowed
