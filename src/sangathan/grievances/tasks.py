"""Jobs of the Sahyog Cell: escalation and chase sweeps, reminders, closure after silence (scheduled in
``sangathan.schedule``)."""

from sangathan.access.scope import Scope
from sangathan.grievances.services import (
    grievance_reminders_send,
    grievances_chase_external,
    grievances_close_silent,
    grievances_escalate_overdue,
    grievances_tally_refresh,
)


def escalate_overdue():
    scope = Scope.system(channel="task")
    grievances_escalate_overdue(scope=scope)
    grievances_chase_external(scope=scope)


def send_reminders():
    grievance_reminders_send(scope=Scope.system(channel="task"))


def close_silent():
    grievances_close_silent(scope=Scope.system(channel="task"))


def refresh_tally():
    grievances_tally_refresh(scope=Scope.system(channel="task"))
