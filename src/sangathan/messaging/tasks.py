"""Periodic jobs of messaging: draining the outbox, and starting scheduled broadcasts when due.

Huey's schedule is per minute, so the drain loops for 50 seconds: due messages leave within about a
second, and the next run starts as this one ends. Several consumers may run it at once: claims skip each
other's rows (see ``messaging.outbox``).
"""

from sangathan.access.scope import Scope
from sangathan.messaging import broadcast_tasks  # noqa: F401 — Huey discovers only modules named tasks
from sangathan.messaging.broadcasts.actions import broadcasts_start_due
from sangathan.messaging.outbox import outbox_drain_for

DRAIN_SECONDS = 50


def drain_outbox():
    outbox_drain_for(seconds=DRAIN_SECONDS, worker_id="huey")


def start_due_broadcasts():
    broadcasts_start_due(scope=Scope.system(channel="task"))
