"""Signals of the outreach app, named in this one place.

``call_logged(sender=CallLog, call_log=…)`` is sent after a call log is created or corrected, once the
transaction that saved it has committed (apps above outreach, e.g. campaigns' verification, react to it).
"""

from django.dispatch import Signal

call_logged = Signal()
