from django.utils.functional import SimpleLazyObject

from sangathan.access.scope import scope_for_request


class ScopeMiddleware:
    """Gives every request ``request.scope``, computed on first use.

    Apps above ``access`` in the dependency order (``org``) read the scope from the request instead of
    importing ``access``. Lazy, so API calls see the user their bearer token resolves to.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        request.scope = SimpleLazyObject(lambda: scope_for_request(request))
        return self.get_response(request)
