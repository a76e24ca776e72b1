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
2. Send, outside any transaction, so a slow gateway holds no locks. A message is sent only while at least
   half of our lease on it is left (by the batch's clock, so a lease is never trusted to its last second);
   otherwise the leases of all the batch's messages still to send are first renewed by one conditional
   UPDATE (``status = sending AND claimed_by = me``): a row whose lease ran out and that another drain has
   since queued again or sent is skipped, never sent a second time by us.
   The provider gets the message's idempotency key (header ``Idempotency-Key``, and the configured
   reference field), so a gateway that dedups never delivers a repeat either.
3. Record the outcomes of each run of ``RECORD_BATCH`` sends together, again only for rows still ours: the
   sent ones in one UPDATE; a transient error → queued again after a capped exponential backoff (or the
   provider's Retry-After); a permanent error or the last attempt → failed with the reason.

A worker killed between 1 and 3 leaves rows ``sending`` with a lease that is no longer renewed; the first
drain after it expires (within a minute) queues them again and sends them. Messages go at least once; the
ones of the run under way at the kill (sent but not yet recorded: at most ``RECORD_BATCH``, the last
fraction of a second's worth) may reach the gateway twice, with the same idempotency key.
"""

import logging
import secrets
import time
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from django.db import connection, transaction
from django.db.models import Case, CharField, F, Q, Value, When

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
        expired: list[int] = []
        held: dict[datetime, list[int]] = defaultdict(list)
        for message in candidates:
            if message.expires_at is not None and message.expires_at <= now:
                expired.append(message.pk)
                continue
            until = holds.hold_until(message, now, windows=windows)
            if until is not None:
                held[until].append(message.pk)
                continue
            provider = providers.setdefault(message.channel, provider_for(message.channel))
            sendable[provider.name].append(message)
        # One UPDATE per kind of outcome, not one per row.
        _update_many(expired, status=MessageStatus.EXPIRED, last_error="expired before it could be sent")
        result.expired += len(expired)
        for until, ids in held.items():
            _update_many(ids, next_attempt_at=until)
            result.held += len(ids)

        claimed: list[Message] = []
        for name, messages in sendable.items():
            granted = tokens_take(provider=name, wanted=len(messages), now=now)
            rate = provider_rate(name)
            waiting = messages[granted:]
            if waiting:
                # Spread the waiting ones over the seconds the bucket needs to refill.
                _update_each({m.pk: now + timedelta(seconds=position / rate)
                              for position, m in enumerate(waiting, start=1)}, field_name="next_attempt_at")
                result.rate_limited += len(waiting)
            lease = now + timedelta(seconds=lease_seconds())
            _update_many([m.pk for m in messages[:granted]], status=MessageStatus.SENDING, provider=name,
                         attempts=F("attempts") + 1, last_error="", claimed_by=token, leased_until=lease)
            for message in messages[:granted]:
                message.attempts += 1
                message.provider = name
                message.claimed_by, message.leased_until = token, lease
                claimed.append(message)
        if claimed:
            logger.debug("drain %s claimed %d messages", token, len(claimed))
        return claimed


def _update_many(ids: list[int], **values) -> int:
    if not ids:
        return 0
    values.setdefault("updated_at", clock.now())
    return Message.objects.filter(pk__in=ids).update(**values)


def _update_each(values_by_id: dict, *, field_name: str) -> int:
    """Give each row its own value of ``field_name`` in one UPDATE."""
    cases = [When(pk=pk, then=Value(value)) for pk, value in values_by_id.items()]
    output = Message._meta.get_field(field_name)
    return Message.objects.filter(pk__in=list(values_by_id)).update(
        **{field_name: Case(*cases, output_field=output)}, updated_at=clock.now())


def _mine(ids, token: str):
    return Message.objects.filter(pk__in=list(ids), status=MessageStatus.SENDING, claimed_by=token)


def _renew(messages: list[Message], *, token: str, now: datetime) -> set[int]:
    """Extend our lease on ``messages`` in one UPDATE just before sending them; returns the ids still ours.
    A row whose lease ran out and that another drain has since queued again or sent is not: it must not be
    sent. (The second query runs only when some row was lost; rows renewed are ours for a whole lease.)"""
    ids = [m.pk for m in messages]
    renewed = _mine(ids, token).update(leased_until=now + timedelta(seconds=lease_seconds()), updated_at=now)
    if renewed == len(ids):
        return set(ids)
    return set(_mine(ids, token).values_list("pk", flat=True)) if renewed else set()


@dataclass
class _Outcome:
    message: Message
    error: ProviderError | None = None
    provider_message_id: str = ""


def _record(outcomes: list[_Outcome], *, token: str, now: datetime, result: DrainResult) -> None:
    """Write what happened to a run of sends, still only to rows that are ours: the sent ones in one
    statement; a transient error → queued again after a capped exponential backoff (or the provider's
    Retry-After); a permanent error or the last attempt → failed with the reason (few: one row each)."""
    at = clock.now()
    released = {"claimed_by": "", "leased_until": None, "updated_at": at}
    sent = {o.message.pk: o.provider_message_id for o in outcomes if o.error is None}
    if sent:
        _record_sent(sent, token=token, at=at)
        result.sent += len(sent)
    for outcome in outcomes:
        error, message = outcome.error, outcome.message
        if error is None:
            continue
        sending = _mine([message.pk], token)
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


def _record_sent(sent: dict[int, str], *, token: str, at: datetime) -> None:
    if connection.vendor == "postgresql":
        # The provider's ids as two arrays: one short statement whatever the batch's size.
        with connection.cursor() as cursor:
            cursor.execute(
                "UPDATE messaging_message m SET status = %s, provider_message_id = v.provider_id, sent_at = %s, "
                "next_attempt_at = NULL, claimed_by = '', leased_until = NULL, updated_at = %s "
                "FROM unnest(%s::bigint[], %s::varchar[]) AS v(id, provider_id) "
                "WHERE m.id = v.id AND m.status = %s AND m.claimed_by = %s",
                [MessageStatus.SENT, at, at, list(sent), list(sent.values()), MessageStatus.SENDING, token])
        return
    cases = [When(pk=pk, then=Value(provider_id)) for pk, provider_id in sent.items()]
    _mine(sent, token).update(status=MessageStatus.SENT, sent_at=at, next_attempt_at=None, claimed_by="",
                              leased_until=None, updated_at=at,
                              provider_message_id=Case(*cases, output_field=CharField()))


# How many sends are recorded together. A drain killed mid-run leaves at most this many messages sent but
# not recorded; the next drain posts them again with the same idempotency key (see the module's text).
RECORD_BATCH = 50


def outbox_drain(*, batch_size: int = 100, now: datetime | None = None, worker_id: str = "") -> DrainResult:
    """Claim, send and record one batch of due messages. ``now`` is the clock (tests pass it).

    Takes no scope: this is the system delivering what actions already queued (each in its own
    transaction, with its own history row); there is no actor and nothing to permit.
    """
    now = now or clock.now()
    token = f"{worker_id or 'drain'}:{secrets.token_hex(8)}"[-64:]
    result = DrainResult()
    claimed = _claim(batch_size=batch_size, now=now, token=token, result=result)
    send_claimed_many(claimed, token=token, now=now, result=result)
    return result


def send_claimed_many(messages: list[Message], *, token: str, now: datetime, result: DrainResult) -> None:
    """Send messages claimed by the drain ``token`` and record the outcomes in runs of ``RECORD_BATCH``.

    A message is sent only while our lease on it has at least half a lease left by the batch's clock
    (``now`` moved on by the time spent so far). When it has not — a slow gateway, or a drain that stalled —
    the lease of every message still to send is renewed first in one conditional UPDATE, and those no
    longer ours (the lease ran out and another drain took the row back) are skipped, never sent."""
    started = time.monotonic()
    margin = timedelta(seconds=lease_seconds() / 2)
    lost: set[int] = set()
    for first in range(0, len(messages), RECORD_BATCH):
        outcomes: list[_Outcome] = []
        try:
            for index in range(first, min(first + RECORD_BATCH, len(messages))):
                message = messages[index]
                at = now + timedelta(seconds=time.monotonic() - started)
                if message.pk not in lost and (message.leased_until is None or message.leased_until - margin < at):
                    rest = [m for m in messages[index:] if m.pk not in lost]
                    ours = _renew(rest, token=token, now=at)
                    for other in rest:
                        other.leased_until = at + timedelta(seconds=lease_seconds()) if other.pk in ours else None
                    lost.update(m.pk for m in rest if m.pk not in ours)
                if message.pk in lost:
                    result.lost += 1
                    continue
                outcomes.append(_send_one(message))
        finally:
            # Also when something unexpected was raised: what went out is recorded.
            _record(outcomes, token=token, now=now, result=result)


def _send_one(message: Message) -> _Outcome:
    try:
        outcome = provider_for(message.channel).send(message)
    except ProviderError as error:
        return _Outcome(message, error=error)
    except Exception as error:  # noqa: BLE001 — a provider bug must not strand the batch in "sending"
        logger.exception("provider %s crashed on message %s", message.provider, message.pk)
        return _Outcome(message, error=PermanentError(f"provider error: {error!r}"))
    return _Outcome(message, provider_message_id=outcome.provider_message_id)


def send_claimed(message: Message, *, token: str, now: datetime, result: DrainResult) -> None:
    """Send one message claimed by the drain ``token`` (``send_claimed_many`` of one): renew its lease from
    ``now`` if less than half of it is left (skip it when it is no longer ours), hand it to its provider,
    record the outcome."""
    send_claimed_many([message], token=token, now=now, result=result)


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
