"""The periodic sweeps: automatic escalation of overdue grievances, the chase when a department's time
limit runs out, reminders before due dates.

The escalation sweep must keep up with a million open grievances, so it is set-based: one
``UPDATE … RETURNING`` per batch changes the status and level of up to ``batch_size`` overdue rows
(picked ``FOR UPDATE SKIP LOCKED`` on PostgreSQL, so two workers never take the same row) and ends the
batch's assignments (one statement on PostgreSQL; a pick, the UPDATE and a second UPDATE on SQLite). The
open-grievance tally moves the batch from the slots it was counted in (one upsert), then its timeline
rows, new assignments and outbox rows are written
as plain tuples (COPY on PostgreSQL, one ``executemany`` on SQLite), in the same transaction; outbox keys
already present are skipped. The partial index ``grv_open_due``
(level, due_at) WHERE status = 'open' finds the batch without reading anything else.

Bulk messages are rendered in Hindi and queued by SMS (a complainant opted out of SMS gets none from
this path); the service path (``notify_complainant``) honours each person's language and channel.
"""

from __future__ import annotations

import json
from collections import Counter
from dataclasses import dataclass
from datetime import datetime

from django.db import connection, transaction
from django.utils.translation import gettext as _

from sangathan.access.scope import Scope
from sangathan.core import clock
from sangathan.core.errors import PermissionDenied
from sangathan.grievances.enums import AssignmentRole, EventKind, GrievanceLevel, GrievanceStatus
from sangathan.grievances.models import Grievance, GrievanceAssignment, GrievanceEvent
from sangathan.grievances.services.config import cell_settings
from sangathan.grievances.services.events import event_add
from sangathan.grievances.services.notify import _template, message_body, notify_person
from sangathan.grievances.services.routing import _state_members_in_turn
from sangathan.grievances.services.sla import deadline_for
from sangathan.grievances.tally import tally_add, tally_count, tally_refresh
from sangathan.grievances.workdays import office_calendar
from sangathan.messaging.models import Channel, Message, MessageKind, MessageStatus, OptOut

BATCH_SIZE = 5000
TABLE = Grievance._meta.db_table
RETURNING = "id, tracking_code, complainant_mobile, complainant_id, named_person_id, unit_path, escalation_count"


@dataclass(frozen=True)
class SweepRow:
    id: int
    tracking_code: str
    complainant_mobile: str
    complainant_id: int | None
    named_person_id: int | None
    unit_path: str
    escalation_count: int
    was_status: str  # before the claim: what the open-grievance tally counted
    was_due_at: datetime | None


def _pick_sql(*, external: bool) -> str:
    """One batch's rows and what they were: overdue district clocks, or departments' clocks run out."""
    lock = " FOR UPDATE SKIP LOCKED" if connection.vendor == "postgresql" else ""
    if external:
        where = "status = 'forwarded' AND external_due_at < %s ORDER BY external_due_at"
    else:
        where = "status = 'open' AND level = 'district' AND due_at < %s ORDER BY due_at"
    return f"SELECT id, status, due_at FROM {TABLE} WHERE {where} LIMIT %s{lock}"  # noqa: S608


# Table, columns and clauses are this module's constants; values go as parameters.
SETS = ("status = 'open', level = CASE WHEN level = 'district' THEN 'state' ELSE level END, due_at = %s, "
        "paused_days = NULL, reminded_at = NULL, escalated_at = %s, escalation_count = escalation_count + 1, "
        "updated_at = %s")


