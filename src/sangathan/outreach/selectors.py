"""Reads of the outreach app. Every read takes the reader's ``Scope``; a unit outside it is NotFound."""

from collections import Counter
from dataclasses import dataclass
from datetime import date

from django.db.models import Count, F, Q
from django.db.models.functions import Substr
from django.utils.translation import gettext as _

from sangathan.access.scope import Scope
from sangathan.core import clock
from sangathan.core.aggregates import CountsQuery, counts_query, nothing
from sangathan.core.errors import NotFound, PermissionDenied
from sangathan.core.tree import SEGMENT, subtree_q
from sangathan.org.models import Position, Unit
from sangathan.outreach.enums import AssignmentStatus, CallKind, FollowUpStatus, NeedCategory
from sangathan.outreach.models import CallAssignment, CallLog, ContactProgram, ContactState, FollowUp

FEEDBACK_NOTES = 20


def _check_unit(scope: Scope, unit: Unit) -> None:
    if scope is None or not scope.can_read_path(unit.path):
        raise NotFound(_("No such unit."))


def calls_for_caller(*, person, day: date):
    """The caller's calls of ``day`` with their target, booth, program and log, in list order."""
    return (CallAssignment.objects.filter(caller=person, day=day)
            .exclude(status=AssignmentStatus.CANCELLED)
            .select_related("target", "target_unit", "program", "log").order_by("rank", "id"))


def call_list_get_for_actor(scope: Scope, *, day: date) -> list[CallAssignment]:
    """The actor's own calls of ``day`` (names and mobiles of the people to call), writing the read audit
    (``calls.view``) when there are any. An actor who is no person has no list."""
    from sangathan.access.models import AuditLog
    from sangathan.access.services import audit_log

    person = getattr(scope.actor, "person", None)
    if person is None:
        return []
    calls = list(calls_for_caller(person=person, day=day))
    if calls:
        audit_log(scope=scope, action=AuditLog.Action.CALL_LIST_VIEW, unit_path=person.unit_path,
                  detail={"day": day.isoformat(), "calls": len(calls)})
    return calls


def call_today_counts(scope: Scope, *, day: date) -> dict[str, int] | None:
    """How many calls the actor has on ``day`` and how many are still to make, in one query (counts only,
    so no read audit: the names are read, and audited, on the list itself). None for an actor who is no
    person."""
    return call_today_counts_query(scope, day=day).read()


def call_today_counts_query(scope: Scope, *, day: date) -> CountsQuery[dict[str, int] | None]:
    """``call_today_counts`` as a query not yet read, to read with the home's other counts."""
    person_id = scope.person_id
    if not person_id:
        return nothing(None)
    return counts_query(
        CallAssignment.objects.filter(caller_id=person_id, day=day).exclude(status=AssignmentStatus.CANCELLED), dict,
        total=Count("pk"), pending=Count("pk", filter=Q(status=AssignmentStatus.PENDING)))


def last_logs_for(assignments) -> dict[int, CallLog]:
    """For each assignment's target, the latest log of an earlier call about them (any caller): what the
    previous call found, shown beside today's call. One query."""
    targets = {a.target_id for a in assignments}
    days = {a.target_id: a.day for a in assignments}
    latest: dict[int, CallLog] = {}
    for log in (CallLog.objects.filter(target_id__in=targets).order_by("target_id", "-logged_at")
                .only("id", "target_id", "day", "reached", "outcome", "notes", "position_score", "needs",
                      "needs_note", "logged_at")):
        if log.target_id not in latest and log.day < days[log.target_id]:
            latest[log.target_id] = log
    return latest


def last_notes_for(days: dict[int, date]) -> dict[int, str]:
    """For each target (mapped to the day of today's call), the notes of the latest log of an earlier
    call about them (any caller), "" for none: ``last_logs_for`` as tuples, for the morning lists."""
    latest: dict[int, str] = {}
    for target_id, day, notes in (CallLog.objects.filter(target_id__in=list(days)).order_by("target_id", "-logged_at")
                                  .values_list("target_id", "day", "notes")):
        if target_id not in latest and day < days[target_id]:
            latest[target_id] = notes
    return latest


def assignments_in(*, scope: Scope, unit: Unit, start: date, end: date, kind: str | None = CallKind.DAILY,
                   by_caller: bool = False):
    """Assignments of ``start``..``end`` about targets under ``unit`` (``by_caller``: by callers under it)."""
    _check_unit(scope, unit)
    field = "caller_path" if by_caller else "unit_path"
    queryset = CallAssignment.objects.filter(subtree_q(field, unit.path), day__gte=start, day__lte=end)
    if kind:
        queryset = queryset.filter(kind=kind)
    return queryset


