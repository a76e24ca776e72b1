"""Signals of the people app: how apps above it (messaging …) take part without people importing them.

* ``verification_code_issued(person, code, idempotency_key)`` — sent inside the transaction that stores a
  one-time code for verifying a person's mobile; a receiver writes the outbox row that carries the code
  to the person (``messaging.receivers``). The code exists in clear only in this call and that message.
* ``person_erased(person_id, actor)`` — sent inside the erasure's transaction; receivers scrub their own
  copies of the person's details (e.g. the addresses and texts of messages sent to them).
"""

from django.dispatch import Signal

verification_code_issued = Signal()
person_erased = Signal()