def _claim_sql(*, external: bool) -> str:
    """PostgreSQL: pick, claim and end the batch's district assignments in one statement (data-modifying
    CTEs), so the batch's ids never travel to the client and back. Parameters: the pick's time and size,
    then the claim's new due time, its time twice, then the assignments' end and new due time."""
    returning = ", ".join(f"g.{column}" for column in RETURNING.split(", "))
    claimed = (f"UPDATE {TABLE} AS g SET {SETS} FROM picked WHERE g.id = picked.id "  # noqa: S608
               f"RETURNING {returning}, picked.status AS was_status, picked.due_at AS was_due_at")
    # The assignees' rows end; the others' (watchers) take the grievance's new status and due time.
    ended = (f"UPDATE {GrievanceAssignment._meta.db_table} AS a SET ended_at = CASE WHEN a.role = "  # noqa: S608
             f"'{AssignmentRole.ASSIGNEE}' THEN %s::timestamptz END, grievance_status = '{GrievanceStatus.OPEN}', "
             "grievance_due_at = %s::timestamptz FROM claimed WHERE a.grievance_id = claimed.id AND a.ended_at IS NULL")
    return (f"WITH picked AS ({_pick_sql(external=external)}), claimed AS ({claimed}), "  # noqa: S608
            f"ended AS ({ended}) SELECT * FROM claimed")


def _claim(*, now: datetime, new_due: datetime, batch_size: int, external: bool) -> list[SweepRow]:
    """Claim a batch and end its grievances' active assignee rows (both in one statement on PostgreSQL)."""
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(_claim_sql(external=external), [now, batch_size, new_due, now, now, now, new_due])
            return [SweepRow(*row) for row in cursor.fetchall()]
        cursor.execute(_pick_sql(external=external), [now, batch_size])
        was = {row[0]: row[1:] for row in cursor.fetchall()}
        if not was:
            return []
        marks = ", ".join(["%s"] * len(was))
        cursor.execute(f"UPDATE {TABLE} SET {SETS} WHERE id IN ({marks}) RETURNING {RETURNING}",  # noqa: S608
                       [new_due, now, now, *was])
        convert = connection.ops.convert_datetimefield_value
        rows = [SweepRow(*row, status, None if due is None else convert(due, None, connection))
                for row in cursor.fetchall() for status, due in [was[row[0]]]]
    active = GrievanceAssignment.objects.filter(grievance_id__in=[row.id for row in rows], ended_at__isnull=True)
    active.filter(role=AssignmentRole.ASSIGNEE).update(ended_at=now)
    active.update(grievance_status=GrievanceStatus.OPEN, grievance_due_at=new_due)
    return rows


def _tally_move(rows: list[SweepRow], *, new_due: datetime) -> None:
    """The batch leaves the tally's slots it was counted in for the state's new due time."""
    changes: Counter = Counter()
    tally_count(changes, [(row.unit_path, row.was_status, row.was_due_at) for row in rows], -1)
    tally_count(changes, [(row.unit_path, GrievanceStatus.OPEN, new_due) for row in rows], +1)
    tally_add(changes)


def _keys_present(keys: list[str]) -> set[str]:
    """Outbox keys already written (one array parameter on PostgreSQL rather than thousands)."""
    if connection.vendor != "postgresql":
        return set(Message.objects.filter(idempotency_key__in=keys).values_list("idempotency_key", flat=True))
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT idempotency_key FROM {Message._meta.db_table} WHERE idempotency_key = ANY(%s)",  # noqa: S608
                       [keys])
        return {row[0] for row in cursor.fetchall()}


def _insert(model, fields: list[str], rows: list[tuple]) -> None:
    """Many rows without building model instances (they cost more than the INSERT): COPY on PostgreSQL,
    one ``executemany`` on SQLite."""
    if not rows:
        return
    quote = connection.ops.quote_name
    table = quote(model._meta.db_table)
    columns = ", ".join(quote(model._meta.get_field(name).column) for name in fields)
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            with cursor.cursor.copy(f"COPY {table} ({columns}) FROM STDIN") as copy:
                for row in rows:
                    copy.write_row(row)
            return
        placeholders = ", ".join(["%s"] * len(fields))
        cursor.executemany(f"INSERT INTO {table} ({columns}) VALUES ({placeholders})", rows)  # noqa: S608


