"""Rate limits shared by every web process, and the client address they are counted by.

A limit is a name, a number of hits and a window in seconds (``LIMITS``; each can be changed by the
setting ``SANGATHAN_RATE_LIMITS``, e.g. ``{"status.ip": (10, 600)}``, or the environment variable of the same
name, ``"status.ip=10/600,login.ip=20/900"``). Counting is a fixed window: the hits of ``key`` in the
window that ``clock.now()`` falls in.

The store is shared, never per process:

* the database by default: one ``core.RateCounter`` row per key and window, counted by one atomic
  ``INSERT … ON CONFLICT (key, window_start) DO UPDATE SET hits = hits + 1 RETURNING hits`` (the same
  statement on PostgreSQL and SQLite ≥ 3.35); the ``prune_rate_counters`` job deletes past windows;
* Django's cache when ``REDIS_URL`` is set (``SANGATHAN_RATE_LIMIT_STORE=cache``): ``add`` then ``incr``,
  atomic in Redis, the key expiring with its window.

Call ``hit`` outside a transaction that may roll back (an atomic block's rollback takes the hit with it).

``client_ip(request)`` is the address limits and audit rows use: with ``SANGATHAN_TRUSTED_PROXIES=N``
(N > 0) the Nth address from the right of ``X-Forwarded-For`` — the one the outermost of our N proxies
saw — so anything a client writes into the header itself (to the left) is ignored; with 0 (the default)
``REMOTE_ADDR`` only.
"""

import hashlib
import ipaddress
import math
import os
from dataclasses import dataclass
from datetime import UTC, datetime

from django.conf import settings
from django.db import connection
from django.utils.translation import ngettext

from sangathan.core import clock
from sangathan.core.errors import DomainError

KEY_MAX_LENGTH = 200


@dataclass(frozen=True)
class Limit:
    hits: int
    seconds: int


# Defaults; see the module docstring for changing them.
LIMITS: dict[str, Limit] = {
    # Failed logins from one address, whatever the numbers tried (axes limits each number separately).
    "login.ip": Limit(20, 15 * 60),
    # Codes typed on the "set password" page from one address (each code also allows only a few tries).
    "password_code.ip": Limit(20, 60 * 60),
    # The complainant's status page and API, and the confirmation.
    "status.ip": Limit(10, 10 * 60),
    # The public "who sits today" pages.
    "today.ip": Limit(60, 10 * 60),
    # "Already registered" answers (mobile, voter ID, membership number) given to one actor.
    "duplicate.actor": Limit(20, 60 * 60),
}


class RateLimited(DomainError):
    """Over a limit: the web answers 429 with this message, the API 429 with ``code: "rate_limited"``."""

    def __init__(self, retry_after: int):
        minutes = max(1, math.ceil(retry_after / 60))
        super().__init__(ngettext("Too many attempts. Please try again after %(minutes)d minute.",
                                  "Too many attempts. Please try again after %(minutes)d minutes.",
                                  minutes) % {"minutes": minutes}, code="rate_limited")
        self.retry_after = retry_after


def _configured() -> dict[str, Limit]:
    configured = dict(LIMITS)
    spec = os.environ.get("SANGATHAN_RATE_LIMITS", "")
    for item in filter(None, (part.strip() for part in spec.split(","))):
        name, _, value = item.partition("=")
        hits, _, seconds = value.partition("/")
        configured[name.strip()] = Limit(int(hits), int(seconds))
    for name, value in getattr(settings, "SANGATHAN_RATE_LIMITS", {}).items():
        configured[name] = value if isinstance(value, Limit) else Limit(*value)
    return configured


def limit_for(name: str) -> Limit:
    return _configured()[name]


def _window(limit: Limit) -> tuple[int, int]:
    """(start of the current window in epoch seconds, seconds until it ends)."""
    now = int(clock.now().timestamp())
    start = now - now % limit.seconds
    return start, start + limit.seconds - now


