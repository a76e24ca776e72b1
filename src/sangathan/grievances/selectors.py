"""Reads of the Sahyog Cell. Every list and fetch starts from ``grievances_visible(scope)``, which applies
``policies.grievance_scope`` plus the assignees and recusal keyed on ``scope.person_id``."""

from __future__ import annotations

from django.db import connection
from django.db.models import Count, Q, QuerySet, Sum
from django.utils.translation import gettext as _

from sangathan.access.models import AuditLog
from sangathan.access.scope import Scope
from sangathan.access.services import audit_log
from sangathan.core.aggregates import CountsQuery, counts_joined, counts_query, nothing, raw_counts_query
from sangathan.core.digits import ascii_digits
from sangathan.core.errors import DomainError, NotFound, PermissionDenied
from sangathan.core.phones import try_normalize_mobile
from sangathan.core.tree import SEGMENT, collapse_paths, subtree_q, subtrees_q
from sangathan.grievances import tally
from sangathan.grievances.codes import normalize_tracking_code
from sangathan.grievances.enums import OPEN_STATUSES, AssignmentRole, GrievanceLevel, GrievanceStatus
from sangathan.grievances.models import (
    Department,
    Grievance,
    GrievanceAssignment,
    GrievanceEvent,
    GrievanceHolderTally,
    GrievanceTally,
)
from sangathan.grievances.policies import grievance_scope, is_state_cell
from sangathan.org.models import Position, Unit


def _visible_q(scope: Scope) -> Q | None:
    """The filter for what the narrowed ``scope`` sees; None when it sees nothing."""
    if scope.sees_all:
        query = Q()
    else:
        query = subtrees_q("unit_path", scope.read_paths) if scope.read_paths else None
        if scope.person_id:
            assigned = Q(pk__in=GrievanceAssignment.objects.filter(person_id=scope.person_id)
                         .values("grievance_id"))
            query = assigned if query is None else query | assigned
    if query is None:
        return None
    if scope.person_id:
        # Recusal: the office-bearer a grievance names never sees it, whatever else they hold.
        query &= ~Q(named_person_id=scope.person_id) | Q(named_person_id__isnull=True)
    return query


def grievances_visible(scope: Scope) -> QuerySet[Grievance]:
    """Grievances the scope's actor may see (deny by default)."""
    query = _visible_q(grievance_scope(scope))
    if query is None:
        return Grievance.objects.none()
    return Grievance.objects.filter(query)


def may_see_any(scope: Scope) -> bool:
    """Whether the cell's pages have anything for the actor (a reach, or a grievance ever assigned)."""
    narrowed = grievance_scope(scope)
    return bool(narrowed.sees_all or narrowed.read_paths or (
        scope.person_id and GrievanceAssignment.objects.filter(person_id=scope.person_id).exists()))


def may_take(scope: Scope) -> bool:
    """Whether the actor may take grievances somewhere (the intake form)."""
    narrowed = grievance_scope(scope)
    return bool(narrowed.writes_all or narrowed.write_paths)


def may_write(scope: Scope, grievance: Grievance) -> bool:
    """Whether the actor may act on a grievance they can see."""
    narrowed = grievance_scope(scope)
    if scope.person_id and grievance.named_person_id == scope.person_id:
        return False
    if narrowed.can_write_path(grievance.unit_path):
        return True
    return bool(scope.person_id) and GrievanceAssignment.objects.filter(
        grievance=grievance, person_id=scope.person_id, ended_at__isnull=True, role=AssignmentRole.ASSIGNEE,
    ).exists()


def grievance_get_for_actor(grievance_id, scope: Scope, *, for_write: bool = False) -> Grievance:
    """The grievance if the scope's actor may see it (NotFound otherwise, as if it did not exist).

    A read (``for_write`` False) writes the GRIEVANCE_VIEW audit row. ``for_write``: PermissionDenied when
    the actor may only read it; the row is locked for the caller's transaction.
    """
    try:
        grievance_id = int(grievance_id)
    except (TypeError, ValueError, OverflowError):
        raise NotFound(_("No such grievance.")) from None
    queryset = grievances_visible(scope).filter(pk=grievance_id)
    if for_write:
        queryset = queryset.select_for_update(of=("self",))
    grievance = queryset.first()
    if grievance is None:
        raise NotFound(_("No such grievance."))
    if for_write:
        if not may_write(scope, grievance):
            raise PermissionDenied(_("You may read this grievance but not act on it."))
    else:
        audit_log(scope=scope, action=AuditLog.Action.GRIEVANCE_VIEW, target=grievance,
                  unit_path=grievance.unit_path)
    return grievance


