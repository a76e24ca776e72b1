"""Real stand-ins for the outside world: a local HTTP server as the SMS gateway / WhatsApp API, and an
aiosmtpd SMTP server. Each is scripted per test: ``gateway.script(...)`` queues the answers to give."""

import json
import socket
import threading
import time
from collections import deque
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from aiosmtpd.controller import Controller


@dataclass
class Answer:
    status: int = 200
    body: dict = field(default_factory=dict)
    headers: dict = field(default_factory=dict)
    delay: float = 0.0


@dataclass
class Hit:
    path: str
    headers: dict
    body: bytes

    def json(self):
        return json.loads(self.body)


class Gateway:
    """Answers POSTs from a script (then with ``default``), recording every hit."""

    def __init__(self):
        self.hits: list[Hit] = []
        self.answers: deque[Answer] = deque()
        self.default = Answer(200, {"message_id": "auto"})
        self.lock = threading.Lock()
        self.counter = 0
        self.url = ""

    def script(self, *answers: Answer) -> None:
        self.answers.extend(answers)

    def next_answer(self) -> tuple[Answer, int]:
        with self.lock:
            self.counter += 1
            return (self.answers.popleft() if self.answers else self.default), self.counter


@pytest.fixture
def gateway():
    state = Gateway()

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self):  # noqa: N802 — the name http.server calls
            body = self.rfile.read(int(self.headers.get("Content-Length") or 0))
            answer, number = state.next_answer()
            with state.lock:
                state.hits.append(Hit(self.path, dict(self.headers), body))
            if answer.delay:
                time.sleep(answer.delay)
            payload = dict(answer.body)
            # "auto" ids are unique per hit, like a real gateway's.
            if payload.get("message_id") == "auto":
                payload["message_id"] = f"gw-{number}"
            if payload.get("messages") == "auto":
                payload["messages"] = [{"id": f"wamid.{number}"}]
            data = json.dumps(payload).encode()
            try:
                self.send_response(answer.status)
                for name, value in answer.headers.items():
                    self.send_header(name, value)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)
            except (BrokenPipeError, ConnectionResetError):
                pass  # the client timed out first, which is the point of a slow answer

        def log_message(self, *args):
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    server.daemon_threads = True
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    state.url = f"http://127.0.0.1:{server.server_address[1]}"
    yield state
    server.shutdown()
    server.server_close()


class SmtpInbox:
    def __init__(self):
        self.envelopes = []
        self.refuse: set[str] = set()

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):  # noqa: N802
        if address in self.refuse:
            return "550 5.1.1 No such user"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):  # noqa: N802
        self.envelopes.append(envelope)
        return "250 Message accepted"


@pytest.fixture
def smtp_server(settings):
    inbox = SmtpInbox()
    # aiosmtpd connects to its own port to check it started, so it needs a real number, not 0.
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    controller = Controller(inbox, hostname="127.0.0.1", port=port)
    controller.start()
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST = "127.0.0.1"
    settings.EMAIL_PORT = port
    settings.EMAIL_USE_TLS = False
    settings.EMAIL_HOST_USER = ""
    settings.SANGATHAN_EMAIL_PROVIDER = "smtp"
    yield inbox
    controller.stop()


@pytest.fixture(autouse=True)
def messaging_settings(settings, tmp_path):
    """No quiet hours, no silence and no rate limits unless a test sets them: tests run at any hour."""
    settings.SANGATHAN_MESSAGING_QUIET_HOURS = None
    settings.SANGATHAN_ELECTION_SILENCE = []
    settings.SANGATHAN_MESSAGING_RATE_LIMITS = {}
    settings.SANGATHAN_SMS_PROVIDER = "console"
    settings.SANGATHAN_WHATSAPP_PROVIDER = "console"
    settings.SANGATHAN_EMAIL_PROVIDER = "console"
    settings.VAR_DIR = tmp_path
    return settings


@pytest.fixture
def sms_gateway(gateway, settings):
    settings.SANGATHAN_SMS_PROVIDER = "http"
    settings.SANGATHAN_SMS_HTTP = {
        "url": gateway.url + "/api/send", "api_key": "k-123", "auth_header": "Authorization",
        "auth_prefix": "Bearer ", "encoding": "json", "sender_id": "SNGTHN", "dlt_entity_id": "1101000000000001",
        "fields": {"to": "to", "text": "message", "sender": "sender", "entity_id": "entity_id",
                   "template_id": "template_id", "unicode": "unicode"},
        "message_id_path": "message_id", "timeout": 0.5,
    }
    return gateway


@pytest.fixture
def whatsapp_api(gateway, settings):
    settings.SANGATHAN_WHATSAPP_PROVIDER = "cloud"
    settings.SANGATHAN_WHATSAPP = {"graph_url": gateway.url + "/v21.0", "phone_number_id": "1055", "token": "wa-token",
                                   "app_secret": "app-secret", "verify_token": "verify-me", "timeout": 0.5}
    gateway.default = Answer(200, {"messaging_product": "whatsapp", "messages": "auto"})
    return gateway
