"""How fast a broadcast to a whole state is queued, and how fast the outbox drains (PostgreSQL only).

On the loaded demo (≥ ``min_people`` people), in one run:

* baseline: one hand-written ``INSERT … SELECT`` of the same rows (one SMS per active person of the state,
  the name put into the text by ``REPLACE``, the same idempotency keys) into ``bench_message_copy``, a
  scratch table made with ``CREATE TABLE … (LIKE messaging_message INCLUDING ALL)``: same columns, same
  indexes, no foreign keys;
* preview: ``broadcast_preview`` (the grouped count the compose page and ``broadcast_send`` run);
* fan-out: ``broadcast_send`` of a draft broadcast to the state, with Huey immediate so the fan-out task
  runs in this process: preview, audit row, then the batched ``INSERT … SELECT`` into the outbox;
* counts: ``broadcast_counts``, the grouped query behind the progress page and its JSON;
* drain: ``outbox_drain`` in two threads through the console provider (provider rate limit lifted: the
  default caps the console provider at 1,000/s): ``DRAIN_SAMPLE`` messages with the whole broadcast queued
  (the claim walks the partial index ``messaging_msg_claim``, so the backlog's size does not slow it);
* pause and cancel of the million-message broadcast, timed: both change one row in the request (the worker
  skips a stopped broadcast's messages; cancelled ones are marked in batches by a task, run here inline).

Everything it wrote (messages, broadcast, template, audit row, scratch table, console log lines) is removed
at the end, so the database can be reused.

``SANGATHAN_BENCH_UNIT=CODE`` sends the broadcast to that unit (e.g. a division) instead of the state: at 15M
members a state-wide run writes 15 million outbox rows, and marking them cancelled and removing them afterwards
takes longer than the fan-out itself (about 35 minutes).
"""

import os
import threading
import time
from collections.abc import Callable

from django.conf import settings
from django.core.management.base import CommandError
from django.db import connection, connections
from django.test import TestCase
from django.test.utils import override_settings

from benchmarks import figure
from sangathan.access.models import AuditLog
from sangathan.access.scope import Scope
from sangathan.messaging.broadcasts.actions import (
    broadcast_cancel,
    broadcast_create,
    broadcast_pause,
    broadcast_send,
)
from sangathan.messaging.broadcasts.fanout import CANCEL_BATCH, broadcast_messages_cancel
from sangathan.messaging.broadcasts.selectors import broadcast_counts, broadcast_preview
from sangathan.messaging.conf import setting
from sangathan.messaging.models import Broadcast, Message, MessageKind, Template
from sangathan.messaging.outbox import outbox_drain
from sangathan.messaging.services import template_create
from sangathan.org.models import Unit
from sangathan.people.models import Person

COPY_TABLE = "bench_message_copy"
TEMPLATE_CODE = "bench-fanout"
BODY = "{name} जी, प्रधानमंत्री का संबोधन आज शाम 7 बजे लाइव देखें: {link}"
LINK = "https://live.example/pm"
DRAIN_SAMPLE = 20_000
DRAIN_THREADS = 2
DRAIN_BATCH = 200