EVENT_FIELDS = ["grievance_id", "kind", "at", "actor_id", "public", "text", "status", "level", "data"]
ASSIGNMENT_FIELDS = ["grievance_id", "person_id", "role", "level", "assigned_by_id", "assigned_at", "ended_at",
                     "grievance_status", "grievance_due_at", "names_person"]
MESSAGE_FIELDS = ["channel", "kind", "person_id", "to_address", "template_id", "language", "subject", "body",
                  "context", "status", "idempotency_key", "urgent", "send_at", "expires_at", "attempts",
                  "next_attempt_at", "last_error", "provider", "provider_message_id", "unit_path", "broadcast_id",
                  "created_at", "sent_at", "delivered_at", "updated_at"]
CODE_MARK = "\x00code\x00"


def _write_batch(rows: list[SweepRow], *, now: datetime, new_due: datetime, external: bool, settings,
                 template) -> None:
    picks = _state_members_in_turn(len(rows), settings=settings)
    members = sorted({pick for pick in picks if pick is not None})
    at, due = connection.ops.adapt_datetimefield_value(now), connection.ops.adapt_datetimefield_value(new_due)
    state, opened = str(GrievanceLevel.STATE), str(GrievanceStatus.OPEN)
    escalated_data = json.dumps({"auto": True, "to": state})
    message_data = json.dumps({"template": template.code, "recipient": "complainant", "channel": Channel.SMS})
    events: list[tuple] = []
    assignments: list[tuple] = []
    for row, pick in zip(rows, picks, strict=True):
        if external:
            events.append((row.id, EventKind.EXTERNAL_OVERDUE, at, None, False, "", opened, state, '{"auto": true}'))
        events.append((row.id, EventKind.ESCALATED, at, None, True, "", opened, state, escalated_data))
        if pick is not None and pick == row.named_person_id:
            # Recusal: the next member in turn instead of the one the grievance names.
            others = [m for m in members if m != pick]
            pick = others[row.id % len(others)] if others else None
        if pick is not None:
            assignments.append((row.id, pick, AssignmentRole.ASSIGNEE, state, None, at, None, opened, due, False))
            events.append((row.id, EventKind.ASSIGNED, at, None, False, "", opened, state,
                           json.dumps({"person": pick, "role": "assignee", "level": state, "auto": True})))
    opted_out = set(OptOut.objects.filter(
        channel=Channel.SMS, revoked_at__isnull=True,
        person_id__in={row.complainant_id for row in rows if row.complainant_id}).values_list("person_id", flat=True))
    level_label = str(GrievanceLevel.STATE.label)
    # Rendered once; each row only puts its code in.
    body = message_body(template, {"code": CODE_MARK, "level": level_label})
    messages: list[tuple] = []
    for row in rows:
        if row.complainant_id is not None and row.complainant_id in opted_out:
            continue
        context = json.dumps({"code": row.tracking_code, "level": level_label}, ensure_ascii=False)
        messages.append((
            Channel.SMS, MessageKind.TRANSACTIONAL, row.complainant_id, row.complainant_mobile, template.pk, "hi", "",
            body.replace(CODE_MARK, row.tracking_code), context, MessageStatus.QUEUED,
            f"grievance:{row.id}:escalated:state:{row.escalation_count}", False, at, None, 0, None, "", "", "",
            row.unit_path, None, at, None, None, at,
        ))
        events.append((row.id, EventKind.MESSAGE, at, None, False, "", opened, state, message_data))
    _insert(GrievanceAssignment, ASSIGNMENT_FIELDS, assignments)
    _insert(GrievanceEvent, EVENT_FIELDS, events)
    # A key already in the outbox (a sweep re-run after a crash between its writes) is not sent twice; no
    # other transaction can add these keys meanwhile, as the grievance rows stay locked until the commit.
    keys = [m[10] for m in messages]
    sent = _keys_present(keys)
    _insert(Message, MESSAGE_FIELDS, [m for m in messages if m[10] not in sent])


