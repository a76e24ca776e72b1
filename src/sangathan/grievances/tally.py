"""The open-grievance tally (``GrievanceTally``): how many open grievances lie under each unit, by the
quarter hour their party clock runs out.

The homes show every office-bearer of the cell "open" and "overdue in your area". Counted from the
grievances, that read grows with the cell: a state with a million open grievances paid a quarter of a
second per visit (docs/PERFORMANCE.md, issue 15). The tally answers it from a few rows per reach root:

- a grievance counts once for its unit's path cut at each depth down to ``DEPTH`` (the state, division and
  district where the cell's reach is rooted, ``policies.CELL_LEVELS``), under the quarter hour (``slot``)
  of its ``due_at`` while its status is open, under ``NO_CLOCK`` in the other open statuses (the clock is
  paused: forwarded, waiting for the complainant or an approval, scheduled for a hearing);
- overdue at ``now`` is every slot before now's, plus the few grievances of now's own slot, counted from
  ``grv_open_due``; a reach rooted deeper (a grant on an assembly) is counted from the grievances (the
  selector does both).

Kept inside the writer's transaction: every ``Grievance.save()`` and ``delete()`` (the receivers below,
which compare the row with what it was when read), and the escalation sweep per batch
(``tally_add``). ``tally_refresh`` recounts it in full: after bulk loads, nightly as a check.

The same receivers keep the grievance's status and due time copied onto its active assignments
(``GrievanceAssignment.copy_from``), and ``tally_refresh`` recopies them (``copies_refresh``). On PostgreSQL
those copies feed the holder tally (``GrievanceHolderTally``: each person's open grievances as assignee by
quarter hour, the reader's own counts on the home), kept by triggers on the assignments whoever writes them;
``tally_refresh`` recounts it too (``holders_refresh``).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from datetime import UTC, datetime, timedelta

from django.db import connection, transaction
from django.db.models.signals import post_delete, post_save, pre_save
from django.dispatch import receiver

from sangathan.core.tree import SEGMENT
from sangathan.grievances.enums import OPEN_STATUSES, AssignmentRole, GrievanceStatus
from sangathan.grievances.models import Grievance, GrievanceAssignment, GrievanceHolderTally, GrievanceTally
from sangathan.people.signals import person_merged

DEPTH = 3
SLOT_SECONDS = 900
NO_CLOCK = 2**31 - 1
TABLE = GrievanceTally._meta.db_table
GRIEVANCES = Grievance._meta.db_table
ASSIGNMENTS = GrievanceAssignment._meta.db_table
HOLDERS = GrievanceHolderTally._meta.db_table
EPOCH = datetime(1970, 1, 1, tzinfo=UTC)

Key = tuple[str, str, datetime | None]  # (unit_path, status, due_at) as the tally counted a grievance


def slot_of(moment: datetime) -> int:
    return int((moment - EPOCH).total_seconds() // SLOT_SECONDS)


def slot_start(slot: int) -> datetime:
    return EPOCH + timedelta(seconds=slot * SLOT_SECONDS)


def tally_count(changes: Counter, keys: Iterable[Key | None], change: int) -> None:
    """Add ``change`` to ``changes`` ((path, slot) → change) for each grievance counted as one of ``keys``
    (None: a grievance the tally never counted)."""
    cut: Counter = Counter()
    for key in keys:
        if key is None or key[1] not in OPEN_STATUSES:
            continue
        unit_path, status, due_at = key
        slot = slot_of(due_at) if status == GrievanceStatus.OPEN and due_at is not None else NO_CLOCK
        cut[(unit_path[:DEPTH * SEGMENT], slot)] += 1
    for (path, slot), count in cut.items():
        for end in range(SEGMENT, len(path) + 1, SEGMENT):
            changes[(path[:end], slot)] += change * count


def tally_add(changes: Counter) -> None:
    """Add ``changes`` to the tally inside the caller's transaction: one upsert, rows in key order so two
    writers lock shared rows in the same order, then the rows that fell to zero go."""
    rows = sorted((path, slot, change) for (path, slot), change in changes.items() if change)
    if not rows:
        return
    values = ", ".join(["(%s, %s, %s)"] * len(rows))
    with connection.cursor() as cursor:
        # Table names and placeholders only in the text; every value is a parameter.
        cursor.execute(f"INSERT INTO {TABLE} (path, slot, open_count) VALUES {values} "  # noqa: S608
                       f"ON CONFLICT (path, slot) DO UPDATE SET open_count = {TABLE}.open_count + excluded.open_count",
                       [value for row in rows for value in row])
        if any(change < 0 for _path, _slot, change in rows):
            paths = sorted({path for path, _slot, _change in rows})
            marks = ", ".join(["%s"] * len(paths))
            cursor.execute(f"DELETE FROM {TABLE} WHERE open_count = 0 AND path IN ({marks})", paths)  # noqa: S608


def _slot_sql(status: str = "status", due: str = "due_at") -> str:
    """The slot a row with these status and due-time columns counts in (``tally_count``'s, in SQL)."""
    if connection.vendor == "postgresql":
        slot = f"floor(extract(epoch FROM {due}) / {SLOT_SECONDS})::int"
    else:  # Django keeps SQLite's datetimes as UTC text.
        slot = f"CAST(strftime('%%s', {due}) AS INTEGER) / {SLOT_SECONDS}"
    return f"CASE WHEN {status} = '{GrievanceStatus.OPEN}' AND {due} IS NOT NULL THEN {slot} ELSE {NO_CLOCK} END"


def tally_refresh() -> int:
    """Recount the tally from the grievances (a derived table: the caller checks who may); returns the rows."""
    statuses = ", ".join(f"'{status}'" for status in OPEN_STATUSES)
    slot = _slot_sql()
    arms = " UNION ALL ".join(
        f"SELECT substr(unit_path, 1, {depth * SEGMENT}) AS path, {slot} AS slot FROM {GRIEVANCES} "  # noqa: S608
        f"WHERE status IN ({statuses}) AND length(unit_path) >= {depth * SEGMENT}"
        for depth in range(1, DEPTH + 1))
    with transaction.atomic(), connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            # Writers wait for the recount (a second or two) and then add their change to it.
            cursor.execute(f"LOCK TABLE {TABLE} IN SHARE ROW EXCLUSIVE MODE")
        # Constants of this module only; no value comes from outside.
        cursor.execute(f"DELETE FROM {TABLE}", [])  # noqa: S608
        # Parameters (none) given, so both drivers read ``%%`` as ``%``.
        cursor.execute(f"INSERT INTO {TABLE} (path, slot, open_count) "  # noqa: S608
                       f"SELECT path, slot, count(*) FROM ({arms}) AS open_rows GROUP BY path, slot", [])
        rows = cursor.rowcount
        copies_refresh(cursor)
        holders_refresh(cursor)
        return rows


def holders_refresh(cursor) -> int:
    """Recount the holder tally (``GrievanceHolderTally``) from the assignments' copies, after they are right;
    PostgreSQL only, where triggers keep it (``migrations/0008``). Returns the rows."""
    if connection.vendor != "postgresql":
        return 0
    statuses = ", ".join(f"'{status}'" for status in OPEN_STATUSES)
    slot = _slot_sql("grievance_status", "grievance_due_at")
    # Writers' triggers wait for the recount, then add their change to it.
    cursor.execute(f"LOCK TABLE {HOLDERS} IN SHARE ROW EXCLUSIVE MODE")
    # Constants of this module only; no value comes from outside.
    cursor.execute(f"DELETE FROM {HOLDERS}")  # noqa: S608
    cursor.execute(f"INSERT INTO {HOLDERS} (person_id, slot, open_count) "  # noqa: S608
                   f"SELECT person_id, {slot}, count(*) FROM {ASSIGNMENTS} WHERE ended_at IS NULL "
                   f"AND role = '{AssignmentRole.ASSIGNEE}' AND NOT names_person AND grievance_status IN ({statuses}) "
                   "GROUP BY 1, 2")
    return cursor.rowcount


def copies_refresh(cursor, *, person_id: int | None = None) -> int:
    """Recopy the grievance's status, due time and recusal onto its active assignments where they differ
    (``GrievanceAssignment.copy_from``), of one person's assignments when ``person_id`` is given; returns
    the rows changed."""
    differs = "IS DISTINCT FROM" if connection.vendor == "postgresql" else "IS NOT"
    names = "(g.named_person_id IS NOT NULL AND g.named_person_id = a.person_id)"
    whose, params = ("AND a.person_id = %s ", [person_id]) if person_id is not None else ("", [])
    # Constants of this module only; the one value is a parameter.
    cursor.execute(
        f"UPDATE {ASSIGNMENTS} AS a SET grievance_status = g.status, grievance_due_at = g.due_at, "  # noqa: S608
        f"names_person = {names} FROM {GRIEVANCES} AS g WHERE g.id = a.grievance_id AND a.ended_at IS NULL "
        f"{whose}AND (a.grievance_status {differs} g.status OR a.grievance_due_at {differs} g.due_at "
        f"OR a.names_person {differs} {names})", params)
    return cursor.rowcount


@receiver(person_merged, dispatch_uid="grievances.copies_after_merge")
def _after_merge(sender, survivor_id: int, merged_id: int, **kwargs):
    """A merge moved the merged record's assignments and the grievances naming it to the survivor with plain
    updates: whether each of the survivor's grievances names them is recomputed at once, not at night."""
    with connection.cursor() as cursor:
        copies_refresh(cursor, person_id=survivor_id)


@receiver(pre_save, sender=Grievance, dispatch_uid="grievances.tally_before")
def _before_save(sender, instance: Grievance, raw=False, **kwargs):
    if raw or instance._state.adding or hasattr(instance, "_tally_was"):
        return
    # Read with a field deferred: what the tally counted is still in the database.
    stored = Grievance.objects.filter(pk=instance.pk).values_list("unit_path", "status", "due_at").first()
    instance._tally_was = stored


@receiver(post_save, sender=Grievance, dispatch_uid="grievances.tally_after")
def _after_save(sender, instance: Grievance, raw=False, **kwargs):
    if raw:
        return
    now = (instance.unit_path, instance.status, instance.due_at)
    was = getattr(instance, "_tally_was", None)
    if now != was:
        changes: Counter = Counter()
        tally_count(changes, [was], -1)
        tally_count(changes, [now], +1)
        tally_add(changes)
        if was is not None and was[1:] != now[1:]:  # a new grievance has no assignments yet
            GrievanceAssignment.objects.filter(grievance_id=instance.pk, ended_at__isnull=True).update(
                grievance_status=instance.status, grievance_due_at=instance.due_at)
    instance._tally_was = now


@receiver(pre_save, sender=GrievanceAssignment, dispatch_uid="grievances.assignment_copies")
def _assignment_copies(sender, instance: GrievanceAssignment, raw=False, **kwargs):
    if not raw and instance._state.adding:
        instance.copy_from(instance.grievance)


@receiver(post_delete, sender=Grievance, dispatch_uid="grievances.tally_deleted")
def _after_delete(sender, instance: Grievance, **kwargs):
    changes: Counter = Counter()
    tally_count(changes, [getattr(instance, "_tally_was", None)], -1)
    tally_add(changes)
