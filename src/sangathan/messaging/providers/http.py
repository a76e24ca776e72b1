"""A small JSON/form POST with a timeout over a kept-alive connection, mapping HTTP failures onto provider
errors."""

import http.client
import json
import socket
import threading
import urllib.parse
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


class _NoDelay:
    """Requests go out without waiting for the previous segment's acknowledgement (TCP_NODELAY): on a
    kept-alive connection Nagle's algorithm and delayed ACKs would otherwise add ~40 ms to some requests."""

    def connect(self):
        super().connect()
        self.sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)


class _HTTPConnection(_NoDelay, http.client.HTTPConnection):
    pass


class _HTTPSConnection(_NoDelay, http.client.HTTPSConnection):
    pass


class _Connections(threading.local):
    """Open connections of this thread, one per (scheme, host, port): the gateway is asked over a kept-alive
    connection instead of a new TCP (and TLS) handshake per message. Thread-local because the drain may run
    in several threads and an ``HTTPConnection`` is not thread-safe."""

    def __init__(self):
        self.open: dict[tuple[str, str, int | None], http.client.HTTPConnection] = {}

    def get(self, url: urllib.parse.SplitResult, timeout: float) -> tuple[http.client.HTTPConnection, bool]:
        key = (url.scheme, url.hostname or "", url.port)
        connection = self.open.get(key)
        if connection is not None:
            connection.timeout = timeout
            if connection.sock is not None:
                connection.sock.settimeout(timeout)
            return connection, True
        factory = _HTTPSConnection if url.scheme == "https" else _HTTPConnection
        connection = factory(url.hostname, url.port, timeout=timeout)
        self.open[key] = connection
        return connection, False

    def drop(self, url: urllib.parse.SplitResult) -> None:
        connection = self.open.pop((url.scheme, url.hostname or "", url.port), None)
        if connection is not None:
            connection.close()


_connections = _Connections()
# Raised when a kept-alive connection was closed by the server while idle: the request never reached it,
# so it is sent once more on a fresh connection.
_STALE = (http.client.RemoteDisconnected, BrokenPipeError, ConnectionResetError, http.client.CannotSendRequest)


def _exchange(url: urllib.parse.SplitResult, *, data: bytes, headers: dict, timeout: float):
    """POST over this thread's kept-alive connection to the host; (status, headers, body)."""
    target = url.path or "/"
    if url.query:
        target += "?" + url.query
    for attempt in (1, 2):
        connection, reused = _connections.get(url, timeout)
        try:
            connection.request("POST", target, body=data, headers=headers)
            response = connection.getresponse()
            body = response.read()
        except _STALE:
            _connections.drop(url)
            if reused and attempt == 1:
                continue
            raise
        except BaseException:
            # A timeout or any other failure leaves the connection in an unknown state: never reuse it.
            _connections.drop(url)
            raise
        if response.will_close:
            _connections.drop(url)
        return response.status, response.headers, body
    raise AssertionError("unreachable")


def post(url: str, *, payload: dict, headers: dict, timeout: float, encoding: str = "json") -> dict:
    """POST ``payload`` and return the decoded JSON answer ({} when it is not JSON).

    429 and 5xx raise TransientError (429 with the Retry-After it sent), other 4xx PermanentError with the
    provider's text, a timeout or a refused connection TransientError. The connection is kept alive for
    the next message to the same host (HTTP/1.1), one per thread.
    """
    if not url.startswith(("https://", "http://")):
        raise PermanentError(f"provider URL is not http(s): {url!r}")
    if encoding == "form":
        data = urllib.parse.urlencode(payload).encode()
        content_type = "application/x-www-form-urlencoded"
    else:
        data = json.dumps(payload, ensure_ascii=False).encode()
        content_type = "application/json"
    parts = urllib.parse.urlsplit(url)
    headers = {"Content-Type": content_type, "Accept": "application/json", "User-Agent": "sangathan",
               **headers}
    try:
        status, answer_headers, raw = _exchange(parts, data=data, headers=headers, timeout=timeout)
    except TimeoutError:
        raise TransientError("timed out") from None
    except (OSError, http.client.HTTPException) as error:
        raise TransientError(f"connection failed: {error}") from None
    if status >= 400:
        detail = raw[:500].decode("utf-8", "replace")
        reason = f"HTTP {status}: {detail}".strip()
        if status == 429:
            raise TransientError(reason, retry_after=_retry_after(answer_headers.get("Retry-After")))
        if status >= 500 or status == 408:
            raise TransientError(reason)
        raise PermanentError(reason)
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