def _key(name: str, key: str) -> str:
    full = f"{name}:{key}"
    if len(full) > KEY_MAX_LENGTH:
        full = f"{name}:sha256:{hashlib.sha256(key.encode()).hexdigest()}"
    return full


def _use_cache() -> bool:
    return getattr(settings, "SANGATHAN_RATE_LIMIT_STORE", "db") == "cache"


UPSERT = ('INSERT INTO core_ratecounter ("key", window_start, hits, expires_at) VALUES (%s, %s, 1, %s) '
          'ON CONFLICT ("key", window_start) DO UPDATE SET hits = core_ratecounter.hits + 1 RETURNING hits')


def _count(key: str, start: int, seconds: int) -> int:
    if _use_cache():
        from django.core.cache import cache  # noqa: PLC0415 — only with the cache store

        cache_key = f"sangathan:rl:{key}:{start}"
        cache.add(cache_key, 0, timeout=seconds + 5)
        try:
            return cache.incr(cache_key)
        except ValueError:  # expired between add and incr
            cache.add(cache_key, 1, timeout=seconds + 5)
            return 1
    # The row is of no use once its window has ended.
    expires = connection.ops.adapt_datetimefield_value(datetime.fromtimestamp(start + seconds, tz=UTC))
    with connection.cursor() as cursor:
        cursor.execute(UPSERT, [key, start, expires])
        return cursor.fetchone()[0]


def _peek(key: str, start: int) -> int:
    if _use_cache():
        from django.core.cache import cache  # noqa: PLC0415

        return cache.get(f"sangathan:rl:{key}:{start}") or 0
    from sangathan.core.models import RateCounter  # noqa: PLC0415 — models load after apps

    return RateCounter.objects.filter(key=key, window_start=start).values_list("hits", flat=True).first() or 0


def hit(name: str, key: str) -> bool:
    """Count one hit of ``key`` under the limit ``name``; False when this hit is over the limit."""
    limit = limit_for(name)
    start, _left = _window(limit)
    return _count(_key(name, key), start, limit.seconds) <= limit.hits


def exceeded(name: str, key: str) -> bool:
    """Whether ``key`` has used up the limit in this window (counts nothing)."""
    limit = limit_for(name)
    start, _left = _window(limit)
    return _peek(_key(name, key), start) >= limit.hits


def retry_after(name: str) -> int:
    """Seconds until the current window of ``name`` ends."""
    return _window(limit_for(name))[1]


def require(name: str, key: str) -> None:
    """``hit`` and raise ``RateLimited`` when over the limit."""
    if not hit(name, key):
        raise RateLimited(retry_after(name))


def request_limited(name: str, request) -> RateLimited | None:
    """Count one hit of the request's client address under ``name``; the error to answer when over it."""
    if hit(name, client_ip(request) or "-"):
        return None
    return RateLimited(retry_after(name))


def require_not_exceeded(name: str, key: str) -> None:
    """Raise ``RateLimited`` when the limit is used up, without counting."""
    if exceeded(name, key):
        raise RateLimited(retry_after(name))


def prune(*, before=None) -> int:
    """Delete database windows that ended before ``before`` (default now); the number deleted."""
    from sangathan.core.models import RateCounter  # noqa: PLC0415

    deleted, _ = RateCounter.objects.filter(expires_at__lt=before or clock.now()).delete()
    return deleted


def _valid(address: str) -> str | None:
    try:
        return str(ipaddress.ip_address(address.strip()))
    except ValueError:
        return None


def trusted_proxies() -> int:
    return max(0, int(getattr(settings, "SANGATHAN_TRUSTED_PROXIES", 0)))


def client_ip(request) -> str | None:
    """The client's address (see the module docstring); None without a request."""
    if request is None:
        return None
    remote = request.META.get("REMOTE_ADDR") or None
    proxies = trusted_proxies()
    if proxies:
        hops = [hop.strip() for hop in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",") if hop.strip()]
        if len(hops) >= proxies:
            return _valid(hops[-proxies]) or remote
    return remote
