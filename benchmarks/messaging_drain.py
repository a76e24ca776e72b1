"""How fast the outbox drains (PostgreSQL only): through the console provider and through a local HTTP SMS
gateway stand-in with connection keep-alive, two worker threads each, as the Huey consumer runs them.

Needs no particular data: it queues its own synthetic messages (urgent, due a day ago, so they come before
anything else queued), and in the same run measures

* drain, console: ``outbox_drain`` in ``THREADS`` threads, batches of ``BATCH``, ``CONSOLE_SAMPLE``
  messages: claim (``FOR UPDATE SKIP LOCKED``), lease renewal and recording of every send, in runs of
  ``outbox.RECORD_BATCH``; baseline: the console provider's ``send`` alone for the same messages in the same
  number of threads, no database (what the drain would reach if its bookkeeping cost nothing);
* drain, HTTP: the same through ``HttpSmsProvider`` to a gateway stand-in in its own process (HTTP/1.1
  keep-alive, answers at once with a message id), ``HTTP_SAMPLE`` messages; baseline: the bare POSTs of
  the same payloads through ``providers.http.post`` in as many threads.

The providers' rate limits are lifted for the run (the defaults cap the console at 1,000/s and the SMS
gateway at 100/s: a real gateway's contract, not the drain's speed). Everything it wrote is removed.
"""

import json
import multiprocessing
import tempfile
import threading
import time
from collections.abc import Callable
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

from django.core.management.base import CommandError
from django.db import connection, connections
from django.test.utils import override_settings

from benchmarks import figure
from sangathan.messaging.conf import setting
from sangathan.messaging.models import Message
from sangathan.messaging.outbox import RECORD_BATCH, outbox_drain
from sangathan.messaging.providers import http
from sangathan.messaging.providers.console import ConsoleProvider

PREFIX = "bench-drain:"
THREADS = 2
BATCH = 200
CONSOLE_SAMPLE = 20_000
HTTP_SAMPLE = 5_000
CONSOLE_TARGET = 2_000.0  # messages/s
HTTP_TARGET = 500.0


def run(*, out: Callable[[str], None], repeat: int, min_people: int, build: bool) -> None:
    if connection.vendor != "postgresql":
        raise CommandError("messaging_drain measures PostgreSQL: run it with DATABASE_URL=postgres://…")
    _clean()
    waiting = Message.objects.filter(status="queued", urgent=True).count()
    out(f"messaging_drain: {THREADS} worker threads, batches of {BATCH}, results recorded in runs of "
        f"{RECORD_BATCH}; {waiting:,} urgent messages already queued (sent first if due before ours)")
    limits = {**setting("SANGATHAN_MESSAGING_RATE_LIMITS"), "console": 1e9, "sms_http": 1e9}
    with tempfile.TemporaryDirectory() as var, override_settings(
            SANGATHAN_MESSAGING_RATE_LIMITS=limits, SANGATHAN_MESSAGING_QUIET_HOURS=None,
            SANGATHAN_ELECTION_SILENCE=[], VAR_DIR=Path(var)):
        try:
            _console(out)
            _http(out)
        finally:
            _clean()
            out("  cleaned up: the benchmark's messages")


def _console(out) -> None:
    _enqueue(CONSOLE_SAMPLE, "console")
    sample = list(Message.objects.filter(idempotency_key__startswith=PREFIX + "console:"))
    with override_settings(SANGATHAN_SMS_PROVIDER="console"):
        sent, seconds = _drain(CONSOLE_SAMPLE)
    provider = ConsoleProvider()
    bare_s = _threads(sample, provider.send)
    rate, bare = sent / seconds, len(sample) / bare_s
    out(f"  drain, console provider: {sent:,} messages in {seconds:.1f} s = {rate:,.0f} messages/s; "
        f"baseline, the provider's send alone: {bare:,.0f}/s ({bare / rate:.1f}x the drain's rate)")
    figure("messaging_drain", "outbox drain, console provider, 2 threads", rate, "msg/s",
           baseline=bare, target=f"≥ {CONSOLE_TARGET:,.0f}/s", met=rate >= CONSOLE_TARGET,
           note="baseline: provider alone")


