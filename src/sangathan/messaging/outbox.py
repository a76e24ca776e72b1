"""The outbox worker: claim due messages, send them through their providers, record what happened.

``outbox_drain`` does one batch in three steps:

1. Claim (one short transaction). Due rows (queued, ``send_at`` and ``next_attempt_at`` passed) are
   locked with ``SELECT … FOR UPDATE SKIP LOCKED`` on PostgreSQL, so workers running side by side each get
   different rows. On SQLite the transaction is BEGIN IMMEDIATE (settings), which makes it the only writer
   until it commits: claims are serialized and the same effect follows. Expired rows become ``expired``;
   rows under quiet hours or the election silence stay queued with ``next_attempt_at`` at the end of the
   hold; rows beyond their provider's rate limit wait for the next tokens; the rest become ``sending``.
2. Send, outside any transaction, so a slow gateway holds no locks.
3. Record each outcome: sent; a transient error → queued again after a capped exponential backoff (or the
   provider's Retry-After); a permanent error or the last attempt → failed with the reason.

A worker that dies between 1 and 3 leaves rows ``sending``; after ``SANGATHAN_MESSAGING_STALE_SENDING``
seconds they are queued again (messages go at least once, and the provider's id dedups the rare repeat).
"""

import logging
import time
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from django.db import connection, transaction
from django.db.models import F, Q
from django.utils import timezone

from sangathan.messaging import holds
from sangathan.messaging.conf import setting
from sangathan.messaging.models import Broadcast, BroadcastStatus, Message, MessageStatus
from sangathan.messaging.providers import PermanentError, ProviderError, TransientError, provider_for
from sangathan.messaging.ratelimit import provider_rate, tokens_take

logger = logging.getLogger(__name__)


@dataclass
class DrainResult:
    claimed: int = 0
    sent: int = 0
    retried: int = 0
    failed: int = 0
    expired: int = 0
    held: int = 0
    rate_limited: int = 0
    errors: list[str] = field(default_factory=list)

    def __add__(self, other: "DrainResult") -> "DrainResult":
        return DrainResult(
            self.claimed + other.claimed, self.sent + other.sent, self.retried + other.retried,
            self.failed + other.failed, self.expired + other.expired, self.held + other.held,
            self.rate_limited + other.rate_limited, self.errors + other.errors,
        )


def backoff_seconds(attempts: int) -> float:
    """Wait before retry number ``attempts`` (1, 2, …): base, 2×base, 4×base … up to the cap."""
    base = setting("SANGATHAN_MESSAGING_BACKOFF_BASE")
    return min(setting("SANGATHAN_MESSAGING_BACKOFF_CAP"), base * 2 ** max(0, attempts - 1))


STOPPED_BROADCASTS = (BroadcastStatus.PAUSED, BroadcastStatus.CANCELLED)


def _due(now: datetime):
    # Messages of a paused or cancelled broadcast wait where they are: pausing a million-message broadcast
    # is one row's change, not a million.
    stopped = Broadcast.objects.filter(status__in=STOPPED_BROADCASTS).values("id")
    return Message.objects.filter(status=MessageStatus.QUEUED, send_at__lte=now).filter(
        Q(next_attempt_at__isnull=True) | Q(next_attempt_at__lte=now)
    ).filter(Q(broadcast__isnull=True) | ~Q(broadcast__in=stopped))


def _requeue_stale(now: datetime) -> None:
    cutoff = now - timedelta(seconds=setting("SANGATHAN_MESSAGING_STALE_SENDING"))
    Message.objects.filter(status=MessageStatus.SENDING, updated_at__lt=cutoff).update(
        status=MessageStatus.QUEUED, next_attempt_at=None, updated_at=now
    )


