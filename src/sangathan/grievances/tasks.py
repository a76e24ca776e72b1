"""Periodic work of the Sahyog Cell: escalation and chase sweeps, reminders, closure after silence."""

from huey import crontab
from huey.contrib.djhuey import db_periodic_task

from sangathan.grievances.services import (
    grievance_reminders_send,
    grievances_chase_external,
    grievances_close_silent,
    grievances_escalate_overdue,
)


@db_periodic_task(crontab(minute="*/15"))
def escalate_overdue():
    grievances_escalate_overdue()
    grievances_chase_external()


@db_periodic_task(crontab(minute="5"))
def send_reminders():
    grievance_reminders_send()


@db_periodic_task(crontab(minute="20", hour="2"))
def close_silent():
    grievances_close_silent()
