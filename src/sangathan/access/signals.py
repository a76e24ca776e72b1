"""Signals of the access app: how apps above it take part without access importing them.

* ``login_code_issued(user, code, purpose, idempotency_key)`` — sent inside the transaction that stores a
  one-time password code; a receiver (``messaging.receivers``) writes the SMS that carries it to the
  user's mobile. The code exists in clear only in this call and that message.
"""

from django.dispatch import Signal

login_code_issued = Signal()
