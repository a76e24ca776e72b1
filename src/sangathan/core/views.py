from django.db import connection
from django.http import JsonResponse
from django.shortcuts import render
from django.views.decorators.cache import never_cache


@never_cache
def healthz(request):
    """Liveness and database reachability, for load balancers and monitoring."""
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except Exception:  # noqa: BLE001 — any failure means unhealthy
        return JsonResponse({"status": "error", "database": "unreachable"}, status=503)
    return JsonResponse({"status": "ok", "database": connection.vendor})


def _error(request, status: int, template: str):
    if request.path.startswith("/api/"):
        messages = {400: "Bad request.", 403: "Forbidden.", 404: "Not found.", 500: "Server error."}
        return JsonResponse({"detail": messages[status], "errors": {}}, status=status)
    return render(request, template, status=status)


def bad_request(request, exception=None):
    return _error(request, 400, "errors/400.html")


def permission_denied(request, exception=None):
    return _error(request, 403, "errors/403.html")


def page_not_found(request, exception=None):
    return _error(request, 404, "errors/404.html")


def server_error(request):
    return _error(request, 500, "errors/500.html")


def too_many_requests(request, error):
    """The 429 page for a ``core.ratelimit.RateLimited`` (JSON under /api/), with Retry-After."""
    if request.path.startswith("/api/"):
        response = JsonResponse(error.as_dict(), status=429)
    else:
        response = render(request, "errors/429.html", {"message": error.message}, status=429)
    response["Retry-After"] = str(error.retry_after)
    return response
