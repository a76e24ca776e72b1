"""Who gets a grievance: the routing rules at intake, the state cell's sharing, recusal around the named.

A rule names a post (and wing) at a level of the grievance's ladder (its unit's ancestors). The holders
of that post at that ancestor get the grievance; a holder the grievance names is routed around — the
same post is looked up one level higher, and so on to the state. The state cell shares escalated cases
among its members in turn or by fewest open cases (``CellSettings.state_assignment``).
"""

from __future__ import annotations

from django.db.models import Count, Q

from sangathan.access.scope import Scope
from sangathan.core.tree import ancestor_paths
from sangathan.grievances.enums import (
    OPEN_STATUSES,
    AssignmentRole,
    AssignmentStrategy,
    EventKind,
    GrievanceLevel,
)
from sangathan.grievances.models import CellSettings, Grievance, GrievanceAssignment, RoutingRule
from sangathan.grievances.policies import SAHYOG_WING, STATE_LEVEL
from sangathan.grievances.services.config import cell_settings
from sangathan.grievances.services.events import event_add
from sangathan.org.models import Position, Unit


def district_of(unit: Unit) -> Unit | None:
    """The district ``unit`` lies in (itself when it is one); None above the district level."""
    if unit.level == "district":
        return unit
    return Unit.objects.filter(path__in=ancestor_paths(unit.path), level="district").first()


def _rules_for(grievance: Grievance) -> list[RoutingRule]:
    if not RoutingRule.objects.exists():
        # A new installation routes by the default rules until the state convener edits them.
        from sangathan.grievances.services.config import grievances_seed_defaults

        grievances_seed_defaults(scope=Scope.system())
    rules = list(RoutingRule.objects.filter(is_active=True, kind=grievance.kind)
                 .filter(Q(department__isnull=True) | Q(department_id=grievance.department_id))
                 .select_related("post", "wing"))
    specific = [rule for rule in rules if rule.department_id is not None]
    # Rules for the grievance's own department replace the general ones of its kind.
    return specific or rules


def _holders(*, post_id: int, wing_id: int | None, unit_ids: list[int]) -> dict[int, list[int]]:
    """Person ids holding the post (in the wing) now, per unit id."""
    rows = Position.objects.current().filter(post_id=post_id, wing_id=wing_id, unit_id__in=unit_ids)
    found: dict[int, list[int]] = {}
    for unit_id, person_id in rows.order_by("start_date", "id").values_list("unit_id", "person_id"):
        found.setdefault(unit_id, []).append(person_id)
    return found


def route_new(grievance: Grievance, *, scope: Scope) -> list[GrievanceAssignment]:
    """Assign a new grievance by the routing rules, routing around the person it names (``assigned`` and
    ``recused`` events, by the scope's actor)."""
    actor = scope.actor
    ladder = list(Unit.objects.filter(path__in=[*ancestor_paths(grievance.unit_path), grievance.unit_path])
                  .order_by("-depth"))  # nearest first
    by_level = {unit.level: unit for unit in reversed(ladder)}
    assignments: list[GrievanceAssignment] = []
    # Those still on it (a watcher when a case is sent back down) are not assigned twice.
    taken: set[tuple[int, str]] = set(GrievanceAssignment.objects.filter(
        grievance_id=grievance.pk, ended_at__isnull=True).values_list("person_id", "role")) if grievance.pk else set()
    for rule in _rules_for(grievance):
        start = by_level.get(rule.unit_level)
        if start is None:
            continue
        upward = [unit for unit in ladder if unit.depth <= start.depth]
        holders = _holders(post_id=rule.post_id, wing_id=rule.wing_id, unit_ids=[unit.pk for unit in upward])
        routed_around = False
        for unit in upward:
            people = holders.get(unit.pk, [])
            if grievance.named_person_id in people:
                event_add(scope=scope, grievance=grievance, kind=EventKind.RECUSED,
                          data={"post": rule.post.code, "unit": unit.pk})
                people = [pid for pid in people if pid != grievance.named_person_id]
                routed_around = True
            for person_id in people:
                if (person_id, rule.role) not in taken:
                    taken.add((person_id, rule.role))
                    assignments.append(GrievanceAssignment(
                        grievance=grievance, person_id=person_id, role=rule.role, level=grievance.level,
                        assigned_by=actor if getattr(actor, "is_authenticated", False) else None,
                    ).copy_from(grievance))  # bulk_create sends no pre_save
            # Up the ladder only around a named holder; an empty post elsewhere leaves the rule unmatched.
            if people or not routed_around:
                break
    GrievanceAssignment.objects.bulk_create(assignments)
    for assignment in assignments:
        event_add(scope=scope, grievance=grievance, kind=EventKind.ASSIGNED,
                  data={"person": assignment.person_id, "role": assignment.role, "level": assignment.level})
    return assignments


def state_cell_members(*, exclude_person_id: int | None = None) -> list[int]:
    """Person ids of the state support cell: current Sahyog Cell positions at the state unit."""
    members = (Position.objects.current().filter(wing__code=SAHYOG_WING, unit__level=STATE_LEVEL)
               .order_by("person_id").values_list("person_id", flat=True).distinct())
    return [pid for pid in members if pid != exclude_person_id]


def _state_member_pick(*, exclude_person_id: int | None = None, settings: CellSettings | None = None) -> int | None:
    """The state cell member who gets the next case, by the configured strategy; None without members."""
    members = state_cell_members(exclude_person_id=exclude_person_id)
    if not members:
        return None
    settings = CellSettings.objects.select_for_update().get(pk=(settings or cell_settings()).pk)
    if settings.state_assignment == AssignmentStrategy.ROUND_ROBIN:
        chosen = members[settings.round_robin_cursor % len(members)]
        CellSettings.objects.filter(pk=settings.pk).update(round_robin_cursor=settings.round_robin_cursor + 1)
        return chosen
    loads = dict(GrievanceAssignment.objects.filter(
        person_id__in=members, ended_at__isnull=True, role=AssignmentRole.ASSIGNEE,
        grievance__status__in=OPEN_STATUSES,
    ).values_list("person_id").annotate(n=Count("id")).values_list("person_id", "n"))
    return min(members, key=lambda pid: (loads.get(pid, 0), pid))


def _state_members_in_turn(count: int, *, settings: CellSettings) -> list[int | None]:
    """``count`` picks in turn for a bulk escalation (one cursor move for the batch)."""
    members = state_cell_members()
    if not members:
        return [None] * count
    settings = CellSettings.objects.select_for_update().get(pk=settings.pk)
    start = settings.round_robin_cursor
    CellSettings.objects.filter(pk=settings.pk).update(round_robin_cursor=start + count)
    return [members[(start + i) % len(members)] for i in range(count)]


LEVEL_AFTER = {GrievanceLevel.DISTRICT: GrievanceLevel.STATE, GrievanceLevel.STATE: GrievanceLevel.MINISTER}
LEVEL_BELOW = {GrievanceLevel.MINISTER: GrievanceLevel.STATE, GrievanceLevel.STATE: GrievanceLevel.DISTRICT}
