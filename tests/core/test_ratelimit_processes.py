"""The limit holds across two real web processes (``sangathan serve``) sharing one database, and a forged
X-Forwarded-For does not reset it: the address is taken from the right, behind one trusted proxy."""

import json
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request

import pytest

from tests.people.test_import_kill import own_database, sangathan  # noqa: F401 — fixture and helper

LIMIT = 4


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def wait_up(port: int, process: subprocess.Popen) -> None:
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        assert process.poll() is None, process.stdout.read().decode()
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=2):  # noqa: S310
                return
        except OSError:
            time.sleep(0.2)
    raise AssertionError(f"server on {port} did not start")


def status_lookup(port: int, forwarded: str) -> int:
    request = urllib.request.Request(  # noqa: S310 — a local test server
        f"http://127.0.0.1:{port}/api/v1/grievances/status", method="POST",
        data=json.dumps({"tracking_code": "SG-ZZZZZZ", "mobile": "9826012345"}).encode(),
        headers={"Content-Type": "application/json", "X-Forwarded-For": forwarded})
    try:
        with urllib.request.urlopen(request, timeout=10) as response:  # noqa: S310
            return response.status
    except urllib.error.HTTPError as error:
        return error.code


@pytest.mark.django_db
def test_limit_holds_across_two_server_processes(own_database):  # noqa: F811 — the imported fixture
    env, query = own_database
    assert sangathan(env, "migrate", "-v0").returncode == 0
    env = {**env, "SANGATHAN_DEBUG": "1", "SANGATHAN_TRUSTED_PROXIES": "1",
           "SANGATHAN_RATE_LIMITS": f"status.ip={LIMIT}/600"}
    ports = [free_port(), free_port()]
    servers = [subprocess.Popen(  # noqa: S603
        [sys.executable, "-m", "sangathan.cli", "serve", "--no-worker", "--threads", "2", "--port", str(port)],
        env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT) for port in ports]
    try:
        for port, server in zip(ports, servers, strict=True):
            wait_up(port, server)
        # One client alternating between the two processes, each request with a different forged left part.
        answers = [status_lookup(ports[n % 2], f"192.0.2.{n}, 203.0.113.7") for n in range(LIMIT + 2)]
        assert answers == [400] * LIMIT + [429, 429]
        assert status_lookup(ports[0], "203.0.113.8") == 400          # another client is not limited
        assert query("SELECT key, hits FROM core_ratecounter ORDER BY key") == [
            ("status.ip:203.0.113.7", LIMIT + 2), ("status.ip:203.0.113.8", 1)]
    finally:
        for server in servers:
            server.terminate()
        for server in servers:
            try:
                server.wait(timeout=10)
            except subprocess.TimeoutExpired:
                server.kill()
