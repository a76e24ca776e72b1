"""The arithmetic of plans, free of the database: checking a workshop plan, suggesting one, batching
groups over days and laying out one-to-one slots. Services feed these plain values and write the result."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta


@dataclass(frozen=True)
class District:
    id: int
    group: int  # its division (nearness: districts of a division go together)
    size: int  # people expected from it


@dataclass(frozen=True)
class Slot:
    id: int
    capacity: int


@dataclass
class PlanCheck:
    missing: list[int] = field(default_factory=list)  # district ids assigned nowhere
    unknown: list[int] = field(default_factory=list)  # assigned, but not a district of the plan
    over: dict[int, tuple[int, int]] = field(default_factory=dict)  # slot id → (expected, capacity)

    @property
    def ok(self) -> bool:
        return not (self.missing or self.unknown or self.over)


def plan_check(districts: list[District], slots: list[Slot], assignment: dict[int, int]) -> PlanCheck:
    """Every district exactly once (``assignment`` maps a district to one slot, so "twice" cannot be written;
    the unique key holds it in the database), none left out, no slot over its venue's capacity."""
    known = {d.id: d for d in districts}
    check = PlanCheck(missing=[d.id for d in districts if d.id not in assignment],
                      unknown=sorted(set(assignment) - set(known)))
    load: dict[int, int] = defaultdict(int)
    for district_id, slot_id in assignment.items():
        if district_id in known:
            load[slot_id] += known[district_id].size
    for slot in slots:
        if slot.capacity and load[slot.id] > slot.capacity:
            check.over[slot.id] = (load[slot.id], slot.capacity)
    return check


def plan_suggest(districts: list[District], slots: list[Slot]) -> tuple[dict[int, int], list[int]]:
    """Assign districts to slots within capacity, keeping each division together where it fits.

    Divisions, largest first, go whole to the slot with the most room that takes them; a division that fits
    nowhere whole is split, its districts (largest first) each to the slot with the most room that takes it.
    Returns the assignment and the districts that fit nowhere."""
    room = {s.id: (s.capacity if s.capacity else 10**9) for s in slots}
    order = [s.id for s in slots]
    groups: dict[int, list[District]] = defaultdict(list)
    for district in districts:
        groups[district.group].append(district)
    assignment: dict[int, int] = {}
    left: list[int] = []

    def roomiest(need: int) -> int | None:
        fitting = [sid for sid in order if room[sid] >= need]
        return max(fitting, key=lambda sid: (room[sid], -order.index(sid))) if fitting else None

    for members in sorted(groups.values(), key=lambda ms: (-sum(d.size for d in ms), ms[0].id)):
        need = sum(d.size for d in members)
        whole = roomiest(need)
        if whole is not None:
            for district in members:
                assignment[district.id] = whole
            room[whole] -= need
            continue
        for district in sorted(members, key=lambda d: (-d.size, d.id)):
            slot_id = roomiest(district.size)
            if slot_id is None:
                left.append(district.id)
            else:
                assignment[district.id] = slot_id
                room[slot_id] -= district.size
    return assignment, sorted(left)


def batch_schedule(groups: list, days: list[date], per_day: int) -> tuple[dict[date, list], list]:
    """N days, K groups a day, in the given order: the schedule and the groups left unscheduled."""
    per_day = max(per_day, 0)
    schedule = {day: list(groups[i * per_day:(i + 1) * per_day]) for i, day in enumerate(days)}
    placed = per_day * len(days)
    return {day: gs for day, gs in schedule.items() if gs}, list(groups[placed:])


def one_to_one_slots(people: list, *, start: datetime, minutes: int, gap: int = 0,
                     day_end: datetime | None = None) -> tuple[list[tuple[object, datetime, datetime]], list]:
    """Back-to-back slots for ``people`` with the same leadership: no two overlap. Those who do not fit
    before ``day_end`` are returned apart."""
    slots, left, at = [], [], start
    length, pause = timedelta(minutes=minutes), timedelta(minutes=gap)
    for person in people:
        if day_end is not None and at + length > day_end:
            left.append(person)
            continue
        slots.append((person, at, at + length))
        at += length + pause
    return slots, left
