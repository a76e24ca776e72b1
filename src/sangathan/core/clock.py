"""The one clock that time-dependent rules read, so tests (and simulations) can move time.

Services whose outcome depends on the date or hour (SLA deadlines, escalation sweeps, daily call lists,
reminders) call ``clock.now()`` / ``clock.today()`` instead of ``timezone.now()``. In production they are
the same thing. A test sets the time with the ``clock`` fixture (``tests/conftest.py``) and moves it with
``clock.advance(days=8)``: nothing sleeps. The frozen time is process-wide, so the live server thread of a
browser test sees it too.
"""

from contextlib import contextmanager
from datetime import date, datetime, timedelta

from django.utils import timezone

_frozen: datetime | None = None


def now() -> datetime:
    return _frozen if _frozen is not None else timezone.now()


def today() -> date:
    return timezone.localdate(now())


class ControlledClock:
    """Sets and moves the time ``now()`` answers until ``release()``."""

    def set(self, at: datetime) -> datetime:
        global _frozen
        if timezone.is_naive(at):
            at = timezone.make_aware(at)
        _frozen = at
        return at

    def advance(self, **delta) -> datetime:
        return self.set(now() + timedelta(**delta))

    def release(self) -> None:
        global _frozen
        _frozen = None


@contextmanager
def frozen(at: datetime):
    clock = ControlledClock()
    clock.set(at)
    try:
        yield clock
    finally:
        clock.release()
