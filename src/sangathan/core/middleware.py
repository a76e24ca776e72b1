import time

from django.conf import settings
from django.middleware.gzip import GZipMiddleware
from django.middleware.locale import LocaleMiddleware
from django.utils import translation
from django.utils.translation import get_supported_language_variant

from sangathan.core import db_router

# Everything is served from this origin: no CDN, no inline script.
CONTENT_SECURITY_POLICY = (
    "default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; "
    "object-src 'none'; base-uri 'self'; form-action 'self'; frame-ancestors 'none'"
)
# The API docs page (Swagger UI shipped by django-ninja) needs inline styles.
DOCS_POLICY = CONTENT_SECURITY_POLICY.replace("style-src 'self'", "style-src 'self' 'unsafe-inline'")


class SecurityHeadersMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        policy = DOCS_POLICY if request.path.startswith("/api/v1/docs") else CONTENT_SECURITY_POLICY
        response.headers.setdefault("Content-Security-Policy", policy)
        response.headers.setdefault("Permissions-Policy", "camera=(), microphone=(), geolocation=(self)")
        if _personal(request):
            # Nothing a signed-in user or an API caller sees may stay in a shared phone's browser cache or a
            # proxy: every such answer may carry someone's mobile number or grievance.
            response.headers["Cache-Control"] = "no-store, private"
            response.headers.setdefault("Pragma", "no-cache")
        return response


# Answers anyone may get that still name a person: the API, the public worker check, a grievance's status.
PERSONAL_PREFIXES = ("/api/", "/verify/", "/status/")


def _personal(request) -> bool:
    """Answers that may carry personal data: those above, and every page of a signed-in user."""
    if request.path.startswith(PERSONAL_PREFIXES):
        return True
    user = getattr(request, "user", None)
    return bool(user is not None and user.is_authenticated)


class LanguageMiddleware(LocaleMiddleware):
    """Hindi unless the user picked English (the language cookie), whatever the browser says.

    Cheap phones usually ship set to English while their users read Hindi best, so web pages ignore
    Accept-Language. API clients still negotiate with it.
    """

    def process_request(self, request):
        if request.path.startswith("/api/"):
            return super().process_request(request)
        try:
            language = get_supported_language_variant(request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME))
        except LookupError:
            language = settings.LANGUAGE_CODE
        translation.activate(language)
        request.LANGUAGE_CODE = translation.get_language()


# Answers worth compressing; photos, PDFs and XLSX files are compressed already and would only cost CPU.
COMPRESSIBLE = ("text/", "application/json", "image/svg+xml")


class CompressTextMiddleware(GZipMiddleware):
    """Django's gzip (with its BREACH padding) for pages, JSON and CSV, when the client accepts it."""

    def process_response(self, request, response):
        if not response.get("Content-Type", "").startswith(COMPRESSIBLE):
            return response
        return super().process_response(request, response)


# Signed with the time of the user's last write (core.db_router); its age keeps their reads on the primary.
WROTE_COOKIE = "sangathan_wrote"


class PrimaryAfterWriteMiddleware:
    """A user's reads stay on the primary for ``SANGATHAN_REPLICA_STICKY_SECONDS`` after their own write.

    The request that writes (``core.db_router`` sees every ORM write) gets a signed cookie; while the cookie's
    signature is younger than the sticky time, the next requests are marked pinned and ``reading_from_replica``
    leaves their reads on the primary. Without a replica it does nothing.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if not db_router.replica_configured():
            return self.get_response(request)
        seconds = settings.SANGATHAN_REPLICA_STICKY_SECONDS
        pinned = request.get_signed_cookie(WROTE_COOKIE, default=None, salt=WROTE_COOKIE, max_age=seconds) is not None
        with db_router.request_routing(pinned=pinned) as state:
            response = self.get_response(request)
        if state.wrote:
            response.set_signed_cookie(WROTE_COOKIE, str(int(time.time())), salt=WROTE_COOKIE, max_age=seconds,
                                       httponly=True, samesite="Lax", secure=settings.SESSION_COOKIE_SECURE)
        return response

