"""Who may do what with meetings, derived from the actor's ``access.Scope`` only.

* Organize (create an event, a series, a plan, a tour; invite; mark attendance; record minutes and
  decisions): write scope at the host unit — its writing office-bearers or a unit above — and also the
  in-charges and conveners (प्रभारी, संयोजक) of a unit, who run its meetings even when their post only reads.
* Record that a series' meeting was held: the same rule at the occurrence's unit (the mandal itself).
* Read an event: anyone who reads its unit; an invitee reads the events they are invited to (selectors).
* Check oneself in with the event's code: the invitee themself (``scope.person_id``).
* Mark attendance at a group viewing's location: its host (``ViewingLocation.host``) or the organizers.
"""

from sangathan.core.errors import NotFound

ORGANIZING_POSTS = frozenset({"incharge", "co_incharge", "convener", "co_convener"})


def _compute(scope):
    extra = [role.path for role in scope.roles if role.path and role.post in ORGANIZING_POSTS]
    return scope.narrow(read=scope.read_paths, write=tuple(scope.write_paths) + tuple(extra),
                        flags=scope.flags, sees_all=scope.sees_all, writes_all=scope.writes_all)


def events_scope(scope):
    """The scope with the organizers' reach (memoized per scope, no query)."""
    if scope.is_system or scope.is_superuser:
        return scope
    return scope.memo("events", _compute)


def require_organize(scope, path: str) -> None:
    """NotFound outside the readable scope, PermissionDenied where the actor may only read."""
    events_scope(scope).require(path, write=True)


def may_organize(scope, path: str) -> bool:
    return events_scope(scope).can_write_path(path)


def require_invitee(scope, invitation) -> None:
    if scope.person_id is None or invitation is None or invitation.person_id != scope.person_id:
        raise NotFound()


def require_host(scope, location) -> None:
    """The location's host marks attendance there whatever their post; otherwise the organizer's rule."""
    if scope.person_id is None or scope.person_id != location.host_id:
        require_organize(scope, location.event.unit_path)
