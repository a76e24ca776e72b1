"""The "not held" report of a series and the live address's funnel. Each is one grouped query over one
table (``GROUP BY substr(unit_path, 1, n)`` on the indexed path), whatever the size of the subtree: the
funnel's "received" is kept on the invitation, so the outbox is not joined."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from django.db.models import Count, Q
from django.db.models.functions import Substr
from django.utils.translation import gettext as _

from sangathan.core import clock
from sangathan.core.tree import SEGMENT, subtree_q
from sangathan.events.enums import EventStatus
from sangathan.events.models import Event, Invitation
from sangathan.events.policies import events_scope
from sangathan.org.models import Unit

LOWER_BOUND_NOTE = _("Each figure is a lower bound: not every phone reports delivery, a link opened on "
                     "another phone or a call-in leaves no trace, and a group viewing counts only who checked in.")


def group_length(unit: Unit) -> int:
    """Above a district, rows are districts (the report's unit); at a district or below, its children."""
    if unit.level not in ("state", "division"):
        return len(unit.path) + SEGMENT
    district = (Unit.objects.filter(subtree_q("path", unit.path), level="district")
                .values_list("path", flat=True).first())
    return len(district) if district else len(unit.path) + SEGMENT


@dataclass
class NotHeldRow:
    unit: Unit | None
    prefix: str
    months: dict = field(default_factory=dict)  # period → (expected, held)

    @property
    def missing(self) -> int:
        return sum(expected - held for expected, held in self.months.values())

    def cells(self, periods):
        return [self.months.get(p, (0, 0)) for p in periods]


def not_held(scope, *, series, unit: Unit, until: date | None = None) -> tuple[list[date], list[NotHeldRow]]:
    """Per group (district, or child of a district) and month up to ``until`` (this month): expected and held.
    One query: ``GROUP BY substr(unit_path, 1, n), period``."""
    reach = events_scope(scope)
    reach.require(unit.path, write=False)
    until = (until or clock.today()).replace(day=1)
    length = group_length(unit)
    rows = (reach.filter(Event.objects.filter(subtree_q("unit_path", unit.path), series=series, period__lte=until),
                         "unit_path")
            .annotate(prefix=Substr("unit_path", 1, length)).values("prefix", "period").order_by()
            .annotate(expected=Count("*"), held=Count("pk", filter=Q(status=EventStatus.HELD)))
            .values_list("prefix", "period", "expected", "held"))
    grouped: dict[str, NotHeldRow] = {}
    periods: set[date] = set()
    for prefix, period, expected, held in rows:
        grouped.setdefault(prefix, NotHeldRow(None, prefix)).months[period] = (expected, held)
        periods.add(period)
    units = {u.path: u for u in Unit.objects.filter(path__in=grouped)}
    for row in grouped.values():
        row.unit = units.get(row.prefix)
    return sorted(periods), sorted(grouped.values(), key=lambda r: r.prefix)


def not_held_list(scope, *, series, unit: Unit, until: date | None = None, limit: int = 500):
    """The occurrences not (yet) held under ``unit``, latest month first (a cancelled one was not held)."""
    reach = events_scope(scope)
    reach.require(unit.path, write=False)
    until = (until or clock.today()).replace(day=1)
    return (reach.filter(Event.objects.filter(subtree_q("unit_path", unit.path), series=series, period__lte=until)
                               .exclude(status=EventStatus.HELD), "unit_path")
            .select_related("unit").order_by("-period", "unit_path")[:limit])


@dataclass
class FunnelRow:
    unit: Unit | None
    prefix: str
    invited: int = 0
    received: int = 0
    opened: int = 0
    joined: int = 0

    def add(self, other: FunnelRow) -> None:
        self.invited += other.invited
        self.received += other.received
        self.opened += other.opened
        self.joined += other.joined


def funnel_rows(reach, *, event, unit: Unit, length: int):
    """The funnel's one grouped query over the invitations alone: "received" is kept on the invitation
    (``events.receivers``), so the outbox is not joined."""
    return (reach.filter(Invitation.objects.counted().filter(subtree_q("unit_path", unit.path), event=event),
                         "unit_path")
            .annotate(prefix=Substr("unit_path", 1, length)).values("prefix").order_by()
            .annotate(invited=Count("*"), received=Count("received_at"), opened=Count("opened_at"),
                      joined=Count("pk", filter=Q(attended=True)))
            .values_list("prefix", "invited", "received", "opened", "joined"))


def funnel(scope, *, event, unit: Unit) -> tuple[FunnelRow, list[FunnelRow]]:
    """The live address's per-worker funnel under ``unit``, per child: invited → received (a message of
    theirs delivered) → opened (the tracked link) → joined (checked in). One grouped query of the
    invitations (JIT off, as every query of the app: settings)."""
    reach = events_scope(scope)
    reach.require(unit.path, write=False)
    rows = list(funnel_rows(reach, event=event, unit=unit, length=len(unit.path) + SEGMENT))
    total = FunnelRow(unit, unit.path)
    children = {u.path: FunnelRow(u, u.path) for u in Unit.objects.filter(parent=unit, is_active=True)
                if reach.can_read_path(u.path)}
    for prefix, invited, received, opened, joined in rows:
        row = FunnelRow(None, prefix, invited, received, opened, joined)
        total.add(row)
        if prefix in children:
            children[prefix].add(row)
    return total, [children[p] for p in sorted(children)]


@dataclass
class PartStatus:
    code: str
    kinds: list
    count: int
    planned: int
    held: int

    @property
    def state(self) -> str:
        if self.held >= self.count:
            return "held"
        if self.planned + self.held >= self.count:
            return "planned"
        return "missing"

    @property
    def missing(self) -> int:
        return max(self.count - self.planned - self.held, 0)


def tour_parts(tour) -> list[PartStatus]:
    """Per required part: how many of its events are planned and held, and so its state."""
    counts: dict[tuple[str, str], int] = {}
    for kind, status, n in (tour.events.exclude(status=EventStatus.CANCELLED).values("kind", "status").order_by()
                            .annotate(n=Count("*")).values_list("kind", "status", "n")):
        counts[(kind, status)] = n
    out = []
    for part in tour.required_parts:
        held = sum(n for (kind, status), n in counts.items() if kind in part["kinds"] and status == EventStatus.HELD)
        planned = sum(n for (kind, status), n in counts.items()
                      if kind in part["kinds"] and status == EventStatus.PLANNED)
        out.append(PartStatus(part["code"], part["kinds"], part["count"], planned, held))
    return out
