"""Reads of the Sahyog Cell. Every list and fetch starts from ``grievances_visible`` (see ``policies``)."""

from __future__ import annotations

from django.db.models import Q, QuerySet
from django.utils.translation import gettext as _

from sangathan.core.errors import DomainError, NotFound, PermissionDenied
from sangathan.core.phones import try_normalize_mobile
from sangathan.core.tree import subtree_q, subtrees_q
from sangathan.grievances.enums import OPEN_STATUSES, AssignmentRole, GrievanceStatus
from sangathan.grievances.models import Grievance, GrievanceAssignment, GrievanceEvent
from sangathan.grievances.policies import Reach, grievance_reach


def _visible_q(reach: Reach) -> Q | None:
    """The filter for what ``reach`` sees; None when it sees nothing."""
    if reach.sees_all:
        query = Q()
    else:
        query = subtrees_q("unit_path", reach.read_paths) if reach.read_paths else None
        if reach.person_id:
            assigned = Q(pk__in=GrievanceAssignment.objects.filter(person_id=reach.person_id)
                         .values("grievance_id"))
            query = assigned if query is None else query | assigned
    if query is None:
        return None
    if reach.person_id:
        # Recusal: the office-bearer a grievance names never sees it, whatever else they hold.
        query &= ~Q(named_person_id=reach.person_id) | Q(named_person_id__isnull=True)
    return query


def grievances_visible(*, actor=None, reach: Reach | None = None) -> QuerySet[Grievance]:
    """Grievances ``actor`` may see (deny by default), newest first."""
    reach = reach or grievance_reach(actor)
    query = _visible_q(reach)
    if query is None:
        return Grievance.objects.none()
    return Grievance.objects.filter(query)


def may_write(reach: Reach, grievance: Grievance) -> bool:
    """Whether ``reach`` may act on a grievance it can see."""
    if reach.person_id and grievance.named_person_id == reach.person_id:
        return False
    if reach.can_write_path(grievance.unit_path):
        return True
    return bool(reach.person_id) and GrievanceAssignment.objects.filter(
        grievance=grievance, person_id=reach.person_id, ended_at__isnull=True, role=AssignmentRole.ASSIGNEE,
    ).exists()


def grievance_get_for_actor(grievance_id, actor, *, for_write: bool = False) -> Grievance:
    """The grievance if ``actor`` may see it (NotFound otherwise, as if it did not exist).

    ``for_write``: PermissionDenied when the actor may only read it; the row is locked for the caller's
    transaction.
    """
    reach = grievance_reach(actor)
    try:
        grievance_id = int(grievance_id)
    except (TypeError, ValueError):
        raise NotFound(_("No such grievance.")) from None
    queryset = grievances_visible(reach=reach).filter(pk=grievance_id)
    if for_write:
        queryset = queryset.select_for_update(of=("self",))
    grievance = queryset.first()
    if grievance is None:
        raise NotFound(_("No such grievance."))
    if for_write and not may_write(reach, grievance):
        raise PermissionDenied(_("You may read this grievance but not act on it."))
    return grievance


def grievance_list(*, actor, status: str = "", level: str = "", kind: str = "", department=None, unit=None,
                   overdue: bool = False, assigned_to_me: bool = False, q: str = "",
                   open_only: bool = False) -> QuerySet[Grievance]:
    """The scoped list with the queue's filters."""
    from sangathan.core import clock

    reach = grievance_reach(actor)
    grievances = grievances_visible(reach=reach).select_related("unit", "department")
    if status:
        grievances = grievances.filter(status=status)
    elif open_only:
        grievances = grievances.filter(status__in=OPEN_STATUSES)
    if level:
        grievances = grievances.filter(level=level)
    if kind:
        grievances = grievances.filter(kind=kind)
    if department is not None:
        grievances = grievances.filter(department=department)
    if unit is not None:
        grievances = grievances.filter(subtree_q("unit_path", unit.path))
    if overdue:
        grievances = grievances.filter(status=GrievanceStatus.OPEN, due_at__lt=clock.now())
    if assigned_to_me:
        grievances = grievances.filter(pk__in=GrievanceAssignment.objects.filter(
            person_id=reach.person_id or 0, ended_at__isnull=True).values("grievance_id"))
    q = (q or "").strip()
    if q:
        mobile = try_normalize_mobile(q) if any(ch.isdigit() for ch in q) else None
        query = Q(tracking_code__iexact=q) | Q(subject__icontains=q) | Q(complainant_name__icontains=q)
        if mobile:
            query |= Q(complainant_mobile=mobile)
        grievances = grievances.filter(query)
    return grievances.order_by("-created_at", "-id")


def grievance_events(grievance: Grievance, *, public_only: bool = False) -> QuerySet[GrievanceEvent]:
    events = grievance.events.select_related("actor").order_by("at", "id")
    return events.filter(public=True) if public_only else events


def grievance_assignees(grievance: Grievance, *, active_only: bool = True) -> QuerySet[GrievanceAssignment]:
    rows = grievance.assignments.select_related("person")
    return rows.filter(ended_at__isnull=True) if active_only else rows


def grievance_by_code_and_mobile(*, tracking_code: str, mobile: str) -> Grievance:
    """The public status page's one lookup. Any mismatch is the same error, so it reveals nothing."""
    error = DomainError(_("No grievance matches this tracking code and mobile number."), code="no_match",
                        field="tracking_code")
    code = (tracking_code or "").strip().upper().replace(" ", "")
    if code and not code.startswith("SG-") and len(code) == 6:
        code = "SG-" + code
    normalized = try_normalize_mobile(mobile or "")
    if not code or normalized is None:
        raise error
    grievance = Grievance.objects.filter(tracking_code=code).first()
    if grievance is None or grievance.complainant_mobile != normalized:
        raise error
    return grievance


def latest_public_event(grievance: Grievance) -> GrievanceEvent | None:
    return grievance.events.filter(public=True).order_by("-at", "-id").first()
