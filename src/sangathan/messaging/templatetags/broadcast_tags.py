from django import template

from sangathan.access.scope import scope_for_request
from sangathan.messaging.broadcasts import may_broadcast as scope_may_broadcast

register = template.Library()


@register.simple_tag(takes_context=True)
def may_broadcast(context) -> bool:
    """Whether the logged-in user may send broadcasts (a state or district office in their write scope);
    asked once per request."""
    request = context.get("request")
    if request is None or not request.user.is_authenticated:
        return False
    allowed = getattr(request, "_sangathan_may_broadcast", None)
    if allowed is None:
        allowed = request._sangathan_may_broadcast = scope_may_broadcast(scope_for_request(request))
    return allowed
