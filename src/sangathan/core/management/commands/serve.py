import signal
import subprocess
import sys

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError


class Command(BaseCommand):
    help = "Serve the web UI and API (waitress), with the background worker unless --no-worker."

    def add_arguments(self, parser):
        parser.add_argument("--host", default="127.0.0.1")
        parser.add_argument("--port", type=int, default=8000)
        parser.add_argument("--threads", type=int, default=8)
        parser.add_argument("--no-worker", action="store_true", help="Do not start the background worker.")

    def handle(self, *args, host, port, threads, no_worker, **options):
        from waitress import serve

        from sangathan.wsgi import application

        if not 0 < port < 65536:
            raise CommandError(f"--port must be between 1 and 65535, not {port}.")
        if not settings.DEBUG:
            call_command("collectstatic", interactive=False, verbosity=0)
        worker = None
        if not no_worker:
            # A separate process: the worker has its own signal handling and database connections.
            worker = subprocess.Popen([sys.executable, "-m", "sangathan.cli", "worker"])  # noqa: S603
            self.stdout.write(f"worker started (pid {worker.pid})")

        def stop(*_):
            raise KeyboardInterrupt

        signal.signal(signal.SIGTERM, stop)
        self.stdout.write(f"Sangathan on http://{host}:{port}/  (Ctrl+C stops)")
        options = {}
        if settings.SANGATHAN_TRUSTED_PROXIES:
            # Waitress drops X-Forwarded-* from proxies it was not told of; the app reads them itself
            # (core.ratelimit.client_ip with SANGATHAN_TRUSTED_PROXIES, SECURE_PROXY_SSL_HEADER).
            options["clear_untrusted_proxy_headers"] = False
        try:
            serve(application, host=host, port=port, threads=threads, ident="sangathan", **options)
        except KeyboardInterrupt:
            pass
        finally:
            if worker is not None:
                worker.terminate()
                try:
                    worker.wait(timeout=10)
                except subprocess.TimeoutExpired:
                    worker.kill()