def _commit_without_waiting() -> None:
    """PostgreSQL: this batch's commit does not wait for its WAL to reach the disk (``synchronous_commit =
    off`` for this transaction only). A batch is all or nothing either way; a crash within the WAL writer's
    delay (a fraction of a second) can only lose whole last batches, whose grievances are still overdue at
    the district and are escalated again by the next sweep (docs/PERFORMANCE.md, issue 15)."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SET LOCAL synchronous_commit = off")


def _sweep(*, external: bool, batch_size: int, max_batches: int | None) -> int:
    now = clock.now()
    settings = cell_settings()
    new_due = deadline_for(GrievanceLevel.STATE, start=now)
    template = _template("grievance_escalated")
    total = batches = 0
    while max_batches is None or batches < max_batches:
        with transaction.atomic():
            _commit_without_waiting()
            rows = _claim(now=now, new_due=new_due, batch_size=batch_size, external=external)
            if rows:
                _tally_move(rows, new_due=new_due)
                _write_batch(rows, now=now, new_due=new_due, external=external, settings=settings, template=template)
        total += len(rows)
        batches += 1
        if len(rows) < batch_size:
            break
    return total


def _require_system(scope: Scope) -> None:
    """The sweeps are the system's (a job, a command), or a superuser's by hand."""
    if not (scope.is_system or scope.is_superuser):
        raise PermissionDenied(_("Only the system runs the Sahyog Cell's sweeps."))


def grievances_escalate_overdue(*, scope: Scope, batch_size: int = BATCH_SIZE, max_batches: int | None = None) -> int:
    """Escalate every open district-level grievance past its due time to the state cell; returns how
    many. Each batch is its own transaction, so a long sweep never holds a lock for long. A job: ``scope``
    is the system's (the timeline rows have no actor)."""
    _require_system(scope)
    return _sweep(external=False, batch_size=batch_size, max_batches=max_batches)


def grievances_chase_external(*, scope: Scope, batch_size: int = BATCH_SIZE, max_batches: int | None = None) -> int:
    """Forwarded grievances whose department's time limit has run out: the party's clock runs again at
    the state cell (at least), which chases the department and can take it to the minister."""
    _require_system(scope)
    return _sweep(external=True, batch_size=batch_size, max_batches=max_batches)


def grievances_tally_refresh(*, scope: Scope) -> int:
    """Recount the open-grievance tally the homes read from the grievances (nightly as a check, and after a
    bulk load); returns its rows."""
    _require_system(scope)
    return tally_refresh()


def grievance_reminders_send(*, scope: Scope, limit: int = 5000) -> int:
    """Remind active assignees of grievances due within ``reminder_days`` working days (once per due date;
    a job, ``scope`` is the system's). Each reminder leaves a ``reminder`` event."""
    _require_system(scope)
    settings = cell_settings()
    if not settings.reminder_days:
        return 0
    now = clock.now()
    horizon = office_calendar(weekly_off=settings.weekly_off_days, around=now.date()).deadline(
        now, settings.reminder_days)
    sent = 0
    ids = list(Grievance.objects.filter(status=GrievanceStatus.OPEN, due_at__gte=now, due_at__lte=horizon,
                                        reminded_at__isnull=True).values_list("pk", flat=True)[:limit])
    for grievance_id in ids:
        with transaction.atomic():
            grievance = Grievance.objects.select_for_update().filter(pk=grievance_id, reminded_at__isnull=True).first()
            if grievance is None:
                continue
            due = f"{grievance.due_at:%d-%m-%Y}"
            for assignment in grievance.assignments.filter(ended_at__isnull=True, role=AssignmentRole.ASSIGNEE
                                                           ).select_related("person"):
                notify_person(grievance=grievance, person=assignment.person, template_code="grievance_reminder",
                              context={"due": due}, key=f"reminder:{grievance.due_at:%Y%m%d%H%M}",
                              scope=scope)
                sent += 1
            Grievance.objects.filter(pk=grievance.pk).update(reminded_at=now)
            event_add(scope=scope, grievance=grievance, kind=EventKind.REMINDER, data={"due": due})
    return sent