def assign_candidates(grievance: Grievance, scope: Scope) -> list[tuple[int, str]]:
    """Whom the actor may hand the grievance to, as (person id, label): office-bearers of its district; for
    the state cell also the state's office-bearers and the departments' ministers. Never the person it
    names. ``grievance_assign`` refuses anyone else, whatever the channel."""
    state_cell = is_state_cell(scope)
    unit_ids = [grievance.district_id]
    if state_cell:
        unit_ids += list(Unit.objects.filter(level="state").values_list("pk", flat=True))
    people: dict[int, str] = {}
    for position in (Position.objects.current().filter(unit_id__in=unit_ids)
                     .select_related("person", "post", "unit", "wing").order_by("unit__depth", "post__rank")):
        wing = f" · {position.wing.label}" if position.wing_id else ""
        people.setdefault(position.person_id, f"{position.person.name} — {position.post.label}{wing}, "
                                              f"{position.unit.name}")
    if state_cell:
        for department in Department.objects.filter(is_active=True, minister__isnull=False).select_related("minister"):
            label = _("%(name)s — minister, %(department)s") % {"name": department.minister.name,
                                                                "department": department.name}
            people.setdefault(department.minister_id, label)
    people.pop(grievance.named_person_id, None)
    return sorted(people.items(), key=lambda item: item[1])


def grievance_list(*, scope: Scope, status: str = "", level: str = "", kind: str = "", department=None, unit=None,
                   overdue: bool = False, assigned_to_me: bool = False, q: str = "",
                   open_only: bool = False) -> QuerySet[Grievance]:
    """The scoped list with the queue's filters."""
    from sangathan.core import clock

    grievances = grievances_visible(scope).select_related("unit", "department")
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
            person_id=scope.person_id or 0, ended_at__isnull=True).values("grievance_id"))
    q = ascii_digits(q or "").strip()
    if q:
        mobile = try_normalize_mobile(q) if any(ch.isdigit() for ch in q) else None
        query = Q(tracking_code=normalize_tracking_code(q)) | Q(subject__icontains=q) | Q(complainant_name__icontains=q)
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
    code = normalize_tracking_code(tracking_code)
    normalized = try_normalize_mobile(mobile or "")
    if not code or normalized is None:
        raise error
    grievance = Grievance.objects.filter(tracking_code=code).first()
    if grievance is None or grievance.complainant_mobile != normalized:
        raise error
    return grievance


def latest_public_event(grievance: Grievance) -> GrievanceEvent | None:
    return grievance.events.filter(public=True).order_by("-at", "-id").first()


def grievance_today_counts(scope: Scope, *, now, day_end) -> dict[str, int] | None:
    """What waits for the actor in the cell today, in one query: open grievances assigned to them (how
    many overdue, how many due before ``day_end``) and, when they have a reach, the open and overdue ones in
    it. None when the cell has nothing for the actor (no reach and nothing assigned)."""
    return grievance_today_counts_query(scope, now=now, day_end=day_end).read()