def run(*, out: Callable[[str], None], repeat: int, min_people: int, build: bool) -> None:
    if connection.vendor != "postgresql":
        raise CommandError("messaging_fanout measures PostgreSQL: run it with DATABASE_URL=postgres://…")
    people = Person.objects.count()
    if people < min_people:
        raise CommandError(f"messaging_fanout needs at least {min_people:,} people (found {people:,}): load "
                           "`sangathan demo --scale mp --members 1000000` first.")
    audience = _audience_unit()
    out(f"messaging_fanout: {people:,} people; broadcast to {audience.name_en} ({audience.code}), SMS")
    Template.objects.filter(code=TEMPLATE_CODE).delete()
    scope = Scope.system(channel="cli")
    template = template_create(scope=scope, code=TEMPLATE_CODE, name="Benchmark", body_hi=BODY, channels=["sms"],
                               kind=MessageKind.BULK)
    broadcast = None
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT count(*) FROM people_person")  # the same warm cache for both
            baseline_rows, baseline_s = _baseline(cursor, audience.path)
        out(f"  baseline INSERT…SELECT into {COPY_TABLE}: {baseline_rows:,} rows in {baseline_s:.1f} s = "
            f"{baseline_rows / baseline_s:,.0f} rows/s")

        broadcast = broadcast_create(scope=scope, unit_id=audience.pk, template=template, channels=["sms"],
                                     context={"link": LINK})
        started = time.perf_counter()
        preview = broadcast_preview(broadcast)
        out(f"  preview (grouped count of the audience): {time.perf_counter() - started:.2f} s, "
            f"{preview['channels']['sms']['recipients']:,} recipients")

        from huey.contrib.djhuey import HUEY

        immediate, HUEY.immediate = HUEY.immediate, True
        try:
            started = time.perf_counter()
            broadcast_send(scope=scope, broadcast_id=broadcast.pk)
            fanout_s = time.perf_counter() - started
        finally:
            HUEY.immediate = immediate
        broadcast.refresh_from_db()
        queued = Message.objects.filter(broadcast=broadcast).count()
        out(f"  broadcast_send (preview + fan-out in batches): {queued:,} rows in {fanout_s:.1f} s = "
            f"{queued / fanout_s:,.0f} recipients/s; status {broadcast.status}; "
            f"ratio {fanout_s / baseline_s:.2f}x the baseline's time")
        figure("messaging_fanout", f"broadcast fan-out of {queued:,} recipients", queued / fanout_s, "rows/s",
               baseline=baseline_rows / baseline_s, target="≥ 20,000/s", met=queued / fanout_s >= 20_000,
               note="baseline: one raw INSERT … SELECT")
        if queued != baseline_rows:
            out(f"  WARNING: the baseline wrote {baseline_rows:,} rows, the fan-out {queued:,}")

        out(f"  progress counts (one grouped query over {queued:,} messages): {_counts_ms(broadcast):.0f} ms")
        with connection.cursor() as cursor:
            started = time.perf_counter()
            cursor.execute("VACUUM ANALYZE messaging_message")
            out(f"  VACUUM ANALYZE messaging_message: {time.perf_counter() - started:.1f} s; progress counts "
                f"after it (what autovacuum gives a minute later): {_counts_ms(broadcast):.0f} ms")

        sent, drain_s = _drain(DRAIN_SAMPLE)
        out(f"  drain with all {queued:,} queued, {DRAIN_THREADS} worker threads, batches of {DRAIN_BATCH}: "
            f"{sent:,} messages in {drain_s:.1f} s = {sent / drain_s:,.0f} messages/s")
        started = time.perf_counter()
        broadcast_pause(scope=scope, broadcast_id=broadcast.pk)
        out(f"  broadcast_pause: {(time.perf_counter() - started) * 1000:.0f} ms; "
            f"a drain while paused sends {_drain(DRAIN_BATCH)[0]} messages")
        started = time.perf_counter()
        # The task the cancel leaves for after the commit is not queued: the same batches are run inline.
        with TestCase.captureOnCommitCallbacks(execute=False):
            broadcast_cancel(scope=scope, broadcast_id=broadcast.pk)
        request_ms = (time.perf_counter() - started) * 1000
        started = time.perf_counter()
        while broadcast_messages_cancel(broadcast_id=broadcast.pk):
            pass
        out(f"  broadcast_cancel: {request_ms:.0f} ms in the request; the rest marked cancelled in batches of "
            f"{CANCEL_BATCH:,} (the task's work) in {time.perf_counter() - started:.1f} s")
    finally:
        _clean(broadcast, template)
        out("  cleaned up: the broadcast's messages, the broadcast, its template and audit row, the copy table")


def _audience_unit() -> Unit:
    """The state, or the unit named by ``SANGATHAN_BENCH_UNIT``."""
    code = os.environ.get("SANGATHAN_BENCH_UNIT", "").strip()
    if not code:
        return Unit.objects.filter(parent__isnull=True).order_by("path").first()
    unit = Unit.objects.filter(code=code).first()
    if unit is None:
        raise CommandError(f"SANGATHAN_BENCH_UNIT={code!r}: no unit has that code.")
    return unit


