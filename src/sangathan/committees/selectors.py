"""Reads of committees, each taking the reader's ``Scope``.

Completeness is set-based: for a unit and its children, two grouped queries over the unit's subtree —
units per (child prefix, level) and active committees per (child prefix, type) with how many are
complete — whatever the size of the subtree (the pattern of ``campaigns.selectors``). The missing items
are one query per type: incomplete committees, and units of the type's level with no active committee
(an anti-join), both range scans on the subtree's paths.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

from django.db.models import Count, Exists, OuterRef, Q, Sum
from django.db.models.functions import Substr

from sangathan.access.scope import Scope
from sangathan.committees import checks
from sangathan.committees.enums import CommitteeStatus
from sangathan.committees.models import Committee, CommitteeMember, CommitteeType, Page, PageCheck, PageTally
from sangathan.core.db_router import reading_from_replica
from sangathan.core.errors import NotFound
from sangathan.core.reference import ReferenceRows
from sangathan.core.tree import SEGMENT, subtree_q
from sangathan.org.models import Post, Unit, Wing

BOOTH, PAGE = "booth", "page"


def _committee_types() -> list[CommitteeType]:
    return list(CommitteeType.objects.all())


COMMITTEE_TYPES = ReferenceRows(_committee_types)


def committee_types(token: int | None = None) -> list[CommitteeType]:
    """Every committee type; with the current ``core.reference`` token (``stamp_counts``), the process's
    copy while no type changed (no query), else read now. Shared rows: read them, never change them."""
    return COMMITTEE_TYPES.get(token)


def committee_get_for_actor(committee_id, scope: Scope) -> Committee:
    try:
        committee = Committee.objects.select_related("type", "unit", "convener").get(pk=int(committee_id))
    except (Committee.DoesNotExist, TypeError, ValueError, OverflowError):
        raise NotFound("No such committee.") from None
    if not scope.can_read_path(committee.unit_path):
        raise NotFound("No such committee.")
    return committee


def seat_get_for_actor(committee: Committee, seat_id) -> CommitteeMember:
    try:
        return committee.seats.select_related("person", "committee").get(pk=int(seat_id))
    except (CommitteeMember.DoesNotExist, TypeError, ValueError, OverflowError):
        raise NotFound("No such member.") from None


def unit_committees(unit: Unit, scope: Scope):
    """The unit's own active committees."""
    scope.require(unit.path, write=False)
    return list(Committee.objects.filter(unit=unit, status=CommitteeStatus.ACTIVE).select_related("type", "convener"))


def labels() -> dict[str, str]:
    """Post and wing names by code, for reasons."""
    names = {p.code: p.label for p in Post.objects.all()}
    names.update({w.code: w.label for w in Wing.objects.all()})
    return names


# --- Completeness --------------------------------------------------------------------------------------

@dataclass
class Figure:
    type: CommitteeType
    units: int = 0
    formed: int = 0
    complete: int = 0

    @property
    def missing(self) -> int:
        return self.units - self.complete

    @property
    def percent(self) -> int | None:
        return round(100 * self.complete / self.units) if self.units else None

    def as_dict(self) -> dict:
        return {"type": self.type.code, "units": self.units, "formed": self.formed, "complete": self.complete,
                "missing": self.missing, "percent": self.percent}


@dataclass
class UnitCompleteness:
    unit: Unit
    figures: list[Figure]
    checked: int = 0  # page in-charges reached by a verification call
    working: int = 0  # of whom the answers say the page committee works

    @property
    def shown(self) -> list[Figure]:
        return [f for f in self.figures if f.units]


