"""A workshop plan read as plain values for ``planning``: its districts with their expected sizes (the plan's
``per_district``, else how many hold the invited posts in each district: one grouped query), its slots with
capacities, the current assignment and its check."""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Count
from django.db.models.functions import Substr

from sangathan.core.tree import subtree_q
from sangathan.events import planning
from sangathan.events.models import PlanAssignment, WorkshopPlan
from sangathan.org.models import Position, Unit


@dataclass
class PlanState:
    units: dict  # district id → Unit
    districts: list[planning.District]
    slots: list[planning.Slot]
    assignment: dict[int, int]
    check: planning.PlanCheck

    def load(self, slot_id: int) -> int:
        sizes = {d.id: d.size for d in self.districts}
        return sum(sizes.get(d, 0) for d, s in self.assignment.items() if s == slot_id)


def plan_state(plan: WorkshopPlan) -> PlanState:
    units = {u.pk: u for u in Unit.objects.filter(subtree_q("path", plan.unit_path), level="district",
                                                  is_active=True).order_by("path")}
    if plan.per_district:
        sizes = {pk: plan.per_district for pk in units}
    else:
        length = len(next(iter(units.values())).path) if units else 0
        by_path = dict(Position.objects.current().filter(subtree_q("unit_path", plan.unit_path),
                                                         post__code__in=plan.posts or ["president"])
                       .annotate(prefix=Substr("unit_path", 1, length)).values("prefix").order_by()
                       .annotate(n=Count("person_id", distinct=True)).values_list("prefix", "n"))
        sizes = {pk: by_path.get(u.path, 0) for pk, u in units.items()}
    districts = [planning.District(pk, u.parent_id, sizes[pk]) for pk, u in units.items()]
    slots = [planning.Slot(s.pk, s.venue.capacity) for s in plan.slots.select_related("venue")]
    assignment = dict(PlanAssignment.objects.filter(plan=plan).values_list("district_id", "slot_id"))
    return PlanState(units, districts, slots, assignment, planning.plan_check(districts, slots, assignment))
