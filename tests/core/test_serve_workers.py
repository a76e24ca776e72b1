"""``sangathan serve --workers N``: N web processes on consecutive ports, all gone when serve is stopped."""

import socket
import subprocess
import sys
import urllib.request

import pytest

from tests.core.test_ratelimit_processes import wait_up
from tests.people.test_import_kill import own_database, sangathan  # noqa: F401 — fixture and helper


def free_ports(count: int) -> int:
    """The first of ``count`` consecutive free ports."""
    for _attempt in range(50):
        with socket.socket() as probe:
            probe.bind(("127.0.0.1", 0))
            first = probe.getsockname()[1]
        if first + count > 65535:
            continue
        try:
            for port in range(first, first + count):
                with socket.socket() as probe:
                    probe.bind(("127.0.0.1", port))
        except OSError:
            continue
        return first
    raise AssertionError("no consecutive free ports")


def is_closed(port: int) -> bool:
    with socket.socket() as probe:
        return probe.connect_ex(("127.0.0.1", port)) != 0


@pytest.mark.django_db
def test_two_web_processes_answer_and_stop_together(own_database):  # noqa: F811 — the imported fixture
    env, _query = own_database
    env = {**env, "SANGATHAN_DEBUG": "1"}
    port = free_ports(2)
    serve = subprocess.Popen(  # noqa: S603
        [sys.executable, "-m", "sangathan.cli", "serve", "--no-worker", "--workers", "2", "--threads", "2",
         "--port", str(port)], env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
    try:
        for each in (port, port + 1):
            wait_up(each, serve)
            with urllib.request.urlopen(f"http://127.0.0.1:{each}/healthz", timeout=5) as answer:  # noqa: S310
                assert answer.status == 200
    finally:
        serve.terminate()
        serve.wait(timeout=20)
    assert is_closed(port) and is_closed(port + 1)
    output = serve.stdout.read().decode()
    assert f"web 1 on port {port} started" in output and f"web 2 on port {port + 1} started" in output


@pytest.mark.parametrize(("args", "message"), [
    (["--workers", "0"], "--workers must be at least 1"),
    (["--port", "65535", "--workers", "2"], "--port must be between 1 and 65535"),
])
def test_bad_numbers_are_refused(own_database, args, message):  # noqa: F811
    env, _query = own_database
    done = sangathan({**env, "SANGATHAN_DEBUG": "1"}, "serve", "--no-worker", *args)
    assert done.returncode != 0 and message in done.stderr
