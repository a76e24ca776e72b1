from django import template

from sangathan.org.models import POSITIONS_MEMO, Position

register = template.Library()


@register.simple_tag(takes_context=True)
def current_positions(context) -> list:
    """The logged-in user's current posts, fetched once per request (the header and the home page share them)."""
    request = context["request"]
    positions = getattr(request, "_sangathan_positions", None)
    if positions is None:
        person_id = getattr(request.user, "person_id", None)
        scope = getattr(request, "scope", None)  # ``access.middleware``: read them with the scope's roles
        if not person_id:
            positions = []
        elif scope is not None and scope.user_id == request.user.pk:
            positions = scope.memo(POSITIONS_MEMO, lambda s: list(Position.objects.held_now(person_id)))
        else:
            positions = list(Position.objects.held_now(person_id))
        request._sangathan_positions = positions
    return positions
