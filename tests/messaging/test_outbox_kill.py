"""A drain killed mid-batch (a real ``sangathan outbox drain`` process, SIGKILL) leaves its claims leased for
at most a minute; the next drain after that sends them, and the gateway (a real local HTTP server that
honours ``Idempotency-Key`` like a real one) delivers every message exactly once. The drain records its
sends in runs (``outbox.RECORD_BATCH``), so the messages posted twice are those of the run under way at the
kill — the one in flight and the ones sent before it in that run, never more than a run — each with the
same key both times."""

import json
import signal
import subprocess
import sys
import threading
from collections import Counter
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from sangathan.messaging.outbox import RECORD_BATCH
from tests.people.test_import_kill import own_database, sangathan  # noqa: F401 — fixture and helper

MESSAGES = 8
STALL_AT = 4          # the gateway holds the 4th message's request open; the drain is killed meanwhile

ENQUEUE = f"""
from sangathan.access.scope import Scope
from sangathan.messaging.services import message_enqueue
for n in range({MESSAGES}):
    message_enqueue(scope=Scope.system(), channel="sms", to_address=f"+9198260{{n:05d}}", body=f"संदेश {{n}}",
                    kind="transactional", idempotency_key=f"kill-test:{{n}}", urgent=True)
"""
LEASE_LEFT = """
from django.utils import timezone
from sangathan.messaging.models import Message
rows = Message.objects.filter(status="sending")
print(max((row.leased_until - timezone.now()).total_seconds() for row in rows), rows.count())
"""
DRAIN_A_MINUTE_LATER = """
from sangathan.core.clock import ControlledClock
from sangathan.messaging.outbox import outbox_drain
ControlledClock().advance(seconds=61)
result = outbox_drain(batch_size=100, worker_id="next")
print(result.claimed, result.sent, result.lost)
"""


class DedupGateway:
    """Delivers each idempotency key once; a repeat gets the first answer and delivers nothing."""

    def __init__(self):
        self.lock = threading.Lock()
        self.posts: Counter = Counter()
        self.delivered: dict[str, str] = {}
        self.stalled = threading.Event()
        self.release = threading.Event()

    def handle(self, key: str) -> str:
        with self.lock:
            self.posts[key] += 1
            first = key not in self.delivered
            if first:
                self.delivered[key] = f"gw-{len(self.delivered) + 1}"
            stall = first and len(self.delivered) == STALL_AT
        if stall:
            self.stalled.set()
            self.release.wait(30)
        return self.delivered[key]


@pytest.fixture
def dedup_gateway():
    state = DedupGateway()

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self):  # noqa: N802 — the name http.server calls
            self.rfile.read(int(self.headers.get("Content-Length") or 0))
            message_id = state.handle(self.headers["Idempotency-Key"])
            data = json.dumps({"message_id": message_id}).encode()
            try:
                self.send_response(200)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)
            except (BrokenPipeError, ConnectionResetError):
                pass  # the drain was killed while we held its request

        def log_message(self, *args):
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    server.daemon_threads = True
    threading.Thread(target=server.serve_forever, daemon=True).start()
    state.url = f"http://127.0.0.1:{server.server_address[1]}/send"
    yield state
    state.release.set()
    server.shutdown()
    server.server_close()


@pytest.mark.django_db
def test_killed_drain_messages_are_sent_again_within_a_minute_and_never_twice(own_database, dedup_gateway):  # noqa: F811
    env, query = own_database
    env = {**env, "SANGATHAN_SMS_PROVIDER": "http", "SANGATHAN_SMS_HTTP_URL": dedup_gateway.url,
           "SANGATHAN_SMS_HTTP_TIMEOUT": "30"}
    assert sangathan(env, "migrate", "-v0").returncode == 0
    setup = sangathan(env, "shell", "-c", ENQUEUE)
    assert setup.returncode == 0, setup.stderr

    drain = subprocess.Popen([sys.executable, "-m", "sangathan.cli", "outbox", "drain"], env=env,  # noqa: S603
                             stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    assert dedup_gateway.stalled.wait(60), drain.communicate(timeout=5)
    drain.send_signal(signal.SIGKILL)
    assert drain.wait(10) == -signal.SIGKILL
    dedup_gateway.release.set()

    # The run under way (all 8: fewer than RECORD_BATCH) was not recorded yet: every row is still leased.
    assert RECORD_BATCH > MESSAGES
    assert dict(query("SELECT status, count(*) FROM messaging_message GROUP BY status")) == {"sending": MESSAGES}
    left = sangathan(env, "shell", "-c", LEASE_LEFT)
    seconds, stranded = left.stdout.split()[-2:]
    assert 0 < float(seconds) <= 60 and int(stranded) == MESSAGES

    # While the leases run, another drain leaves the rows alone: the dead drain might still be sending.
    now = sangathan(env, "outbox", "drain")
    assert now.returncode == 0 and now.stdout.startswith("claimed 0,"), now.stdout + now.stderr

    # A minute later (core.clock moved on, nothing sleeps) the next drain takes them back and sends them.
    later = sangathan(env, "shell", "-c", DRAIN_A_MINUTE_LATER)
    assert later.returncode == 0, later.stderr
    assert later.stdout.split()[-3:] == [str(MESSAGES)] * 2 + ["0"]
    assert query("SELECT status, count(*) FROM messaging_message GROUP BY status") == [("sent", MESSAGES)]

    keys = [f"kill-test:{n}" for n in range(MESSAGES)]
    assert sorted(dedup_gateway.delivered) == sorted(keys)              # every message delivered once
    posted_before_kill = keys[:STALL_AT]                                 # the run's sends up to the one in flight
    assert all(dedup_gateway.posts[key] == 2 for key in posted_before_kill)   # again, same key, not delivered
    assert all(dedup_gateway.posts[key] == 1 for key in keys[STALL_AT:])
