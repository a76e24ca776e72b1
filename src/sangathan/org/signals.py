"""Signals of the org app, for apps above it.

* ``position_ended(scope, position)`` — sent inside the transaction that relieves a holder (``position_end``),
  after the history row; ``access`` ends the login of a person whose last current position this was.
"""

from django.dispatch import Signal

position_ended = Signal()