def _claim(*, batch_size: int, now: datetime, worker_id: str, result: DrainResult) -> list[Message]:
    with transaction.atomic():
        _requeue_stale(now)
        query = _due(now).order_by("-urgent", "send_at", "id")
        if connection.features.has_select_for_update_skip_locked:
            query = query.select_for_update(skip_locked=True, of=("self",))
        candidates = list(query[:batch_size])
        if not candidates:
            return []
        result.claimed += len(candidates)

        windows = holds.silence_windows()
        sendable: dict[str, list[Message]] = defaultdict(list)
        providers = {}
        for message in candidates:
            if message.expires_at is not None and message.expires_at <= now:
                _update(message, status=MessageStatus.EXPIRED, last_error="expired before it could be sent")
                result.expired += 1
                continue
            until = holds.hold_until(message, now, windows=windows)
            if until is not None:
                _update(message, next_attempt_at=until)
                result.held += 1
                continue
            provider = providers.setdefault(message.channel, provider_for(message.channel))
            sendable[provider.name].append(message)

        claimed: list[Message] = []
        for name, messages in sendable.items():
            granted = tokens_take(provider=name, wanted=len(messages), now=now)
            rate = provider_rate(name)
            for position, message in enumerate(messages[granted:], start=1):
                # Spread the waiting ones over the seconds the bucket needs to refill.
                _update(message, next_attempt_at=now + timedelta(seconds=position / rate))
                result.rate_limited += 1
            for message in messages[:granted]:
                _update(message, status=MessageStatus.SENDING, provider=name, attempts=F("attempts") + 1,
                        last_error="")
                message.attempts += 1
                message.provider = name
                claimed.append(message)
        if worker_id and claimed:
            logger.debug("worker %s claimed %d messages", worker_id, len(claimed))
        return claimed


def _update(message: Message, **values) -> int:
    values.setdefault("updated_at", timezone.now())
    return Message.objects.filter(pk=message.pk).update(**values)


def _record(message: Message, *, error: ProviderError | None, provider_message_id: str, now: datetime,
            result: DrainResult) -> None:
    sending = Message.objects.filter(pk=message.pk, status=MessageStatus.SENDING)
    if error is None:
        sending.update(status=MessageStatus.SENT, provider_message_id=provider_message_id, sent_at=timezone.now(),
                       next_attempt_at=None, updated_at=timezone.now())
        result.sent += 1
        return
    reason = error.reason
    retry = isinstance(error, TransientError) and message.attempts < setting("SANGATHAN_MESSAGING_MAX_ATTEMPTS")
    if retry:
        delay = backoff_seconds(message.attempts)
        if error.retry_after is not None:
            delay = min(max(delay, error.retry_after), setting("SANGATHAN_MESSAGING_BACKOFF_CAP"))
        sending.update(status=MessageStatus.QUEUED, next_attempt_at=now + timedelta(seconds=delay),
                       last_error=reason, updated_at=timezone.now())
        result.retried += 1
    else:
        if isinstance(error, TransientError):
            reason = f"gave up after {message.attempts} attempts: {reason}"
        sending.update(status=MessageStatus.FAILED, last_error=reason[:1000], updated_at=timezone.now())
        result.failed += 1
    result.errors.append(f"{message.pk}: {reason}")


def outbox_drain(*, batch_size: int = 100, now: datetime | None = None, worker_id: str = "") -> DrainResult:
    """Claim, send and record one batch of due messages. ``now`` is the clock (tests pass it).

    Takes no scope: this is the system delivering what actions already queued (each in its own
    transaction, with its own history row); there is no actor and nothing to permit.
    """
    now = now or timezone.now()
    result = DrainResult()
    claimed = _claim(batch_size=batch_size, now=now, worker_id=worker_id, result=result)
    for message in claimed:
        try:
            outcome = provider_for(message.channel).send(message)
        except ProviderError as error:
            _record(message, error=error, provider_message_id="", now=now, result=result)
        except Exception as error:  # noqa: BLE001 — a provider bug must not strand the batch in "sending"
            logger.exception("provider %s crashed on message %s", message.provider, message.pk)
            _record(message, error=PermanentError(f"provider error: {error!r}"), provider_message_id="",
                    now=now, result=result)
        else:
            _record(message, error=None, provider_message_id=outcome.provider_message_id, now=now, result=result)
    return result


def outbox_drain_for(*, seconds: float, batch_size: int = 100, worker_id: str = "",
                     idle_sleep: float = 1.0) -> DrainResult:
    """Drain repeatedly for about ``seconds``, pausing ``idle_sleep`` when nothing is due.

    The periodic task runs this every minute for ~50 s, so messages leave within about a second of
    becoming due although Huey's schedule is per minute.
    """
    deadline = time.monotonic() + seconds
    total = DrainResult()
    while time.monotonic() < deadline:
        batch = outbox_drain(batch_size=batch_size, worker_id=worker_id)
        total = total + DrainResult(**{**batch.__dict__, "errors": []})
        if batch.claimed == 0 or (batch.sent + batch.retried + batch.failed) == 0:
            time.sleep(idle_sleep)
    return total
