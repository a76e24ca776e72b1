"""A fixed-window counter per client address for the public status page and its API (in Django's cache:
per process with the default local-memory cache, shared when a shared cache is configured)."""

from django.conf import settings
from django.core.cache import cache

STATUS_LOOKUPS = 10        # attempts …
STATUS_WINDOW = 10 * 60    # … per ten minutes per address


def client_address(request) -> str:
    if getattr(settings, "SECURE_PROXY_SSL_HEADER", None):
        forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "")
        if forwarded:
            return forwarded.split(",")[0].strip()
    return request.META.get("REMOTE_ADDR", "") or "unknown"


def allow(request, *, bucket: str = "status", limit: int = STATUS_LOOKUPS, window: int = STATUS_WINDOW) -> bool:
    """Count one attempt; False when the address is over its limit for the window."""
    key = f"grievances:rl:{bucket}:{client_address(request)}"
    if cache.add(key, 1, timeout=window):
        return True
    try:
        count = cache.incr(key)
    except ValueError:  # expired between add and incr
        cache.add(key, 1, timeout=window)
        return True
    return count <= limit