def _http(out) -> None:
    url, server = _standin()
    config = {**setting("SANGATHAN_SMS_HTTP"), "url": url + "/api/send", "api_key": "bench",
              "sender_id": "SNGTHN", "dlt_entity_id": "1101000000000001"}
    try:
        _enqueue(HTTP_SAMPLE, "http")
        sample = list(Message.objects.filter(idempotency_key__startswith=PREFIX + "http:"))
        with override_settings(SANGATHAN_SMS_PROVIDER="http", SANGATHAN_SMS_HTTP=config):
            sent, seconds = _drain(HTTP_SAMPLE)
            payload = {"to": "919826012345", "message": sample[0].body, "sender": "SNGTHN"}
            bare_s = _threads(sample, lambda m: http.post(config["url"], payload=payload, headers={},
                                                           timeout=10))
    finally:
        server.terminate()
        server.join(5)
    rate, bare = sent / seconds, len(sample) / bare_s
    out(f"  drain, HTTP gateway stand-in (keep-alive): {sent:,} messages in {seconds:.1f} s = {rate:,.0f} "
        f"messages/s; baseline, the bare POSTs: {bare:,.0f}/s ({bare / rate:.1f}x the drain's rate)")
    figure("messaging_drain", "outbox drain, local HTTP gateway, keep-alive, 2 threads", rate, "msg/s",
           baseline=bare, target=f"≥ {HTTP_TARGET:,.0f}/s", met=rate >= HTTP_TARGET,
           note="baseline: bare POSTs")


def _enqueue(count: int, kind: str) -> None:
    """``count`` urgent SMS, due a day ago, written in one statement (the outbox rows the drain will take)."""
    with connection.cursor() as cursor:
        cursor.execute(
            """
            INSERT INTO messaging_message (channel, kind, to_address, language, subject, body, context, status,
                idempotency_key, urgent, send_at, attempts, last_error, provider, provider_message_id,
                claimed_by, unit_path, created_at, updated_at)
            SELECT 'sms', 'transactional', '+9198' || lpad(n::text, 8, '0'), 'hi', '',
                'नमस्ते, आपकी सूची ' || n || ': 1. रामलाल, बूथ 12, 98260 12345', '{}'::jsonb, 'queued',
                %s || n, true, now() - interval '1 day', 0, '', '', '', '', '', now(), now()
            FROM generate_series(1, %s) AS n
            """,
            [f"{PREFIX}{kind}:", count])
        cursor.execute("ANALYZE messaging_message")


def _drain(sample: int) -> tuple[int, float]:
    sent = [0] * THREADS
    lock = threading.Lock()

    def worker(index: int) -> None:
        try:
            while True:
                with lock:
                    if sum(sent) >= sample:
                        return
                result = outbox_drain(batch_size=BATCH, worker_id=f"bench-{index}")
                with lock:
                    sent[index] += result.sent
                if result.claimed == 0:
                    return
        finally:
            connections.close_all()

    threads = [threading.Thread(target=worker, args=(i,)) for i in range(THREADS)]
    started = time.perf_counter()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return sum(sent), time.perf_counter() - started


def _threads(items: list, call) -> float:
    """Seconds for ``THREADS`` threads to call ``call`` on every item (each thread a share)."""
    shares = [items[i::THREADS] for i in range(THREADS)]

    def worker(share):
        for item in share:
            call(item)

    threads = [threading.Thread(target=worker, args=(share,)) for share in shares]
    started = time.perf_counter()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return time.perf_counter() - started


class _Gateway(BaseHTTPRequestHandler):
    """An SMS gateway that answers every POST at once with a fresh message id, keeping the connection."""

    protocol_version = "HTTP/1.1"
    disable_nagle_algorithm = True  # the answer's headers and body are two writes: send each at once
    counter = 0

    def do_POST(self):  # noqa: N802 — the name http.server calls
        self.rfile.read(int(self.headers.get("Content-Length") or 0))
        _Gateway.counter += 1
        data = json.dumps({"message_id": f"gw-{_Gateway.counter}"}).encode()
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def log_message(self, *args):
        pass


def _serve(port_out) -> None:
    server = ThreadingHTTPServer(("127.0.0.1", 0), _Gateway)
    server.daemon_threads = True
    port_out.send(server.server_address[1])
    server.serve_forever()


def _standin():
    """The gateway in a process of its own, so it does not compete with the drain for the interpreter."""
    connections.close_all()  # a forked child must not share the parent's database connections
    receiver, sender = multiprocessing.Pipe(duplex=False)
    process = multiprocessing.get_context("fork").Process(target=_serve, args=(sender,), daemon=True)
    process.start()
    if not receiver.poll(10):
        process.terminate()
        raise CommandError("the HTTP gateway stand-in did not start")
    return f"http://127.0.0.1:{receiver.recv()}", process


def _clean() -> None:
    with connection.cursor() as cursor:
        cursor.execute("DELETE FROM messaging_message WHERE idempotency_key LIKE %s", [PREFIX + "%"])