def grievance_today_counts_query(scope: Scope, *, now, day_end) -> CountsQuery[dict[str, int] | None]:
    """``grievance_today_counts`` as a query not yet read, to read with the home's other counts.

    The reach's open and overdue grievances come from the tally (``grievances.tally``: a few rows per
    root, whatever the cell holds) plus the grievances of the current quarter hour and of roots deeper
    than the tally, less those naming the actor (recusal). The area is the reach: a grievance assigned to
    the actor outside it counts as theirs ("mine"), not the area's. The actor's own come from their
    assignments."""
    narrowed = grievance_scope(scope)
    has_reach = bool(narrowed.sees_all or narrowed.read_paths)
    if not has_reach and not scope.person_id:
        return nothing(None)
    roots = [] if narrowed.sees_all else collapse_paths(narrowed.read_paths)
    shallow = [root for root in roots if len(root) <= tally.DEPTH * SEGMENT]
    deep = [root for root in roots if len(root) > tally.DEPTH * SEGMENT]
    slot = tally.slot_of(now)
    overdue = Q(status=GrievanceStatus.OPEN, due_at__lt=now)
    parts = []
    if has_reach and (narrowed.sees_all or shallow):
        tallied = (GrievanceTally.objects.filter(path__in=Unit.objects.filter(parent=None).values("path"))
                   if narrowed.sees_all else GrievanceTally.objects.filter(path__in=shallow))
        parts.append(counts_query(tallied, _same, tally_open=Sum("open_count"),
                                  tally_overdue=Sum("open_count", filter=Q(slot__lt=slot))))
        # The current quarter hour through ``grv_open_due`` (every level: one range each).
        recent = Q(status=GrievanceStatus.OPEN, level__in=GrievanceLevel.values, due_at__gte=tally.slot_start(slot),
                   due_at__lt=now)
        if not narrowed.sees_all:
            recent &= subtrees_q("unit_path", shallow)
        parts.append(counts_query(Grievance.objects.filter(recent), _same, recent_overdue=Count("pk")))
    if has_reach and deep:
        parts.append(counts_query(
            Grievance.objects.filter(subtrees_q("unit_path", deep), status__in=OPEN_STATUSES), _same,
            deep_open=Count("pk"), deep_overdue=Count("pk", filter=overdue)))
    if scope.person_id:
        parts.extend(_held_parts(scope.person_id, now=now, day_end=day_end))
        if has_reach:
            # Recusal: the reach's grievances that name the actor are not theirs to count.
            named = Grievance.objects.filter(named_person_id=scope.person_id, status__in=OPEN_STATUSES)
            if not narrowed.sees_all:
                named = named.filter(subtrees_q("unit_path", roots))
            parts.append(counts_query(named, _same, named_open=Count("pk"), named_overdue=Count("pk", filter=overdue)))

    def finish(row: dict) -> dict[str, int] | None:
        def get(name: str) -> int:
            return row.get(name) or 0  # a part left out or over no rows (a sum of nothing is NULL)

        counts = _held_counts(get, now=now, day_end=day_end)
        if not has_reach:
            if not counts["mine"]:
                return None
            counts["area_overdue"] = counts["area_open"] = 0
        else:
            counts["area_open"] = get("tally_open") + get("deep_open") - get("named_open")
            counts["area_overdue"] = (get("tally_overdue") + get("recent_overdue") + get("deep_overdue")
                                      - get("named_overdue"))
        counts["has_reach"] = has_reach
        return counts

    return counts_joined(finish, *parts)


def _same(row: dict) -> dict:
    return row


def _held_parts(person_id: int, *, now, day_end) -> list[CountsQuery]:
    """The reader's own open grievances (assigned or watched, each once; not those naming them), with those
    overdue at ``now`` and due before ``day_end``.

    PostgreSQL: as assignee from the holder tally (``GrievanceHolderTally``: a few rows per person however many
    they hold), with the quarter hours ``now`` and ``day_end`` fall in counted from the grievances due in them
    (``grv_open_due``, then the one assignment each); as watcher only from the watched rows
    (``grv_assignment_watching``: few). Elsewhere: one range of their assignments' copies."""
    if connection.vendor != "postgresql":
        late = Q(grievance_status=GrievanceStatus.OPEN, grievance_due_at__lt=now)
        due_today = Q(grievance_status=GrievanceStatus.OPEN, grievance_due_at__gte=now, grievance_due_at__lt=day_end)
        held = GrievanceAssignment.objects.filter(person_id=person_id, ended_at__isnull=True, names_person=False,
                                                  grievance_status__in=OPEN_STATUSES)
        return [counts_query(held, _same,
                             mine=Count("grievance_id", distinct=True),
                             mine_overdue=Count("grievance_id", distinct=True, filter=late),
                             mine_due_today=Count("grievance_id", distinct=True, filter=due_today))]
    slot, end = tally.slot_of(now), tally.slot_of(day_end)
    parts = [raw_counts_query(GrievanceHolderTally, HELD_SQL, [slot, slot, slot, end, person_id], HELD_COLUMNS, _same),
             _held_due(person_id, tally.slot_start(slot), now, "held_due_before_now")]
    if end > slot and day_end > tally.slot_start(end):
        parts.append(_held_due(person_id, tally.slot_start(end), day_end, "held_due_last_slot"))
    elif end == slot:
        parts.append(_held_due(person_id, now, day_end, "held_due_today"))
    parts.append(raw_counts_query(GrievanceAssignment, WATCHED_SQL, [now, now, day_end, person_id, person_id],
                                  WATCHED_COLUMNS, _same))
    return parts


