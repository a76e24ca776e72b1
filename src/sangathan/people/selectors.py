"""Reads of the people app. Nothing here returns a person outside the given scope."""

from dataclasses import dataclass
from datetime import datetime

from django.db.models import Count, Q
from django.db.models.functions import Substr

from sangathan.access.scope import Scope
from sangathan.core.epic import EPIC_RE
from sangathan.core.errors import NotFound
from sangathan.core.names import has_devanagari, name_key, to_latin
from sangathan.core.phones import try_normalize_mobile
from sangathan.core.tree import SEGMENT, subtree_q, subtrees_q
from sangathan.org.models import Unit
from sangathan.people.models import Person, PersonFlag, UnitHeadcount

# Subtrees with more people than this show the periodic headcount instead of a live count: counting a
# state's millions of index entries on every page view costs seconds (docs/PERFORMANCE.md).
LIVE_COUNT_LIMIT = 200_000


def people_visible(scope: Scope):
    return scope.filter(Person.objects.all(), "unit_path")


def person_list(*, scope: Scope, unit=None, q: str = "", status: str = ""):
    """People inside the scope, optionally under ``unit`` and matching ``q`` (name in either script,
    mobile, voter ID)."""
    people = people_visible(scope).select_related("unit")
    if unit is not None:
        people = people.filter(subtree_q("unit_path", unit.path))
    if status:
        people = people.filter(status=status)
    q = (q or "").strip()
    if q:
        people = people.filter(_search_q(q))
    return people.order_by("name_latin", "id")


def _search_q(q: str) -> Q:
    compact = q.replace(" ", "").upper()
    if EPIC_RE.match(compact):
        return Q(epic=compact)
    digits = "".join(ch for ch in q if ch.isdigit())
    if digits and len(digits) >= 4 and not has_devanagari(q) and len(digits) >= len(q.replace(" ", "")) - 3:
        mobile = try_normalize_mobile(q)
        if mobile:
            return Q(mobile=mobile)
        return Q(mobile__endswith=digits)
    query = Q()
    key = name_key(q)
    if key:
        # Every word of the query must start a word of the name's key, in order of the name.
        query |= Q(name_key__startswith=key) | Q(name_key__contains=" " + key)
    latin = to_latin(q)
    if latin:
        query |= Q(name_latin__startswith=latin) | Q(name_latin__contains=" " + latin)
    return query if query else Q(pk__in=[])


def person_get_for_actor(person_id, scope: Scope) -> Person:
    """The person if inside the scope; NotFound when absent or hidden alike."""
    try:
        person = Person.objects.select_related("unit").get(pk=int(person_id))
    except (Person.DoesNotExist, TypeError, ValueError, OverflowError):
        raise NotFound("No such person.") from None
    if not scope.can_read_path(person.unit_path):
        raise NotFound("No such person.")
    return person


def people_count_by_prefix(root_path: str, prefix_len: int) -> dict[str, int]:
    """People under ``root_path`` counted per path prefix of ``prefix_len`` characters (per child unit)."""
    return dict(
        Person.objects.filter(subtree_q("unit_path", root_path))
        .annotate(prefix=Substr("unit_path", 1, prefix_len))
        .values("prefix")
        .annotate(n=Count("*"))
        .values_list("prefix", "n")
    )


def person_flags_open(*, scope: Scope, kind: str = "", unit=None):
    """Open flags on records inside the scope (optionally of one kind, under ``unit``), newest first."""
    flags = scope.filter(PersonFlag.objects.filter(resolved_at__isnull=True), "unit_path").select_related("person")
    if kind:
        flags = flags.filter(kind=kind)
    if unit is not None:
        flags = flags.filter(subtree_q("unit_path", unit.path))
    return flags.order_by("-raised_at", "-id")


def person_history(person: Person):
    return person.history.select_related("actor").order_by("-at", "-id")


@dataclass
class ChildSummary:
    unit: Unit
    people: int
    booths: int


@dataclass
class Headcount:
    people: int
    as_of: datetime | None  # None: counted live, exact now


def _rolled_up(unit: Unit) -> UnitHeadcount | None:
    """The periodic headcount of ``unit``, when its subtree is big enough to need it."""
    row = UnitHeadcount.objects.filter(unit=unit).first()
    return row if row is not None and row.people > LIVE_COUNT_LIMIT else None


def unit_headcount(unit: Unit, scope: Scope) -> Headcount:
    """People in ``unit``'s subtree: live for all but the biggest subtrees (see LIVE_COUNT_LIMIT)."""
    if not scope.can_read_path(unit.path):
        return Headcount(0, None)
    row = _rolled_up(unit)
    if row is not None:
        return Headcount(row.people, row.computed_at)
    return Headcount(Person.objects.filter(subtree_q("unit_path", unit.path)).count(), None)


def _child_people_counts(unit: Unit) -> dict[str, int]:
    if _rolled_up(unit) is not None:
        return dict(UnitHeadcount.objects.filter(unit__parent=unit).values_list("unit__path", "people"))
    return people_count_by_prefix(unit.path, len(unit.path) + SEGMENT)


def unit_children_with_counts(unit: Unit, scope: Scope) -> list[ChildSummary]:
    """Children of ``unit`` with the people and booths in each child's subtree: four queries in all.

    Counting groups the parent's subtree by the child-length prefix of the path, which PostgreSQL
    answers from the path index without touching the rows; big subtrees read the periodic headcount.
    """
    children = [child for child in unit.children.order_by("path") if scope.can_read_path(child.path)]
    if not children:
        return []
    prefix_len = len(unit.path) + SEGMENT
    people = _child_people_counts(unit) if scope.can_read_path(unit.path) else {}
    booths = dict(
        Unit.objects.filter(subtree_q("path", unit.path), level="booth")
        .annotate(prefix=Substr("path", 1, prefix_len))
        .values("prefix")
        .annotate(n=Count("*"))
        .values_list("prefix", "n")
    )
    return [
        ChildSummary(child, people.get(child.path, 0), 1 if child.level == "booth" else booths.get(child.path, 0))
        for child in children
    ]


def units_with_counts(units: list[Unit], scope: Scope) -> list[ChildSummary]:
    """The given units (a reader's scope roots) with the people and booths under each.

    Two queries per distinct path length, not per unit: units of one depth are counted in one grouped scan;
    units big enough to have a periodic headcount take it instead.
    """
    units = [unit for unit in units if scope.can_read_path(unit.path)]
    people: dict[str, int] = dict(
        UnitHeadcount.objects.filter(unit__in=units, people__gt=LIVE_COUNT_LIMIT).values_list("unit__path", "people")
    )
    booths: dict[str, int] = {}
    for length in sorted({len(unit.path) for unit in units}):
        paths = [unit.path for unit in units if len(unit.path) == length]
        live = [path for path in paths if path not in people]
        if live:
            people.update(
                Person.objects.filter(subtrees_q("unit_path", live))
                .annotate(prefix=Substr("unit_path", 1, length))
                .values("prefix")
                .annotate(n=Count("*"))
                .values_list("prefix", "n")
            )
        booths.update(
            Unit.objects.filter(subtrees_q("path", paths), level="booth")
            .annotate(prefix=Substr("path", 1, length))
            .values("prefix")
            .annotate(n=Count("*"))
            .values_list("prefix", "n")
        )
    return [ChildSummary(unit, people.get(unit.path, 0), booths.get(unit.path, 0)) for unit in units]