def _figures(queryset, today: date) -> dict:
    return queryset.aggregate(
        assigned=Count("id"),
        called_same_day=Count("id", filter=Q(status=AssignmentStatus.LOGGED)),
        reached=Count("id", filter=Q(status=AssignmentStatus.LOGGED, log__reached=True)),
        overdue=Count("id", filter=Q(status=AssignmentStatus.MISSED)
                      | Q(status=AssignmentStatus.PENDING, day__lt=today)),
        pending=Count("id", filter=Q(status=AssignmentStatus.PENDING, day__gte=today)),
    )


def booth_contact_compliance(*, scope: Scope, unit: Unit, start: date, end: date, kind: str = CallKind.DAILY
                             ) -> dict:
    """Daily booth contact about targets under ``unit`` from ``start`` to ``end``: ``{"assigned",
    "called_same_day", "reached", "overdue", "pending", "called_share", "reached_share"}`` (shares are 0–1
    of assigned). Calls can only be logged on their day, so every logged call was made the same day."""
    figures = _figures(assignments_in(scope=scope, unit=unit, start=start, end=end, kind=kind), clock.today())
    assigned = figures["assigned"]
    figures["called_share"] = figures["called_same_day"] / assigned if assigned else 0.0
    figures["reached_share"] = figures["reached"] / assigned if assigned else 0.0
    return figures


@dataclass
class ComplianceRow:
    key: str
    label: str
    assigned: int
    called_same_day: int
    reached: int
    overdue: int
    pending: int
    unit: Unit | None = None
    person: object = None

    @property
    def called_share(self) -> float:
        return self.called_same_day / self.assigned if self.assigned else 0.0


def compliance_by_caller(*, scope: Scope, unit: Unit, start: date, end: date) -> list[ComplianceRow]:
    """Per caller whose calling post lies under ``unit`` (a district: its own in-charges and below)."""
    from sangathan.people.models import Person

    today = clock.today()
    rows = (assignments_in(scope=scope, unit=unit, start=start, end=end, by_caller=True)
            .values("caller_id").annotate(**_annotations(today)).order_by("caller_id"))
    rows = list(rows)
    people = Person.objects.in_bulk([row["caller_id"] for row in rows])
    result = [ComplianceRow(key=str(row["caller_id"]), label=people[row["caller_id"]].name,
                            person=people[row["caller_id"]], **_pick(row)) for row in rows]
    result.sort(key=lambda r: (r.called_share, -r.overdue, r.label))
    return result


def _annotations(today: date) -> dict:
    return {
        "assigned": Count("id"),
        "called_same_day": Count("id", filter=Q(status=AssignmentStatus.LOGGED)),
        "reached": Count("id", filter=Q(status=AssignmentStatus.LOGGED, log__reached=True)),
        "overdue": Count("id", filter=Q(status=AssignmentStatus.MISSED)
                         | Q(status=AssignmentStatus.PENDING, day__lt=today)),
        "pending": Count("id", filter=Q(status=AssignmentStatus.PENDING, day__gte=today)),
    }


def _pick(row: dict) -> dict:
    return {name: row[name] for name in ("assigned", "called_same_day", "reached", "overdue", "pending")}


def compliance_by_child(*, scope: Scope, unit: Unit, start: date, end: date) -> list[ComplianceRow]:
    """Per child unit of ``unit`` (per district under a state or division …), by where the booths lie."""
    today = clock.today()
    prefix = len(unit.path) + SEGMENT
    rows = (assignments_in(scope=scope, unit=unit, start=start, end=end)
            .annotate(child=Substr("unit_path", 1, prefix)).values("child").annotate(**_annotations(today))
            .order_by("child"))
    rows = [row for row in rows if len(row["child"]) == prefix]
    units = {u.path: u for u in Unit.objects.filter(path__in=[row["child"] for row in rows])}
    result = [ComplianceRow(key=row["child"], label=units[row["child"]].name, unit=units[row["child"]], **_pick(row))
              for row in rows if row["child"] in units]
    result.sort(key=lambda r: r.unit.path)
    return result


def compliance_by_day(*, scope: Scope, unit: Unit, start: date, end: date) -> list[ComplianceRow]:
    today = clock.today()
    rows = (assignments_in(scope=scope, unit=unit, start=start, end=end)
            .values("day").annotate(**_annotations(today)).order_by("day"))
    return [ComplianceRow(key=row["day"].isoformat(), label=row["day"].strftime("%d.%m"), **_pick(row))
            for row in rows]