@reading_from_replica()
def completeness(*, scope: Scope, unit: Unit, types: list[CommitteeType] | None = None
                 ) -> tuple[UnitCompleteness, list[UnitCompleteness]]:
    """The unit's figures per committee type and each readable child's, with the page in-charges'
    verification calls. Three or four grouped queries, none over the pages themselves above a booth."""
    scope.require(unit.path, write=False)
    types = types if types is not None else committee_types()
    children = [c for c in unit.children.filter(is_active=True).order_by("path") if scope.can_read_path(c.path)]
    prefix_len = len(unit.path) + SEGMENT
    # Above a booth the pages and their committees (~30 a booth) are read from the per-booth tally; at a
    # booth or a page, from the tables themselves (a few dozen rows).
    tallied = {t.pk for t in types if t.level == PAGE} if unit.level not in (BOOTH, PAGE) else set()
    levels = {t.level for t in types if t.pk not in tallied}
    live = [t.pk for t in types if t.pk not in tallied]
    units: dict[tuple[str, str], int] = {}
    formed: dict[tuple[str, int], tuple[int, int]] = {}
    if levels:
        units = {(p, level): n for p, level, n in
                 Unit.objects.filter(subtree_q("path", unit.path), level__in=levels, is_active=True)
                 .annotate(prefix=Substr("path", 1, prefix_len)).values("prefix", "level")
                 .annotate(n=Count("*")).values_list("prefix", "level", "n")}
        formed = {(p, t): (n, c) for p, t, n, c in
                  Committee.objects.filter(subtree_q("unit_path", unit.path), type_id__in=live,
                                           status=CommitteeStatus.ACTIVE)
                  .annotate(prefix=Substr("unit_path", 1, prefix_len)).values("prefix", "type_id")
                  .annotate(n=Count("*"), c=Count("pk", filter=Q(is_complete=True)))
                  .values_list("prefix", "type_id", "n", "c")}
    if tallied:
        for p, t, pages, n, c in (PageTally.objects.filter(subtree_q("booth_path", unit.path), type_id__in=tallied)
                                  .annotate(prefix=Substr("booth_path", 1, prefix_len)).values("prefix", "type_id")
                                  .annotate(pages=Sum("pages"), n=Sum("formed"), c=Sum("complete"))
                                  .values_list("prefix", "type_id", "pages", "n", "c")):
            units[(p, f"#{t}")] = pages
            formed[(p, t)] = (n, c)

    checks = {p: (n, w) for p, n, w in
              PageCheck.objects.filter(subtree_q("unit_path", unit.path))
              .exclude(status__in=[PageCheck.Status.PENDING, PageCheck.Status.UNREACHED])
              .annotate(prefix=Substr("unit_path", 1, prefix_len)).values("prefix")
              .annotate(n=Count("*"), w=Count("pk", filter=Q(status=PageCheck.Status.WORKING)))
              .values_list("prefix", "n", "w")}

    def verified(row: UnitCompleteness, match) -> UnitCompleteness:
        for prefix, (n, w) in checks.items():
            if match(prefix):
                row.checked += n
                row.working += w
        return row

    def figures(match) -> list[Figure]:
        out = []
        for ctype in types:
            figure = Figure(ctype)
            counted = f"#{ctype.pk}" if ctype.pk in tallied else ctype.level
            for (prefix, level), n in units.items():
                if level == counted and match(prefix):
                    figure.units += n
            for (prefix, type_id), (n, c) in formed.items():
                if type_id == ctype.pk and match(prefix):
                    figure.formed += n
                    figure.complete += c
            out.append(figure)
        return out

    total = verified(UnitCompleteness(unit, figures(lambda prefix: True)), lambda prefix: True)
    rows = [verified(UnitCompleteness(child, figures(lambda prefix, path=child.path: prefix == path)),
                     lambda prefix, path=child.path: prefix == path) for child in children]
    return total, rows


@dataclass
class MissingItem:
    unit_id: int
    unit_code: str
    unit_name: str
    unit_path: str
    type: CommitteeType
    committee_id: int | None
    reasons: list[dict]

    def text(self, names: dict[str, str]) -> str:
        return "; ".join(checks.reason_text(r, names) for r in self.reasons)


def _missing_querysets(unit: Unit, ctype: CommitteeType):
    active = Committee.objects.filter(type=ctype, status=CommitteeStatus.ACTIVE)
    incomplete = active.filter(subtree_q("unit_path", unit.path), is_complete=False).select_related("unit") \
        .order_by("unit_path")
    absent = Unit.objects.filter(subtree_q("path", unit.path), level=ctype.level, is_active=True) \
        .filter(~Exists(active.filter(unit_id=OuterRef("pk")))).order_by("path")
    return incomplete, absent


def _incomplete_item(committee, ctype) -> MissingItem:
    return MissingItem(committee.unit_id, committee.unit.code, committee.unit.name_hi, committee.unit_path, ctype,
                       committee.pk, committee.reasons)


def _absent_item(row, ctype) -> MissingItem:
    return MissingItem(row["pk"], row["code"], row["name_hi"], row["path"], ctype, None, [{"code": "missing"}])


