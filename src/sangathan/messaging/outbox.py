"""The outbox worker: claim due messages, send them through their providers, record what happened.

``outbox_drain`` does one batch in three steps:

1. Claim (one short transaction). Due rows (queued, ``send_at`` and ``next_attempt_at`` passed) are
   locked with ``SELECT … FOR UPDATE SKIP LOCKED`` on PostgreSQL, so workers running side by side each get
   different rows. On SQLite the transaction is BEGIN IMMEDIATE (settings), which makes it the only writer
   until it commits: claims are serialized and the same effect follows. Expired rows become ``expired``;
   rows under quiet hours or the election silence stay queued with ``next_attempt_at`` at the end of the
   hold; rows beyond their provider's rate limit wait for the next tokens; the rest become ``sending``.
   Each claimed row carries a lease: ``claimed_by`` (this drain's token) and ``leased_until`` (now + the
   lease, ``SANGATHAN_MESSAGING_LEASE_SECONDS``, at most 60 s).
2. Send, outside any transaction, so a slow gateway holds no locks. Just before each send the lease is
   renewed by one conditional UPDATE (``status = sending AND claimed_by = me``): a row whose lease ran out
   and that another drain has since queued again or sent is skipped, never sent a second time by us.
   The provider gets the message's idempotency key (header ``Idempotency-Key``, and the configured
   reference field), so a gateway that dedups never delivers a repeat either.
3. Record each outcome, again only while the row is still ours: sent; a transient error → queued again
   after a capped exponential backoff (or the provider's Retry-After); a permanent error or the last
   attempt → failed with the reason.

A worker killed between 1 and 3 leaves rows ``sending`` with a lease that is no longer renewed; the first
drain after it expires (within a minute) queues them again and sends them. Messages go at least once; the
one in flight at the kill may reach the gateway twice, with the same idempotency key.
"""

import logging
import secrets
import time
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from django.db import connection, transaction
from django.db.models import F, Q

from sangathan.core import clock
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
    lost: int = 0  # claimed, but the lease ran out and another drain took the row before we sent it

    def __add__(self, other: "DrainResult") -> "DrainResult":
        return DrainResult(
            self.claimed + other.claimed, self.sent + other.sent, self.retried + other.retried,
            self.failed + other.failed, self.expired + other.expired, self.held + other.held,
            self.rate_limited + other.rate_limited, self.errors + other.errors, self.lost + other.lost,
        )


LEASE_MAX = 60.0


def lease_seconds() -> float:
    """How long a claim holds without renewal (at most a minute, so a dead worker's rows come back soon)."""
    return min(LEASE_MAX, float(setting("SANGATHAN_MESSAGING_LEASE_SECONDS")))


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
    """Queue again the rows whose lease has run out (rows claimed before leases existed: by age)."""
    cutoff = now - timedelta(seconds=setting("SANGATHAN_MESSAGING_STALE_SENDING"))
    expired = Q(leased_until__lt=now) | Q(leased_until__isnull=True, updated_at__lt=cutoff)
    Message.objects.filter(expired, status=MessageStatus.SENDING).update(
        status=MessageStatus.QUEUED, next_attempt_at=None, claimed_by="", leased_until=None, updated_at=now
    )


def _claim(*, batch_size: int, now: datetime, token: str, result: DrainResult) -> list[Message]:
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
            lease = now + timedelta(seconds=lease_seconds())
            for message in messages[:granted]:
                _update(message, status=MessageStatus.SENDING, provider=name, attempts=F("attempts") + 1,
                        last_error="", claimed_by=token, leased_until=lease)
                message.attempts += 1
                message.provider = name
                claimed.append(message)
        if claimed:
            logger.debug("drain %s claimed %d messages", token, len(claimed))
        return claimed


def _update(message: Message, **values) -> int:
    values.setdefault("updated_at", clock.now())
    return Message.objects.filter(pk=message.pk).update(**values)


def _mine(message: Message, token: str):
    return Message.objects.filter(pk=message.pk, status=MessageStatus.SENDING, claimed_by=token)


def _renew(message: Message, *, token: str, now: datetime) -> bool:
    """Extend our lease just before sending; False when the row is no longer ours (our lease ran out and
    another drain queued it again or sent it): then it must not be sent."""
    return _mine(message, token).update(leased_until=now + timedelta(seconds=lease_seconds()), updated_at=now) == 1


def _record(message: Message, *, token: str, error: ProviderError | None, provider_message_id: str,
            now: datetime, result: DrainResult) -> None:
    sending = _mine(message, token)
    released = {"claimed_by": "", "leased_until": None, "updated_at": clock.now()}
    if error is None:
        sending.update(status=MessageStatus.SENT, provider_message_id=provider_message_id, sent_at=clock.now(),
                       next_attempt_at=None, **released)
        result.sent += 1
        return
    reason = error.reason
    retry = isinstance(error, TransientError) and message.attempts < setting("SANGATHAN_MESSAGING_MAX_ATTEMPTS")
    if retry:
        delay = backoff_seconds(message.attempts)
        if error.retry_after is not None:
            delay = min(max(delay, error.retry_after), setting("SANGATHAN_MESSAGING_BACKOFF_CAP"))
        sending.update(status=MessageStatus.QUEUED, next_attempt_at=now + timedelta(seconds=delay),
                       last_error=reason, **released)
        result.retried += 1
    else:
        if isinstance(error, TransientError):
            reason = f"gave up after {message.attempts} attempts: {reason}"
        sending.update(status=MessageStatus.FAILED, last_error=reason[:1000], **released)
        result.failed += 1
    result.errors.append(f"{message.pk}: {reason}")


def outbox_drain(*, batch_size: int = 100, now: datetime | None = None, worker_id: str = "") -> DrainResult:
    """Claim, send and record one batch of due messages. ``now`` is the clock (tests pass it).

    Takes no scope: this is the system delivering what actions already queued (each in its own
    transaction, with its own history row); there is no actor and nothing to permit.
    """
    now = now or clock.now()
    started = time.monotonic()
    token = f"{worker_id or 'drain'}:{secrets.token_hex(8)}"[-64:]
    result = DrainResult()
    claimed = _claim(batch_size=batch_size, now=now, token=token, result=result)
    for message in claimed:
        # The lease is renewed from the batch's clock moved on by the time spent sending so far.
        send_claimed(message, token=token, now=now, result=result,
                     renew_at=now + timedelta(seconds=time.monotonic() - started))
    return result


def send_claimed(message: Message, *, token: str, now: datetime, result: DrainResult,
                 renew_at: datetime | None = None) -> None:
    """Send one message claimed by the drain ``token``: renew the lease from ``renew_at`` (default ``now``;
    skip the message when it is no longer ours), hand it to its provider, record the outcome (retries are
    timed from ``now``, the batch's clock)."""
    if not _renew(message, token=token, now=renew_at or now):
        result.lost += 1
        return
    record = {"token": token, "now": now, "result": result}
    try:
        outcome = provider_for(message.channel).send(message)
    except ProviderError as error:
        _record(message, error=error, provider_message_id="", **record)
    except Exception as error:  # noqa: BLE001 — a provider bug must not strand the batch in "sending"
        logger.exception("provider %s crashed on message %s", message.provider, message.pk)
        _record(message, error=PermanentError(f"provider error: {error!r}"), provider_message_id="", **record)
    else:
        _record(message, error=None, provider_message_id=outcome.provider_message_id, **record)


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