# The reader's own counts on PostgreSQL, in SQL: a few index probes, whose querysets cost more to build and
# compile on every visit than the database spends reading them. Constants of this module and the enums only.
_OPEN, _ASSIGNEE, _WATCHER = GrievanceStatus.OPEN.value, AssignmentRole.ASSIGNEE.value, AssignmentRole.WATCHER.value
_OPEN_LIST = ", ".join(f"'{status}'" for status in OPEN_STATUSES)
_LEVEL_LIST = ", ".join(f"'{level}'" for level in GrievanceLevel.values)
HELD_COLUMNS = ("held_open", "held_before", "held_slot", "held_between")
HELD_SQL = (
    "SELECT SUM(open_count), SUM(open_count) FILTER (WHERE slot < %s), SUM(open_count) FILTER (WHERE slot = %s), "  # noqa: S608
    "SUM(open_count) FILTER (WHERE slot > %s AND slot < %s) "
    f"FROM {GrievanceHolderTally._meta.db_table} WHERE person_id = %s")
# The grievances due in part of a quarter hour (``grv_open_due``, one range per level), each looked up in
# their active assignments (``grv_assignment_one_active``): the person's as assignee, copies agreeing.
HELD_DUE_SQL = (
    f"SELECT COUNT(*) FROM {Grievance._meta.db_table} AS g JOIN {GrievanceAssignment._meta.db_table} AS a "  # noqa: S608
    f"ON a.grievance_id = g.id AND a.person_id = %s AND a.role = '{_ASSIGNEE}' AND a.ended_at IS NULL "
    f"WHERE g.status = '{_OPEN}' AND g.level IN ({_LEVEL_LIST}) AND g.due_at >= %s AND g.due_at < %s "
    f"AND NOT a.names_person AND a.grievance_status = '{_OPEN}' "
    "AND a.grievance_due_at >= %s AND a.grievance_due_at < %s")
# The grievances they only watch (``grv_assignment_watching``: few rows); one they also hold counts once.
WATCHED_COLUMNS = ("watched", "watched_overdue", "watched_due_today")
WATCHED_SQL = (
    f"SELECT COUNT(*), COUNT(*) FILTER (WHERE w.grievance_status = '{_OPEN}' AND w.grievance_due_at < %s), "  # noqa: S608
    f"COUNT(*) FILTER (WHERE w.grievance_status = '{_OPEN}' AND w.grievance_due_at >= %s AND w.grievance_due_at < %s) "
    f"FROM {GrievanceAssignment._meta.db_table} AS w WHERE w.person_id = %s AND w.ended_at IS NULL "
    f"AND w.role = '{_WATCHER}' AND NOT w.names_person AND w.grievance_status IN ({_OPEN_LIST}) AND NOT EXISTS ("
    f"SELECT 1 FROM {GrievanceAssignment._meta.db_table} AS a WHERE a.grievance_id = w.grievance_id "
    f"AND a.person_id = %s AND a.role = '{_ASSIGNEE}' AND a.ended_at IS NULL)")


def _held_due(person_id: int, start, end, name: str) -> CountsQuery:
    """How many open grievances the person holds as assignee due in [start, end), a part of a quarter hour."""
    return raw_counts_query(Grievance, HELD_DUE_SQL, [person_id, start, end, start, end], (name,), _same)


def _held_counts(get, *, now, day_end) -> dict[str, int]:
    """"mine", "mine_overdue" and "mine_due_today" from the columns of ``_held_parts``."""
    if connection.vendor != "postgresql":
        return {name: get(name) for name in ("mine", "mine_overdue", "mine_due_today")}
    if day_end <= now:
        due_today = 0
    elif tally.slot_of(day_end) == tally.slot_of(now):
        due_today = get("held_due_today")
    else:
        due_today = get("held_slot") - get("held_due_before_now") + get("held_between") + get("held_due_last_slot")
    return {"mine": get("held_open") + get("watched"),
            "mine_overdue": get("held_before") + get("held_due_before_now") + get("watched_overdue"),
            "mine_due_today": due_today + get("watched_due_today")}
