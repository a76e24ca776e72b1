"""The HTTP providers keep the connection to the gateway open between messages (HTTP/1.1 keep-alive), one
per thread, and open a new one when the gateway closed the idle one."""

import json
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from sangathan.messaging.providers import http


@pytest.fixture
def keepalive_server():
    seen = {"connections": set(), "posts": 0, "close_after": None}
    lock = threading.Lock()

    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def do_POST(self):  # noqa: N802 — the name http.server calls
            self.rfile.read(int(self.headers.get("Content-Length") or 0))
            with lock:
                seen["connections"].add(self.client_address)
                seen["posts"] += 1
                close = seen["close_after"] == seen["posts"]
            data = json.dumps({"message_id": f"gw-{seen['posts']}"}).encode()
            self.send_response(200)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            self.wfile.write(data)
            if close:  # the gateway drops the idle connection without saying so
                self.close_connection = True

        def log_message(self, *args):
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    server.daemon_threads = True
    threading.Thread(target=server.serve_forever, daemon=True).start()
    seen["url"] = f"http://127.0.0.1:{server.server_address[1]}/send"
    yield seen
    server.shutdown()
    server.server_close()


def _post(url, n):
    return http.post(url, payload={"n": n}, headers={}, timeout=5)


def test_one_connection_carries_many_messages(keepalive_server):
    http._connections.open.clear()
    answers = [_post(keepalive_server["url"], n)["message_id"] for n in range(5)]
    assert answers == [f"gw-{n}" for n in range(1, 6)]
    assert len(keepalive_server["connections"]) == 1


def test_a_connection_the_gateway_closed_is_replaced_and_the_message_sent_once(keepalive_server):
    http._connections.open.clear()
    keepalive_server["close_after"] = 2
    answers = [_post(keepalive_server["url"], n)["message_id"] for n in range(4)]
    assert answers == ["gw-1", "gw-2", "gw-3", "gw-4"] and keepalive_server["posts"] == 4
    assert len(keepalive_server["connections"]) == 2
