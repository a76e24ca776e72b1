"""Who may change an office's sitting days and roster, and who may run a hearing.

Seed 000: the Sahyog Cell's district conveners run the district offices' sitting days and the state
convener the state office's roster. So besides anyone who may write at the office's unit (its president,
in-charge, a data operator, staff), the convener or co-convener of that unit or of a unit above it may.
"""

from sangathan.core.tree import ancestor_paths
from sangathan.org.models import Position

CONVENER_POSTS = ("convener", "co_convener")


def is_convener_over(actor, unit_path: str) -> bool:
    """The actor holds a convener's post at the unit of ``unit_path`` or at one of its ancestors."""
    person_id = getattr(actor, "person_id", None)
    if not person_id:
        return False
    return Position.objects.current().filter(
        person_id=person_id, post__code__in=CONVENER_POSTS, unit__path__in=[*ancestor_paths(unit_path), unit_path],
    ).exists()


def may_manage_office(*, actor, scope, unit_path: str) -> bool:
    if getattr(actor, "is_superuser", False):
        return True
    if scope is not None and scope.can_write_path(unit_path):
        return True
    return is_convener_over(actor, unit_path)


def may_run_hearing(*, actor, session) -> bool:
    """The sitting official, whoever manages the office, and the state support cell run a hearing."""
    from sangathan.access.scope import scope_for_user
    from sangathan.grievances.policies import grievance_reach

    if actor is None or not getattr(actor, "is_authenticated", False):
        return False
    if getattr(actor, "person_id", None) and actor.person_id == session.person_id:
        return True
    if may_manage_office(actor=actor, scope=scope_for_user(actor), unit_path=session.unit_path):
        return True
    return grievance_reach(actor).sees_all
