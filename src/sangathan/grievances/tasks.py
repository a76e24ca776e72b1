"""Periodic work of the Sahyog Cell: escalation and chase sweeps, reminders, closure after silence."""

from huey import crontab
from huey.contrib.djhuey import db_periodic_task

from sangathan.access.scope import Scope
from sangathan.grievances.services import (
    grievance_reminders_send,
    grievances_chase_external,
    grievances_close_silent,
    grievances_escalate_overdue,
)


@db_periodic_task(crontab(minute="*/15"))
def escalate_overdue():
    scope = Scope.system(channel="task")
    grievances_escalate_overdue(scope=scope)
    grievances_chase_external(scope=scope)


@db_periodic_task(crontab(minute="5"))
def send_reminders():
    grievance_reminders_send(scope=Scope.system(channel="task"))


@db_periodic_task(crontab(minute="20", hour="2"))
def close_silent():
    grievances_close_silent(scope=Scope.system(channel="task"))
