"""The periodic sweeps: automatic escalation of overdue grievances, the chase when a department's time
limit runs out, reminders before due dates.

The escalation sweep must keep up with a million open grievances, so it is set-based: one
``UPDATE … RETURNING`` per batch changes the status and level of up to ``batch_size`` overdue rows
(``FOR UPDATE SKIP LOCKED`` on PostgreSQL, so two workers never take the same row), then the batch's
assignments are ended in one UPDATE, and its timeline rows, new assignments and outbox rows are written
with one ``bulk_create`` each, in the same transaction. The partial index ``grv_open_due``
(level, due_at) WHERE status = 'open' finds the batch without reading anything else.

Bulk messages are rendered in Hindi and queued by SMS (a complainant opted out of SMS gets none from
this path); the service path (``notify_complainant``) honours each person's language and channel.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from django.db import connection, transaction

from sangathan.core import clock
from sangathan.grievances.enums import AssignmentRole, EventKind, GrievanceLevel, GrievanceStatus
from sangathan.grievances.models import Grievance, GrievanceAssignment, GrievanceEvent
from sangathan.grievances.services.config import cell_settings
from sangathan.grievances.services.events import event_add
from sangathan.grievances.services.notify import _template, message_body, notify_person
from sangathan.grievances.services.routing import state_members_in_turn
from sangathan.grievances.services.sla import deadline_for
from sangathan.grievances.workdays import office_calendar
from sangathan.messaging.models import Channel, Message, MessageKind, OptOut

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


def _claim_sql(*, external: bool) -> str:
    """UPDATE … RETURNING for one batch: overdue district clocks, or departments' clocks run out."""
    lock = " FOR UPDATE SKIP LOCKED" if connection.vendor == "postgresql" else ""
    if external:
        where = "status = 'forwarded' AND external_due_at < %s ORDER BY external_due_at"
    else:
        where = "status = 'open' AND level = 'district' AND due_at < %s ORDER BY due_at"
    # Table, columns and clauses are this module's constants; values go as parameters.
    sets = ("status = 'open', level = CASE WHEN level = 'district' THEN 'state' ELSE level END, due_at = %s, "
            "paused_days = NULL, reminded_at = NULL, escalated_at = %s, escalation_count = escalation_count + 1, "
            "updated_at = %s")
    inner = f"SELECT id FROM {TABLE} WHERE {where} LIMIT %s{lock}"  # noqa: S608
    return f"UPDATE {TABLE} SET {sets} WHERE id IN ({inner}) RETURNING {RETURNING}"  # noqa: S608


def _claim(*, now: datetime, new_due: datetime, batch_size: int, external: bool) -> list[SweepRow]:
    with connection.cursor() as cursor:
        cursor.execute(_claim_sql(external=external), [new_due, now, now, now, batch_size])
        return [SweepRow(*row) for row in cursor.fetchall()]


