from django.http import Http404
from django.utils.functional import SimpleLazyObject

from sangathan.access.scope import scope_for_request
from sangathan.core.errors import NotFound
from sangathan.org.selectors import unit_get_for_actor


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

    def process_view(self, request, view_func, view_args, view_kwargs):
        """A page asked for ``?unit=`` answers 404 unless that unit lies in the reader's scope.

        One rule for every web page, whether it filters by the unit or ignores the parameter: a unit outside
        the scope is indistinguishable from one that does not exist, never quietly replaced by the
        reader's own subtree. (The API validates its own ``unit`` fields, per field.)
        """
        unit_id = request.GET.get("unit")
        if not unit_id or request.path.startswith(("/api/", "/admin/")):
            return None
        if not request.user.is_authenticated:
            return None  # the view's login redirect comes first
        try:
            unit_get_for_actor(unit_id, request.scope)
        except NotFound:
            raise Http404("No such unit.") from None
        return None
