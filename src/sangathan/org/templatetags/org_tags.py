from django import template

from sangathan.org.selectors import person_positions

register = template.Library()


@register.simple_tag(takes_context=True)
def current_positions(context) -> list:
    """The logged-in user's current posts, fetched once per request (the header and the home page share them)."""
    request = context["request"]
    positions = getattr(request, "_sangathan_positions", None)
    if positions is None:
        person_id = getattr(request.user, "person_id", None)
        positions = list(person_positions(person_id, current_only=True)) if person_id else []
        request._sangathan_positions = positions
    return positions
