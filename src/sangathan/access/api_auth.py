"""How API callers authenticate: a bearer token (integrations) or the browser session (with CSRF)."""

from ninja.security import APIKeyCookie, HttpBearer

from sangathan.access.services import api_token_user


class BearerToken(HttpBearer):
    def authenticate(self, request, token):
        user = api_token_user(token)
        if user is not None:
            request.user = user
        return user


class BrowserSession(APIKeyCookie):
    """The logged-in browser; ninja checks the CSRF token on unsafe methods."""

    param_name = "sessionid"

    def _get_key(self, request):
        # A caller without a session cookie, or one that sent a bearer token (revoked, expired or wrong), is
        # not a browser: it gets 401 "Authentication required", not a 403 about a CSRF token it never had.
        if self.param_name not in request.COOKIES or "Authorization" in request.headers:
            return None
        return super()._get_key(request)

    def authenticate(self, request, key):
        user = request.user
        return user if user.is_authenticated and user.is_active else None


api_auth = [BearerToken(), BrowserSession(csrf=True)]
