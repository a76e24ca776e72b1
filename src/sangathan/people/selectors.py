"""Reads of the people app. Nothing here returns a person outside the given scope."""

from dataclasses import dataclass

from django.db.models import Count, Q
from django.db.models.functions import Substr

from sangathan.access.scope import Scope
from sangathan.core.epic import EPIC_RE
from sangathan.core.errors import NotFound
from sangathan.core.names import has_devanagari, name_key, to_latin
from sangathan.core.phones import try_normalize_mobile
from sangathan.core.tree import SEGMENT, subtree_q, subtrees_q
from sangathan.org.models import Unit
from sangathan.people.models import Person


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


def person_history(person: Person):
    return person.history.select_related("actor").order_by("-at", "-id")


@dataclass
class ChildSummary:
    unit: Unit
    people: int
    booths: int


def unit_children_with_counts(unit: Unit, scope: Scope) -> list[ChildSummary]:
    """Children of ``unit`` with the people and booths in each child's subtree: three queries in all.

    Counting groups the parent's subtree by the child-length prefix of the path, which PostgreSQL
    answers from the path index without touching the rows.
    """
    children = [child for child in unit.children.order_by("path") if scope.can_read_path(child.path)]
    if not children:
        return []
    prefix_len = len(unit.path) + SEGMENT
    people = people_count_by_prefix(unit.path, prefix_len) if scope.can_read_path(unit.path) else {}
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

    Two queries per distinct path length, not per unit: units of one depth are counted in one grouped scan.
    """
    units = [unit for unit in units if scope.can_read_path(unit.path)]
    people: dict[str, int] = {}
    booths: dict[str, int] = {}
    for length in sorted({len(unit.path) for unit in units}):
        paths = [unit.path for unit in units if len(unit.path) == length]
        people.update(
            Person.objects.filter(subtrees_q("unit_path", paths))
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
