"""Who may broadcast, and from which office: derived from the actor's Scope, nothing beside it.

A state or district office sends (DESIGN.md, seed 001): the actor may send from every state or district
unit inside their write scope, to any unit under such an office. A broadcast may be changed (sent,
paused, resumed, cancelled) by whoever may write at its sending office.
"""

from django.db.models import Count, Q, QuerySet
from django.utils.translation import gettext as _

from sangathan.access.scope import Scope
from sangathan.core.aggregates import CountsQuery, counts_query, nothing
from sangathan.core.errors import NotFound, PermissionDenied
from sangathan.core.tree import subtree_q
from sangathan.messaging.models import Broadcast
from sangathan.messaging.services.templates import template_may_edit
from sangathan.org.models import Unit

# The offices that may broadcast: a state or a district (DESIGN.md, seed 001).
SENDER_LEVELS = ("state", "district")
# Audience roots the compose page lists; a booth or a shakti kendra (tens of thousands in a state) is chosen
# by its code (``audience_unit_by_code``); the API accepts any unit inside the sender's subtree.
AUDIENCE_LEVELS = ("state", "division", "district", "assembly", "mandal")


def broadcast_sender_units(scope: Scope) -> QuerySet:
    """State and district units inside the actor's write scope: the offices they may send from."""
    return scope.filter(Unit.objects.filter(level__in=SENDER_LEVELS), "path", for_write=True).order_by("path")


MAY_BROADCAST = "messaging.may_broadcast"  # the scope's memo of ``may_broadcast``


def may_broadcast(scope: Scope) -> bool:
    """Whether the actor has an office to send from (memoized per scope: the header asks on every page; the
    home reads it with its counts, ``may_broadcast_query``)."""
    return scope.memo(MAY_BROADCAST, lambda s: bool(s.write_paths) and broadcast_sender_units(s).exists())


def may_broadcast_query(scope: Scope) -> CountsQuery[bool]:
    """``may_broadcast`` as a query not yet read; reading it memoizes the answer on ``scope``."""
    if not scope.write_paths:
        return nothing(scope.memo(MAY_BROADCAST, lambda s: False))
    return counts_query(broadcast_sender_units(scope),
                        lambda row: scope.memo(MAY_BROADCAST, lambda s: row["offices"] > 0), offices=Count("pk"))


def templates_may_view(scope: Scope) -> bool:
    """Who sees the message templates: whoever may broadcast (they choose one) or edit them
    (``template_may_edit``). Anyone else gets a 404 on the template pages."""
    return template_may_edit(scope) or may_broadcast(scope)


def audience_unit_by_code(scope: Scope, code: str) -> Unit | None:
    """The unit with ``code`` (any level: a booth, a shakti kendra) inside the actor's read scope, or None; the
    action then decides whether the actor may send to it (``sender_unit_for``)."""
    code = (code or "").strip()
    if not code:
        return None
    return scope.filter(Unit.objects.filter(code__iexact=code), "path").first()


def broadcast_audience_units(scope: Scope) -> list[Unit]:
    """Units the compose page offers as audience: down to mandals, under an office the actor may send from."""
    offices = list(broadcast_sender_units(scope).values_list("path", flat=True))
    if not offices:
        return []
    query = Q()
    for path in offices:
        query |= subtree_q("path", path)
    return list(Unit.objects.filter(query, level__in=AUDIENCE_LEVELS).order_by("path"))


def sender_unit_for(unit: Unit, scope: Scope) -> Unit:
    """The highest state or district office, at or above ``unit``, inside the actor's write scope.

    NotFound when ``unit`` is outside the read scope; PermissionDenied when no such office exists.
    """
    if not scope.can_read_path(unit.path):
        raise NotFound(_("No such unit."), field="unit")
    office = (
        broadcast_sender_units(scope)
        .filter(path__in=[unit.path[:end] for end in range(4, len(unit.path) + 1, 4)])
        .order_by("depth")
        .first()
    )
    if office is None:
        raise PermissionDenied(_("Only a state or district office may send a broadcast here."), field="unit")
    return office


def broadcast_may_change(scope: Scope, broadcast: Broadcast) -> bool:
    """Whether the actor may send, pause, resume or cancel ``broadcast``: a write on its sending office."""
    return scope.can_write_path(broadcast.sender_unit.path)


def broadcast_require_change(scope: Scope, broadcast: Broadcast) -> None:
    """``broadcast`` is visible to the actor (the caller fetched it); PermissionDenied unless they may change it."""
    if not broadcast_may_change(scope, broadcast):
        raise PermissionDenied(_("Only the sending office may change this broadcast."))
