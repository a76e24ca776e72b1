"""Signals the grievances app sends (other apps react in their ``receivers.py``)."""

from django.dispatch import Signal

# Sent by ``grievance_schedule_hearing`` inside its transaction, before it schedules, with ``scope``,
# ``grievance`` and ``on`` (the date). A receiver that lists the grievance on that day's hearing itself
# (``rosters``: the minister's hearing, with a token) returns the scheduled grievance and the action ends
# there; None lets it go on. A DomainError raised by a receiver is the action's error.
hearing_scheduling = Signal()