def booth_feedback(*, scope: Scope, unit: Unit, start: date, end: date, kind: str = CallKind.DAILY) -> dict:
    """What booth presidents under ``unit`` said in calls from ``start`` to ``end``: ``{"calls",
    "reached", "scores": {1..5: n}, "average_score", "needs": [(category, label, n)], "notes": [CallLog…],
    "open_followups"}``, notes newest first (at most ``FEEDBACK_NOTES``)."""
    _check_unit(scope, unit)
    logs = CallLog.objects.filter(subtree_q("unit_path", unit.path), day__gte=start, day__lte=end)
    if kind:
        logs = logs.filter(assignment__kind=kind)
    calls = logs.count()
    reached = logs.filter(reached=True)
    scores = dict.fromkeys(range(1, 6), 0)
    needs: Counter = Counter()
    for score, need_list in reached.values_list("position_score", "needs"):
        if score:
            scores[score] += 1
        needs.update(need_list or [])
    rated = sum(scores.values())
    average = sum(k * v for k, v in scores.items()) / rated if rated else None
    labels = dict(NeedCategory.choices)
    notes = list(reached.exclude(notes="", position_note="", needs_note="")
                 .select_related("target", "assignment__target_unit").order_by("-logged_at")[:FEEDBACK_NOTES])
    open_followups = FollowUp.objects.filter(subtree_q("unit_path", unit.path), status=FollowUpStatus.OPEN).count()
    return {
        "calls": calls,
        "reached": reached.count(),
        "scores": scores,
        "average_score": average,
        "needs": [(need, str(labels.get(need, need)), n) for need, n in needs.most_common()],
        "notes": notes,
        "open_followups": open_followups,
    }


def followups_open(*, scope: Scope, unit: Unit):
    _check_unit(scope, unit)
    return (FollowUp.objects.filter(subtree_q("unit_path", unit.path), status=FollowUpStatus.OPEN)
            .select_related("call_log__target", "call_log__assignment__target_unit", "district"))


def programs_visible(scope: Scope):
    return scope.filter(ContactProgram.objects.select_related("target_root", "target_post"), "target_path")


def program_get_for_actor(program_id, scope: Scope, *, for_write: bool = False) -> ContactProgram:
    """The program if its unit is inside ``scope`` (else NotFound, as if absent); ``for_write``: also
    writable (else PermissionDenied)."""
    program = programs_visible(scope).filter(pk=program_id).first() if str(program_id).isdigit() else None
    if program is None:
        raise NotFound(_("No such program."))
    if for_write and not scope.can_write_path(program.target_path):
        raise PermissionDenied(_("Only the office of this unit may change its contact programs."))
    return program


def followup_get_for_actor(followup_id, scope: Scope, *, for_write: bool = False) -> FollowUp:
    """The follow-up if its booth is inside ``scope`` (else NotFound); ``for_write``: also writable (else
    PermissionDenied)."""
    followup = scope.filter(FollowUp.objects.filter(pk=followup_id), "unit_path").first() \
        if str(followup_id).isdigit() else None
    if followup is None:
        raise NotFound(_("No such follow-up."))
    if for_write and not scope.can_write_path(followup.unit_path):
        raise PermissionDenied(_("Only the district may close this follow-up."))
    return followup


def program_for_unit(unit: Unit) -> ContactProgram | None:
    """The active daily program covering ``unit`` (the one with the deepest root), if any."""
    programs = [p for p in ContactProgram.objects.filter(is_active=True) if unit.path.startswith(p.target_path)
                or p.target_path.startswith(unit.path)]
    return max(programs, key=lambda p: len(p.target_path), default=None)


def booth_health(*, scope: Scope, unit: Unit, program: ContactProgram):
    """Per target under ``unit``: the contact state (last given, called, reached) and the last call's log,
    least recently reached first."""
    _check_unit(scope, unit)
    return (ContactState.objects.filter(subtree_q("unit_path", unit.path), program=program)
            .select_related("target", "target_unit", "last_log")
            .order_by(F("last_reached_on").asc(nulls_first=True), "unit_path"))


def vacant_units(*, scope: Scope, unit: Unit, program: ContactProgram):
    """Units of the program's target level under ``unit`` with no current holder of its target post (booths
    with no booth president): skipped by the assignment, listed for the district."""
    _check_unit(scope, unit)
    held = Position.objects.current(on=clock.today()).filter(
        subtree_q("unit_path", unit.path), post_id=program.target_post_id).values("unit_id")
    return (Unit.objects.filter(subtree_q("path", unit.path), level=program.target_level)
            .exclude(pk__in=held).order_by("path"))
