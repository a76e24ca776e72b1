from django import template

from sangathan.messaging.broadcasts.policies import may_broadcast as scope_may_broadcast

register = template.Library()


@register.simple_tag(takes_context=True)
def may_broadcast(context) -> bool:
    """Whether the logged-in user may send broadcasts (a state or district office in their write scope);
    asked once per request (the answer is memoized on the request's scope)."""
    request = context.get("request")
    if request is None or not request.user.is_authenticated:
        return False
    return scope_may_broadcast(request.scope)