def _baseline(cursor, path: str) -> tuple[int, float]:
    cursor.execute(f"DROP TABLE IF EXISTS {COPY_TABLE}")
    cursor.execute(f"CREATE TABLE {COPY_TABLE} (LIKE messaging_message INCLUDING ALL)")
    body = BODY.replace("{link}", LINK)
    started = time.perf_counter()
    cursor.execute(
        f"""
        INSERT INTO {COPY_TABLE} (channel, kind, person_id, to_address, template_id, language, subject, body,
            status, idempotency_key, urgent, send_at, attempts, last_error, provider, provider_message_id,
            unit_path, broadcast_id, context, created_at, updated_at)
        SELECT 'sms', 'bulk', p.id, p.mobile, NULL, 'hi', '', replace(%s, '{{name}}', p.name),
            'queued', 'broadcast:0:' || p.id || ':sms', false, now(), 0, '', '', '',
            p.unit_path, NULL, '{{}}'::jsonb, now(), now()
        FROM people_person p
        WHERE p.unit_path LIKE %s AND p.status = 'active' AND p.mobile <> ''
        """,
        [body, path + "%"],
    )
    rows = cursor.rowcount
    return rows, time.perf_counter() - started


def _counts_ms(broadcast) -> float:
    timings = []
    for _ in range(5):
        started = time.perf_counter()
        broadcast_counts([broadcast.pk])
        timings.append(time.perf_counter() - started)
    return sorted(timings)[2] * 1000


def _drain(sample: int) -> tuple[int, float]:
    limits = {**setting("SANGATHAN_MESSAGING_RATE_LIMITS"), "console": 1e9}
    sent = [0] * DRAIN_THREADS
    lock = threading.Lock()

    def worker(index: int) -> None:
        try:
            while True:
                with lock:
                    if sum(sent) >= sample:
                        return
                result = outbox_drain(batch_size=DRAIN_BATCH, worker_id=f"bench-{index}")
                with lock:
                    sent[index] += result.sent
                if result.claimed == 0:
                    return
        finally:
            connections.close_all()

    with override_settings(SANGATHAN_MESSAGING_RATE_LIMITS=limits, SANGATHAN_MESSAGING_QUIET_HOURS=None,
                           SANGATHAN_ELECTION_SILENCE=[], VAR_DIR=settings.VAR_DIR):
        threads = [threading.Thread(target=worker, args=(i,)) for i in range(DRAIN_THREADS)]
        started = time.perf_counter()
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        elapsed = time.perf_counter() - started
    return sum(sent), elapsed


def _clean(broadcast, template) -> None:
    with connection.cursor() as cursor:
        cursor.execute(f"DROP TABLE IF EXISTS {COPY_TABLE}")
        if broadcast is not None:
            # In SQL: the ORM's delete() would load a million rows to cascade them one by one.
            cursor.execute("DELETE FROM messaging_deliveryevent WHERE message_id IN "
                           "(SELECT id FROM messaging_message WHERE broadcast_id = %s)", [broadcast.pk])
            cursor.execute("DELETE FROM messaging_message WHERE broadcast_id = %s", [broadcast.pk])
    if broadcast is not None:
        AuditLog.objects.filter(target_type="broadcast", target_id=broadcast.pk).delete()
        Broadcast.objects.filter(pk=broadcast.pk).delete()
    Template.objects.filter(pk=template.pk).delete()
    _remove_console_lines()


def _remove_console_lines() -> None:
    """The console provider appended the drained sample to var/messages.log; drop those lines."""
    path = settings.VAR_DIR / "messages.log"
    if path.exists():
        kept = [line for line in path.read_text(encoding="utf-8").splitlines(keepends=True)
                if "प्रधानमंत्री का संबोधन आज शाम 7 बजे" not in line]
        path.write_text("".join(kept), encoding="utf-8")


