"""Background work of broadcasts: the fan-out of one broadcast, and starting scheduled ones when due.

Tasks take ids and call services (``messaging.broadcasts``). Huey's consumer discovers only modules named
``tasks``, so ``messaging.tasks`` has to import this module for the consumer to run these tasks.
"""

from huey import crontab
from huey.contrib.djhuey import db_periodic_task, db_task

from sangathan.messaging.broadcasts import broadcast_fanout, broadcast_messages_cancel, broadcasts_start_due


@db_task(retries=3, retry_delay=30)
def broadcast_fanout_task(broadcast_id: int) -> int:
    # A retry resumes at the broadcast's cursor; the idempotency keys skip rows a failed run wrote.
    return broadcast_fanout(broadcast_id=broadcast_id)


@db_periodic_task(crontab())
def start_due_broadcasts():
    broadcasts_start_due()


@db_task(retries=3, retry_delay=30)
def broadcast_cancel_task(broadcast_id: int) -> None:
    # Batches of 10,000 in short transactions, so the outbox stays writable meanwhile.
    while broadcast_messages_cancel(broadcast_id=broadcast_id):
        pass
