"""Background work of events: the chunked fan-out of a dispatch and the periodic reminders.

Tasks take ids and run the engine (``events.dispatch``); the action that created a dispatch checked the
actor and wrote the history row. This module imports no action, so actions can queue these tasks.
The reminder job's schedule is declared in ``sangathan.schedule``.
"""

from django.db import transaction
from huey.contrib.djhuey import db_task

from sangathan.events.dispatch import dispatch_run, reminders_due


@db_task(retries=3, retry_delay=30)
def dispatch_run_task(dispatch_id: int) -> int:
    # A retry resumes after the dispatch's cursor; idempotency keys skip what a failed run wrote.
    return dispatch_run(dispatch_id=dispatch_id)


def dispatch_queue(dispatch_id: int) -> None:
    """Run the dispatch in the worker once the transaction that created it has committed."""
    transaction.on_commit(lambda: dispatch_run_task(dispatch_id))


def send_reminders() -> list[int]:
    """The day-before and two-hours-before reminders that are due, each once per event and invitee."""
    created = reminders_due()
    for dispatch_id in created:
        dispatch_run_task(dispatch_id)
    return created
