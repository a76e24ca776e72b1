"""Reads of the people app. Nothing here returns a person outside the given scope."""

from dataclasses import dataclass

from django.db.models import Count, Exists, OuterRef, Q, Subquery
from django.db.models.functions import Coalesce, Substr
from django.utils.translation import gettext

from sangathan.access.models import AuditLog
from sangathan.access.scope import Scope
from sangathan.access.services import audit_log
from sangathan.core.aggregates import CountsQuery, counts_joined, counts_query, nothing
from sangathan.core.errors import NotFound, PermissionDenied
from sangathan.core.tree import subtree_q
from sangathan.org.models import Position, Unit
from sangathan.people.models import ImportJob, Person, PersonFlag, PersonMerge, UnitHeadcount
from sangathan.people.search import count_capped, search


def people_visible(scope: Scope):
    return scope.filter(Person.objects.all(), "unit_path")


# A list read's audit row counts the matches up to this many (a bounded count: cheap on any registry).
AUDIT_COUNT_LIMIT = 1000


def person_list(*, scope: Scope, unit=None, q: str = "", status: str = "", post=None, wing=None, tag=None,
                verified: bool | None = None, audit: bool = False):
    """People inside the scope, optionally under ``unit``, matching ``q`` (``people.search``: a name in
    either script, a mobile, voter ID or membership number) and the filters: ``status``; ``post``, ``wing``
    (a current position with that post / in that wing; model or code); ``tag`` (model or code);
    ``verified`` (True: verified records only, False: unverified only).

    Ordered by relevance when searching, else by Latin name and id.

    ``audit``: a reader's list or search (web page, API, unit page) writes one ``people.list`` /
    ``people.search`` audit row with the filters, the query and the number of matches (up to
    ``AUDIT_COUNT_LIMIT``; ``count_capped`` when there are more).
    """
    if unit is not None and scope.can_read_path(unit.path):
        # The unit's subtree lies inside the scope: its own prefix filter alone. The scope's prefix as well
        # would make PostgreSQL multiply the two estimates, think the subtree tiny and sort all of it
        # instead of walking the name index (6 ms instead of 0.8 for a district at 1M; docs/PERFORMANCE.md).
        people = Person.objects.filter(subtree_q("unit_path", unit.path)).select_related("unit")
    else:
        people = people_visible(scope).select_related("unit")
        if unit is not None:
            people = people.filter(subtree_q("unit_path", unit.path))
    if status:
        people = people.filter(status=status)
    if post is not None or wing is not None:
        positions = Position.objects.current().filter(person_id=OuterRef("pk"))
        if post is not None:
            positions = positions.filter(**_by_code("post", post))
        if wing is not None:
            positions = positions.filter(**_by_code("wing", wing))
        people = people.filter(Exists(positions))
    if tag is not None:
        people = people.filter(Exists(Person.tags.through.objects.filter(
            person_id=OuterRef("pk"), **_by_code("tag", tag))))
    if verified is not None:
        people = people.filter(verified_at__isnull=not verified)
    people = search(people, q)
    if audit:
        _audit_list(scope, people, q=q, filters={
            "unit": unit.code if unit is not None else "", "status": status, "post": _code(post),
            "wing": _code(wing), "tag": _code(tag), "verified": verified})
    return people


def _code(value) -> str:
    return getattr(value, "code", value) or ""


def _audit_list(scope: Scope, people, *, q: str, filters: dict) -> None:
    count = count_capped(people, AUDIT_COUNT_LIMIT)  # a name search walks its names and stops
    detail = {"q": q[:200], "filters": {key: value for key, value in filters.items() if value not in ("", None)},
              "count": min(count, AUDIT_COUNT_LIMIT), "count_capped": count > AUDIT_COUNT_LIMIT}
    audit_log(scope=scope, action="people.search" if q else "people.list", detail=detail)


def _by_code(field: str, value) -> dict:
    """A filter on a vocabulary foreign key given as a model instance or its code."""
    if hasattr(value, "pk"):
        return {field: value}
    return {f"{field}__code": value}


class PersonMergedAway(NotFound):
    """The record was merged into another one the reader may see: ``survivor_id`` is where it lives now."""

    def __init__(self, survivor_id: int):
        super().__init__(gettext("This record was merged into record %(id)s.") % {"id": survivor_id},
                         field="id")
        self.code = "merged"
        self.survivor_id = survivor_id

    def as_dict(self) -> dict:
        return {**super().as_dict(), "merged_into": self.survivor_id}