def _write_batch(rows: list[SweepRow], *, now: datetime, external: bool, settings, template) -> None:
    ids = [row.id for row in rows]
    GrievanceAssignment.objects.filter(grievance_id__in=ids, ended_at__isnull=True,
                                       role=AssignmentRole.ASSIGNEE).update(ended_at=now)
    picks = state_members_in_turn(len(rows), settings=settings)
    members = sorted({pick for pick in picks if pick is not None})
    events: list[GrievanceEvent] = []
    assignments: list[GrievanceAssignment] = []
    state = GrievanceLevel.STATE
    for row, pick in zip(rows, picks, strict=True):
        if external:
            events.append(GrievanceEvent(grievance_id=row.id, kind=EventKind.EXTERNAL_OVERDUE, at=now,
                                         status=GrievanceStatus.OPEN, level=state, data={"auto": True}))
        events.append(GrievanceEvent(grievance_id=row.id, kind=EventKind.ESCALATED, at=now,
                                     status=GrievanceStatus.OPEN, level=state, public=True,
                                     data={"auto": True, "to": state}))
        if pick is not None and pick == row.named_person_id:
            # Recusal: the next member in turn instead of the one the grievance names.
            others = [m for m in members if m != pick]
            pick = others[row.id % len(others)] if others else None
        if pick is not None:
            assignments.append(GrievanceAssignment(grievance_id=row.id, person_id=pick, level=state,
                                                   role=AssignmentRole.ASSIGNEE, assigned_at=now))
            events.append(GrievanceEvent(grievance_id=row.id, kind=EventKind.ASSIGNED, at=now,
                                         status=GrievanceStatus.OPEN, level=state,
                                         data={"person": pick, "role": AssignmentRole.ASSIGNEE, "level": state,
                                               "auto": True}))
    opted_out = set(OptOut.objects.filter(
        channel=Channel.SMS, revoked_at__isnull=True,
        person_id__in={row.complainant_id for row in rows if row.complainant_id}).values_list("person_id", flat=True))
    level_label = str(GrievanceLevel.STATE.label)
    messages = []
    for row in rows:
        if row.complainant_id in opted_out and row.complainant_id is not None:
            continue
        context = {"code": row.tracking_code, "level": level_label}
        messages.append(Message(
            channel=Channel.SMS, kind=MessageKind.TRANSACTIONAL, person_id=row.complainant_id,
            to_address=row.complainant_mobile, template=template, body=message_body(template, context),
            context=context, idempotency_key=f"grievance:{row.id}:escalated:state:{row.escalation_count}",
            unit_path=row.unit_path, send_at=now,
        ))
        events.append(GrievanceEvent(grievance_id=row.id, kind=EventKind.MESSAGE, at=now,
                                     status=GrievanceStatus.OPEN, level=state,
                                     data={"template": template.code, "recipient": "complainant",
                                           "channel": Channel.SMS}))
    GrievanceAssignment.objects.bulk_create(assignments, batch_size=2000)
    GrievanceEvent.objects.bulk_create(events, batch_size=2000)
    Message.objects.bulk_create(messages, batch_size=2000, ignore_conflicts=True)


def _sweep(*, external: bool, batch_size: int, max_batches: int | None) -> int:
    now = clock.now()
    settings = cell_settings()
    new_due = deadline_for(GrievanceLevel.STATE, start=now)
    template = _template("grievance_escalated")
    total = batches = 0
    while max_batches is None or batches < max_batches:
        with transaction.atomic():
            rows = _claim(now=now, new_due=new_due, batch_size=batch_size, external=external)
            if rows:
                _write_batch(rows, now=now, external=external, settings=settings, template=template)
        total += len(rows)
        batches += 1
        if len(rows) < batch_size:
            break
    return total


def grievances_escalate_overdue(*, batch_size: int = BATCH_SIZE, max_batches: int | None = None) -> int:
    """Escalate every open district-level grievance past its due time to the state cell; returns how
    many. Each batch is its own transaction, so a long sweep never holds a lock for long."""
    return _sweep(external=False, batch_size=batch_size, max_batches=max_batches)


def grievances_chase_external(*, batch_size: int = BATCH_SIZE, max_batches: int | None = None) -> int:
    """Forwarded grievances whose department's time limit has run out: the party's clock runs again at
    the state cell (at least), which chases the department and can take it to the minister."""
    return _sweep(external=True, batch_size=batch_size, max_batches=max_batches)


def grievance_reminders_send(*, limit: int = 5000) -> int:
    """Remind active assignees of grievances due within ``reminder_days`` working days (once per due date)."""
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
                              context={"due": due}, key=f"reminder:{grievance.due_at:%Y%m%d%H%M}")
                sent += 1
            Grievance.objects.filter(pk=grievance.pk).update(reminded_at=now)
            event_add(grievance=grievance, kind=EventKind.REMINDER, data={"due": due})
    return sent
