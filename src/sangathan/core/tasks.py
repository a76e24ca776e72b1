"""Periodic work of core (scheduled in ``sangathan.schedule.tasks``)."""

from sangathan.core import ratelimit


def prune_rate_counters() -> int:
    """Delete the rate-limit windows that have ended (``core.RateCounter``); nothing to permit, no actor."""
    return ratelimit.prune()
