"""Signals of the people app: how apps above it (messaging …) take part without people importing them.

* ``verification_code_issued(person, code, idempotency_key)`` — sent inside the transaction that stores a
  one-time code for verifying a person's mobile; a receiver writes the outbox row that carries the code
  to the person (``messaging.receivers``). The code exists in clear only in this call and that message.
* ``person_erased(person_id, actor)`` — sent inside the erasure's transaction; receivers scrub their own
  copies of the person's details (e.g. the addresses and texts of messages sent to them).
* ``person_merged(survivor_id, merged_id)`` — sent inside the merge's transaction, after every reference
  to the merged record was moved to the survivor by plain updates (no model signals); receivers recompute
  what they derived from a person's identity (grievances: whether an assignment's grievance names its
  holder).
"""

from django.dispatch import Signal

verification_code_issued = Signal()
person_erased = Signal()
person_merged = Signal()