def missing_items(*, scope: Scope, unit: Unit, ctype: CommitteeType, limit: int | None = None
                  ) -> Iterator[MissingItem]:
    """Every unit of the subtree where ``ctype`` is not complete: not formed, or formed with the reasons
    it is incomplete. Two range scans; ``limit`` bounds each."""
    scope.require(unit.path, write=False)
    incomplete, absent = _missing_querysets(unit, ctype)
    if limit is not None:
        incomplete, absent = incomplete[:limit], absent[:limit]
    for committee in incomplete.iterator(chunk_size=2000):
        yield _incomplete_item(committee, ctype)
    for row in absent.values("pk", "code", "name_hi", "path").iterator(chunk_size=2000):
        yield _absent_item(row, ctype)


class MissingSequence:
    """The missing items of several types as one sliceable sequence, for page-number pagination: counts
    are two COUNTs per type, a page two sliced range scans per type it touches."""

    def __init__(self, *, scope: Scope, unit: Unit, types: list[CommitteeType]):
        scope.require(unit.path, write=False)
        self.parts = []
        for ctype in types:
            incomplete, absent = _missing_querysets(unit, ctype)
            self.parts.append((ctype, incomplete, incomplete.count()))
            self.parts.append((ctype, absent.values("pk", "code", "name_hi", "path"), absent.count()))

    def __len__(self) -> int:
        return sum(n for _t, _q, n in self.parts)

    def count(self) -> int:
        return len(self)

    def __getitem__(self, window: slice) -> list[MissingItem]:
        start, stop = window.start or 0, window.stop if window.stop is not None else len(self)
        out, offset = [], 0
        for ctype, queryset, n in self.parts:
            low, high = max(start - offset, 0), min(stop - offset, n)
            if low < high:
                for row in queryset[low:high]:
                    out.append(_absent_item(row, ctype) if isinstance(row, dict) else _incomplete_item(row, ctype))
            offset += n
        return out


@dataclass
class PageRow:
    unit: Unit
    number: int | None
    voters: int
    committee: Committee | None
    incharge: str


def booth_pages(*, scope: Scope, booth: Unit) -> list[PageRow]:
    """A booth's pages with their in-charge (or none): three queries."""
    scope.require(booth.path, write=False)
    pages = list(Unit.objects.filter(parent=booth, level="page").order_by("path"))
    info = {p.unit_id: p for p in Page.objects.filter(booth=booth)}
    committees = {c.unit_id: c for c in Committee.objects.filter(
        unit__in=pages, status=CommitteeStatus.ACTIVE, type__code="page")}
    incharges = dict(CommitteeMember.objects.current().filter(
        committee__in=committees.values(), post__code="page_incharge").values_list("committee__unit_id",
                                                                                   "person__name"))
    return [PageRow(p, info[p.pk].number if p.pk in info else None, info[p.pk].voters if p.pk in info else 0,
                    committees.get(p.pk), incharges.get(p.pk, "")) for p in pages]


def committee_seats(committee: Committee):
    return list(committee.seats.current().select_related("person", "post", "wing"))


def candidates(committee: Committee, limit: int = 300):
    """Registered workers of the committee's unit subtree, the unit's own first (for a select on the phone)."""
    from sangathan.people.models import Person

    seated = committee.seats.current().values("person_id")
    return list(Person.objects.filter(subtree_q("unit_path", committee.members_path), status="active").select_related("unit")
                .exclude(pk__in=seated).order_by("unit_path", "name")[:limit])


# Committee gaps are shown on the home only for a unit this small: its subtree is a few thousand units.
GAP_LEVELS = ("mandal", "shakti_kendra", "booth")


def committee_gaps(*, scope: Scope, unit: Unit, token: int | None = None) -> list[Figure]:
    """Committee types with units under ``unit`` (itself included) lacking a complete committee, for the
    home: two small queries and the types (``committee_types(token)``), and only for a unit of
    ``GAP_LEVELS`` (else [] without a query)."""
    if unit.level not in GAP_LEVELS:
        return []
    scope.require(unit.path, write=False)
    types = committee_types(token)
    units = dict(Unit.objects.filter(subtree_q("path", unit.path), level__in={t.level for t in types},
                                     is_active=True).values("level").annotate(n=Count("*")).values_list("level", "n"))
    complete = dict(Committee.objects.filter(subtree_q("unit_path", unit.path), status=CommitteeStatus.ACTIVE,
                                             is_complete=True).values("type_id").annotate(n=Count("*"))
                    .values_list("type_id", "n"))
    figures = [Figure(t, units=units.get(t.level, 0), complete=complete.get(t.pk, 0)) for t in types]
    return [figure for figure in figures if figure.units and figure.missing > 0]
