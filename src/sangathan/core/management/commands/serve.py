"""``sangathan serve``: the web UI and API on waitress, with the background worker beside it.

One web process by default (``make run``). ``--workers N`` starts N web processes on consecutive ports from
``--port`` (each waitress with ``--threads`` threads) for the reverse proxy in front to balance across
(docs/OPERATIONS.md); this process then only watches them: when one ends, it stops the others and exits
non-zero, so the service manager restarts the whole set.
"""

import signal
import subprocess
import sys
import time

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError


class Command(BaseCommand):
    help = ("Serve the web UI and API (waitress), with the background worker unless --no-worker; "
            "--workers N starts N web processes on consecutive ports.")

    def add_arguments(self, parser):
        parser.add_argument("--host", default="127.0.0.1")
        parser.add_argument("--port", type=int, default=8000)
        parser.add_argument("--threads", type=int, default=8)
        parser.add_argument("--workers", type=int, default=1,
                            help="Web processes, on ports PORT … PORT+N-1 (default 1; docs/OPERATIONS.md "
                                 "sizes production).")
        parser.add_argument("--no-worker", action="store_true", help="Do not start the background worker.")
        parser.add_argument("--no-collectstatic", action="store_true", help="Do not collect static files first.")

    def handle(self, *args, host, port, threads, workers, no_worker, no_collectstatic, **options):
        if workers < 1:
            raise CommandError(f"--workers must be at least 1, not {workers}.")
        if not 0 < port or port + workers - 1 > 65535:
            raise CommandError(f"--port must be between 1 and 65535 (for every worker), not {port}.")
        if threads < 1:
            raise CommandError(f"--threads must be at least 1, not {threads}.")
        if not settings.DEBUG and not no_collectstatic:
            call_command("collectstatic", interactive=False, verbosity=0)
        children = []
        if not no_worker:
            # A separate process: the worker has its own signal handling and database connections.
            children.append(self._start([sys.executable, "-m", "sangathan.cli", "worker"], "worker"))

        def stop(*_):
            raise KeyboardInterrupt

        signal.signal(signal.SIGTERM, stop)
        try:
            if workers == 1:
                self._serve(host, port, threads)
            else:
                children += [self._start([sys.executable, "-m", "sangathan.cli", "serve", "--no-worker",
                                          "--no-collectstatic", "--host", host, "--port", str(port + n),
                                          "--threads", str(threads)], f"web {n + 1} on port {port + n}")
                             for n in range(workers)]
                self._watch(children)
        except KeyboardInterrupt:
            pass
        finally:
            _stop_all(children)

    def _start(self, command: list[str], what: str) -> subprocess.Popen:
        process = subprocess.Popen(command)  # noqa: S603 — our own command line
        self.stdout.write(f"{what} started (pid {process.pid})")
        return process

    def _serve(self, host: str, port: int, threads: int) -> None:
        from waitress import serve

        from sangathan.wsgi import application

        self.stdout.write(f"Sangathan on http://{host}:{port}/  (Ctrl+C stops)")
        options = {}
        if settings.SANGATHAN_TRUSTED_PROXIES:
            # Waitress drops X-Forwarded-* from proxies it was not told of; the app reads them itself
            # (core.ratelimit.client_ip with SANGATHAN_TRUSTED_PROXIES, SECURE_PROXY_SSL_HEADER).
            options["clear_untrusted_proxy_headers"] = False
        serve(application, host=host, port=port, threads=threads, ident="sangathan", **options)

    def _watch(self, children: list[subprocess.Popen]) -> None:
        while True:
            for child in children:
                if (code := child.poll()) is not None:
                    raise CommandError(f"process {child.pid} ended (exit {code}); stopping the others.")
            time.sleep(0.5)


def _stop_all(children: list[subprocess.Popen]) -> None:
    for child in children:
        if child.poll() is None:
            child.terminate()
    for child in children:
        try:
            child.wait(timeout=10)
        except subprocess.TimeoutExpired:
            child.kill()
