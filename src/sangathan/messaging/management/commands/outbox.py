"""``sangathan outbox drain [--seconds N] [--batch-size N]``: send due messages from the command line."""

from django.core.management.base import BaseCommand

from sangathan.messaging.outbox import outbox_drain, outbox_drain_for


class Command(BaseCommand):
    help = "Send due messages from the outbox: one batch, or in a loop for --seconds."

    def add_arguments(self, parser):
        parser.add_argument("action", choices=["drain"])
        parser.add_argument("--seconds", type=float, default=0, help="Keep draining this long (0: one batch).")
        parser.add_argument("--batch-size", type=int, default=100)

    def handle(self, *args, action, seconds, batch_size, **options):
        if seconds > 0:
            result = outbox_drain_for(seconds=seconds, batch_size=batch_size, worker_id="cli")
        else:
            result = outbox_drain(batch_size=batch_size, worker_id="cli")
        self.stdout.write(
            f"claimed {result.claimed}, sent {result.sent}, retried {result.retried}, failed {result.failed}, "
            f"expired {result.expired}, held {result.held}, rate-limited {result.rate_limited}"
        )
