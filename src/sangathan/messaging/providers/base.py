"""The provider interface: ``send(message) -> ProviderResult`` or one of two errors.

A ``TransientError`` (gateway 5xx, timeout, rate limited) is retried with backoff; a ``PermanentError``
(the gateway refused this message: bad number, unregistered template) fails the message with the reason.
"""

import hashlib
from abc import ABC, abstractmethod
from dataclasses import dataclass


def idempotency_header(message) -> str:
    """The message's idempotency key as an HTTP header value (a hash when it is not plain ASCII)."""
    key = message.idempotency_key
    if key.isascii() and key.isprintable():
        return key
    return "sha256:" + hashlib.sha256(key.encode()).hexdigest()


@dataclass(frozen=True)
class ProviderResult:
    provider_message_id: str
    status: str = "sent"


class ProviderError(Exception):
    def __init__(self, reason: str):
        super().__init__(reason)
        self.reason = reason[:1000]


class TransientError(ProviderError):
    """Try again later; ``retry_after`` (seconds) when the provider said how long to wait."""

    def __init__(self, reason: str, *, retry_after: float | None = None):
        super().__init__(reason)
        self.retry_after = retry_after


class PermanentError(ProviderError):
    """Sending this message again will fail again."""


class Provider(ABC):
    #: Stored on the message and the key of the rate limit (``SANGATHAN_MESSAGING_RATE_LIMITS``).
    name = ""

    @abstractmethod
    def send(self, message) -> ProviderResult:
        """Hand the message over; raise TransientError or PermanentError when the provider refuses it."""