def person_get_for_actor(person_id, scope: Scope, *, for_write: bool = False, audit: bool = True) -> Person:
    """The person if inside the scope; NotFound when absent or hidden alike. A record merged into one the
    reader may see raises ``PersonMergedAway`` (a NotFound that names the survivor).

    Reading (``for_write=False``) writes the ``person.view`` audit row (channel and address from the
    scope), so no handler can forget it; ``audit=False`` only where the record is not shown (a name picked
    as an assignee). ``for_write=True``: PermissionDenied when visible but not writable, the row locked.
    """
    people = Person.objects.select_related("unit")
    if for_write:
        people = people.select_for_update(of=("self",))
    try:
        person = people.get(pk=int(person_id))
    except (TypeError, ValueError, OverflowError):
        raise NotFound("No such person.") from None
    except Person.DoesNotExist:
        merge = PersonMerge.objects.filter(merged_id=int(person_id), survivor__isnull=False).select_related(
            "survivor").order_by("-at", "-id").first()
        if merge is not None and scope.can_read_path(merge.survivor.unit_path):
            raise PersonMergedAway(merge.survivor_id) from None
        raise NotFound("No such person.") from None
    if not scope.can_read_path(person.unit_path):
        raise NotFound("No such person.")
    if for_write:
        if not scope.can_write_path(person.unit_path):
            raise PermissionDenied(gettext("You may not change this person's record."))
    elif audit:
        audit_log(scope=scope, action=AuditLog.Action.PERSON_VIEW, target=person)
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


def people_today_work(scope: Scope, *, flags_shown: int = 3) -> dict:
    """The registry's part of the home: the actor's imports not finished (waiting, running or failed; every
    import for a superuser, as the import page lists them) and the open flags on records in their scope,
    the newest ``flags_shown`` with their person. Two queries, one when no flag is open; nothing for an
    empty scope."""
    return people_today_work_query(scope, flags_shown=flags_shown).read()


def people_today_work_query(scope: Scope, *, flags_shown: int = 3) -> CountsQuery[dict]:
    """``people_today_work``'s counts as a query not yet read, to read with the home's other counts; the
    newest flags are read when it is finished, only when some are open."""
    if scope.is_empty or scope.user_id is None:
        return nothing({"imports": 0, "flags": 0, "flagged": []})
    jobs = ImportJob.objects.all() if scope.is_superuser else ImportJob.objects.filter(importer_id=scope.user_id)
    unfinished = Q(status__in=[ImportJob.Status.QUEUED, ImportJob.Status.RUNNING, ImportJob.Status.FAILED])
    flags = person_flags_open(scope=scope)

    def finish(row: dict) -> dict:
        return {"imports": row["imports"], "flags": row["flags"],
                "flagged": list(flags[:flags_shown]) if row["flags"] else []}

    return counts_joined(finish, counts_query(jobs.filter(unfinished), dict, imports=Count("pk")),
                         counts_query(flags, dict, flags=Count("pk")))


@dataclass
class ChildSummary:
    unit: Unit
    people: int
    booths: int


@dataclass
class Headcount:
    people: int


def unit_headcount(unit: Unit, scope: Scope) -> Headcount:
    """People in ``unit``'s subtree, from the headcount every writer keeps current: one primary-key read,
    whatever the subtree's size."""
    if not scope.can_read_path(unit.path):
        return Headcount(0)
    return Headcount(UnitHeadcount.objects.filter(unit=unit).values_list("people", flat=True).first() or 0)


def _with_people(units):
    """``units`` annotated with ``headcount``, the people of each one's subtree (a primary-key probe each)."""
    people = UnitHeadcount.objects.filter(unit=OuterRef("pk")).values("people")[:1]
    return units.annotate(headcount=Coalesce(Subquery(people), 0))


def unit_children_with_counts(unit: Unit, scope: Scope) -> list[ChildSummary]:
    """Children of ``unit`` with the people and booths in each child's subtree: one query, whatever the
    number of children or of people (the headcount and ``Unit.booth_count`` are kept current)."""
    children = [child for child in _with_people(unit.children.order_by("path")) if scope.can_read_path(child.path)]
    counted = scope.can_read_path(unit.path)
    return [ChildSummary(child, child.headcount if counted else 0, child.booth_count) for child in children]


def units_with_counts(units: list[Unit], scope: Scope) -> list[ChildSummary]:
    """The given units (a reader's scope roots) with the people and booths under each: one query."""
    ids = [unit.pk for unit in units if scope.can_read_path(unit.path)]
    counted = {unit.pk: unit for unit in _with_people(Unit.objects.filter(pk__in=ids))}
    return [ChildSummary(unit, unit.headcount, unit.booth_count) for unit in (counted[pk] for pk in ids)]
