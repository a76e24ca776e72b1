"""Booth contact jobs (scheduled in ``sangathan.schedule``). Programs are data, so one tick a minute finds
what is due (a program's send time, its reminder time) and queues a task per program; tasks take ids and
call services."""

import datetime

from huey.contrib.djhuey import db_task, lock_task
from huey.exceptions import TaskLockedException

from sangathan.access.scope import Scope
from sangathan.core import clock
from sangathan.outreach.models import ContactProgram
from sangathan.outreach.services import assignments_expire
from sangathan.outreach.services.notify import call_reminders_send, program_day_start, programs_due


def outreach_tick():
    for program_id, action, day in programs_due(now=clock.now()):
        if action == "start":
            program_day_start_task(program_id, day.isoformat())
        else:
            program_remind_task(program_id, day.isoformat())


def outreach_expire():
    """Past the day, calls still pending are missed (reads count them so already; this stores it)."""
    assignments_expire(scope=Scope.system(channel="task"), before=clock.today())


@db_task(retries=2, retry_delay=60)
def program_day_start_task(program_id: int, day: str) -> None:
    # One run per program at a time; a tick during a long run finds the lock held and leaves it be.
    try:
        with lock_task(f"outreach-start-{program_id}"):
            program_day_start(scope=Scope.system(channel="task"), program=ContactProgram.objects.get(pk=program_id),
                              day=datetime.date.fromisoformat(day))
    except TaskLockedException:
        return


@db_task(retries=2, retry_delay=60)
def program_remind_task(program_id: int, day: str) -> None:
    try:
        with lock_task(f"outreach-remind-{program_id}"):
            call_reminders_send(scope=Scope.system(channel="task"), program=ContactProgram.objects.get(pk=program_id),
                                day=datetime.date.fromisoformat(day))
    except TaskLockedException:
        return
