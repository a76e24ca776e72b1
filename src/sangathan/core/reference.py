"""Small reference tables (levels, committee types) kept in memory per process, never stale.

Pages read such rows on every request, though they change a few times a year (a state administrator's
vocabulary edit). A ``ReferenceRows`` keeps the rows a process last read together with the
``core.ReferenceStamp`` token current when it read them; a caller that has the current token (read in a
query the page makes anyway: ``stamp_counts`` joins the home's counts) gets the copy while the token is
unchanged and rereads the table otherwise. Every save or delete of a registered model changes the token
in the writer's own transaction (``reference_changed``, connected by ``track``), so a reader that sees the
change also sees a new token, on whichever process it runs. Without a token (``None``) the table is read
as before: no copy is served without proof that it is current.

The rows handed out are shared by the threads of the process: callers read them, never change them.
"""

from __future__ import annotations

import secrets
from collections.abc import Callable
from typing import Generic, TypeVar

from django.db import connections
from django.db.models import Max, signals

from sangathan.core.aggregates import CountsQuery, counts_query
from sangathan.core.models import ReferenceStamp

T = TypeVar("T")

STAMP_UPSERT = ("INSERT INTO core_referencestamp (id, token) VALUES (1, %s) "
                "ON CONFLICT (id) DO UPDATE SET token = excluded.token")


class ReferenceRows(Generic[T]):
    def __init__(self, load: Callable[[], T]):
        self._load = load
        self._copy: tuple[int, T] | None = None  # (token, rows), replaced whole: safe across threads

    def get(self, token: int | None = None) -> T:
        if token is None:
            return self._load()
        copy = self._copy
        if copy is not None and copy[0] == token:
            return copy[1]
        rows = self._load()
        self._copy = (token, rows)
        return rows

    def clear(self) -> None:
        self._copy = None


def reference_changed(using: str = "default") -> None:
    """A new token, written in the caller's transaction (it commits or rolls back with the change)."""
    with connections[using].cursor() as cursor:
        cursor.execute(STAMP_UPSERT, [secrets.randbits(62) + 1])


def _on_change(sender, using="default", **kwargs) -> None:
    reference_changed(using)


def track(*models) -> None:
    """Change the token whenever a row of ``models`` is saved or deleted (called from apps' ``ready()``)."""
    for model in models:
        signals.post_save.connect(_on_change, sender=model, dispatch_uid=f"reference:{model._meta.label}:save")
        signals.post_delete.connect(_on_change, sender=model, dispatch_uid=f"reference:{model._meta.label}:delete")


def stamp_counts() -> CountsQuery[int]:
    """The current token, as a one-row query to read with others (0 before any change was ever made)."""
    return counts_query(ReferenceStamp.objects.filter(pk=1), lambda row: row["token"] or 0, token=Max("token"))
