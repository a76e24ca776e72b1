"""A small JSON/form POST over urllib with a timeout, mapping HTTP failures onto provider errors."""

import json
import urllib.error
import urllib.parse
import urllib.request
from email.utils import parsedate_to_datetime

from django.utils import timezone

from sangathan.messaging.providers.base import PermanentError, TransientError


def _retry_after(value: str | None) -> float | None:
    if not value:
        return None
    try:
        return max(0.0, float(value))
    except ValueError:
        pass
    try:
        return max(0.0, (parsedate_to_datetime(value) - timezone.now()).total_seconds())
    except (TypeError, ValueError):
        return None


def post(url: str, *, payload: dict, headers: dict, timeout: float, encoding: str = "json") -> dict:
    """POST ``payload`` and return the decoded JSON answer ({} when it is not JSON).

    429 and 5xx raise TransientError (429 with the Retry-After it sent), other 4xx PermanentError with the
    provider's text, a timeout or a refused connection TransientError.
    """
    if not url.startswith(("https://", "http://")):
        raise PermanentError(f"provider URL is not http(s): {url!r}")
    if encoding == "form":
        data = urllib.parse.urlencode(payload).encode()
        content_type = "application/x-www-form-urlencoded"
    else:
        data = json.dumps(payload, ensure_ascii=False).encode()
        content_type = "application/json"
    request = urllib.request.Request(  # noqa: S310 — the scheme is checked above
        url, data=data, method="POST", headers={"Content-Type": content_type, "Accept": "application/json", **headers}
    )
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:  # noqa: S310
            raw = response.read()
    except urllib.error.HTTPError as error:
        detail = error.read()[:500].decode("utf-8", "replace")
        reason = f"HTTP {error.code}: {detail}".strip()
        if error.code == 429:
            raise TransientError(reason, retry_after=_retry_after(error.headers.get("Retry-After"))) from None
        if error.code >= 500 or error.code == 408:
            raise TransientError(reason) from None
        raise PermanentError(reason) from None
    except TimeoutError:
        raise TransientError("timed out") from None
    except urllib.error.URLError as error:
        raise TransientError(f"connection failed: {error.reason}") from None
    except OSError as error:
        raise TransientError(f"connection failed: {error}") from None
    try:
        answer = json.loads(raw or b"{}")
    except ValueError:
        return {}
    return answer if isinstance(answer, dict) else {"data": answer}


def dig(data, path: str):
    """``dig({"data": [{"id": 5}]}, "data.0.id") == 5``; None when the path is not there."""
    for part in path.split("."):
        if isinstance(data, list) and part.isdigit() and int(part) < len(data):
            data = data[int(part)]
        elif isinstance(data, dict) and part in data:
            data = data[part]
        else:
            return None
    return data
