"""Reads of reports from the streaming replica, everything else from the primary.

When ``DATABASE_REPLICA_URL`` is set, settings add a ``replica`` database alias. Nothing is routed to it
by default: a read goes there only inside ``reading_from_replica()`` — a context manager and decorator
put on the dashboards, the registers and their exports, and the report selectors (``sahyog_report``,
committee completeness, campaign progress), which read much and may be a few seconds behind. Inside the
block a read still stays on the primary when

* the replica is not configured (SQLite, or PostgreSQL without a replica: the block changes nothing);
* the read is part of a transaction on the primary (``select_for_update`` and reads under ``atomic()``);
* this block, or this request, has written (a user reads what they just saved);
* the user wrote in an earlier request less than ``SANGATHAN_REPLICA_STICKY_SECONDS`` ago:
  ``PrimaryAfterWriteMiddleware`` (core.middleware) keeps the time of their last write in a signed cookie
  and marks the request "pinned" through a context variable.

Writes always go to the primary, and migrations run only there. Writes of logs that no page reads back
within seconds (audit rows, rate counters, sessions, login attempts) do not pin the reader.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass

from django.db import DEFAULT_DB_ALIAS, connections

REPLICA = "replica"
# Models whose writes do not make the writer's next reads go to the primary.
NOT_PINNING = frozenset({"access.auditlog", "core.ratecounter", "sessions.session",
                         "axes.accessattempt", "axes.accesslog", "axes.accessfailurelog"})


@dataclass
class _Writes:
    """Whether a request (or a replica block) has written; ``pinned``: an earlier request did, recently."""

    wrote: bool = False
    pinned: bool = False


_request: ContextVar[_Writes | None] = ContextVar("sangathan_db_request", default=None)
_block: ContextVar[_Writes | None] = ContextVar("sangathan_db_replica_block", default=None)


def replica_configured() -> bool:
    return REPLICA in connections.settings


@contextmanager
def reading_from_replica() -> Iterator[None]:
    """Reads inside go to the replica (when there is one and nothing above keeps them on the primary)."""
    token = _block.set(_Writes())
    try:
        yield
    finally:
        _block.reset(token)


@contextmanager
def request_routing(*, pinned: bool) -> Iterator[_Writes]:
    """One request's routing state (the middleware's): ``pinned`` when the user wrote moments ago.
    Yields the state, whose ``wrote`` says afterwards whether this request wrote."""
    state = _Writes(pinned=pinned)
    token = _request.set(state)
    try:
        yield state
    finally:
        _request.reset(token)


def wants_replica() -> bool:
    """Whether a read made now should go to the replica."""
    block = _block.get()
    if block is None or block.wrote or not replica_configured():
        return False
    request = _request.get()
    if request is not None and (request.wrote or request.pinned):
        return False
    return not connections[DEFAULT_DB_ALIAS].in_atomic_block


def note_write(model) -> None:
    if model is not None and model._meta.label_lower in NOT_PINNING:
        return
    for var in (_request, _block):
        if (state := var.get()) is not None:
            state.wrote = True


class ReplicaRouter:
    """``DATABASE_ROUTERS`` entry: see the module's docstring."""

    def db_for_read(self, model, **hints):
        return REPLICA if wants_replica() else DEFAULT_DB_ALIAS

    def db_for_write(self, model, **hints):
        note_write(model)
        return DEFAULT_DB_ALIAS

    def allow_relation(self, obj1, obj2, **hints):
        if {obj1._state.db, obj2._state.db} <= {DEFAULT_DB_ALIAS, REPLICA, None}:
            return True
        return None

    def allow_migrate(self, db, app_label, model_name=None, **hints):
        return db != REPLICA
