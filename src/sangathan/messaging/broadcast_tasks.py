"""Background work of one broadcast: its fan-out, and the marking of a cancelled one's messages.

Tasks take ids and run the engine (``messaging.broadcasts.fanout``): the action that started or cancelled
the broadcast checked the actor and wrote the audit row. This module imports no action, so the actions can
queue these tasks without an import cycle. Huey's consumer discovers only modules named ``tasks``:
``messaging.tasks`` imports this one, and declares the periodic start of scheduled broadcasts.
"""

from huey.contrib.djhuey import db_task

from sangathan.messaging.broadcasts.fanout import broadcast_fanout, broadcast_messages_cancel


@db_task(retries=3, retry_delay=30)
def broadcast_fanout_task(broadcast_id: int) -> int:
    # A retry resumes at the broadcast's cursor; the idempotency keys skip rows a failed run wrote.
    return broadcast_fanout(broadcast_id=broadcast_id)


@db_task(retries=3, retry_delay=30)
def broadcast_cancel_task(broadcast_id: int) -> None:
    # Batches of 10,000 in short transactions, so the outbox stays writable meanwhile.
    while broadcast_messages_cancel(broadcast_id=broadcast_id):
        pass
