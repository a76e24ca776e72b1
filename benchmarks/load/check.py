"""After a load run: was any acknowledged write lost, any write half-made, any message lost?

Reads the writes the load users recorded (one JSON line each: kind, key, final status, attempts) and the
database written during the run (``since``):
* campaign reports: every acknowledged submission's note is a revision (revisions keep every submission);
* call logs: the audit rows written with the logs (same transaction) number at least the acknowledged writes
  and at most the attempts;
* grievance intakes (never retried): every acknowledged one exists exactly once; one whose answer was lost
  (the process serving it was killed) exists at most once and, if it does, whole: with its "created" event
  and its acknowledgement message;
* messages: after the worker drained, none created during the run is still queued or sending.
"""

import json
import time
from collections import Counter
from pathlib import Path

from django.db.models import Q
from django.utils import timezone

from sangathan.access.models import AuditLog
from sangathan.campaigns.models import ReportRevision
from sangathan.grievances.models import Grievance
from sangathan.messaging.models import Message
from sangathan.messaging.models.outbox import MessageStatus

OK = {200, 201}


def read_writes(path: Path) -> list[dict]:
    if not path.exists():
        return []
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]


def drain_wait(since, *, timeout: float = 120.0) -> int:
    """Wait for the worker to send what the run queued and is due (quiet hours hold SMS until morning: a
    held message waits with its time, it is not lost); the number still due or sending at the end."""
    deadline = time.monotonic() + timeout
    while True:
        now = timezone.now()
        due = Q(status=MessageStatus.SENDING) | Q(status=MessageStatus.QUEUED) & (
            Q(next_attempt_at__isnull=True, send_at__lte=now) | Q(next_attempt_at__lte=now))
        pending = Message.objects.filter(due, created_at__gte=since).count()
        if pending == 0 or time.monotonic() > deadline:
            return pending
        time.sleep(2)


def check(writes: list[dict], since) -> dict:
    by_kind = Counter(w["kind"] for w in writes)
    acked = Counter(w["kind"] for w in writes if w["status"] in OK)
    problems = []

    reports = [w for w in writes if w["kind"] == "campaign report" and w["status"] in OK]
    notes = set(ReportRevision.objects.filter(at__gte=since).values_list("note", flat=True))
    lost_reports = [w for w in reports if w["note"] not in notes]
    if lost_reports:
        problems.append(f"{len(lost_reports)} acknowledged reports without their revision")

    calls = [w for w in writes if w["kind"] == "call log"]
    call_rows = AuditLog.objects.filter(action="outreach.call_log", at__gte=since).count()
    attempts = sum(w["attempts"] for w in calls)
    if not acked["call log"] <= call_rows <= attempts:
        problems.append(f"call logs: {call_rows} written, {acked['call log']} acknowledged, {attempts} attempts")

    intakes = [w for w in writes if w["kind"] == "grievance intake"]
    found = Counter()
    for grievance in Grievance.objects.filter(created_at__gte=since, subject__startswith="भार परीक्षण "):
        found[grievance.subject.rsplit(" ", 1)[-1]] += 1
        whole = (grievance.events.filter(kind="created").exists()
                 and Message.objects.filter(idempotency_key__startswith=f"grievance:{grievance.pk}:").exists())
        if not whole:
            problems.append(f"grievance {grievance.tracking_code} is half-made")
    missing = [w for w in intakes if w["status"] in OK and found[w["key"]] != 1]
    doubled = [key for key, n in found.items() if n > 1]
    unknown = [w for w in intakes if w["status"] not in OK]
    if missing:
        problems.append(f"{len(missing)} acknowledged grievances missing")
    if doubled:
        problems.append(f"{len(doubled)} grievances stored twice")

    pending = drain_wait(since)
    statuses = Counter(Message.objects.filter(created_at__gte=since).values_list("status", flat=True))
    if pending:
        problems.append(f"{pending} messages due but not sent after the drain")
    return {
        "writes": dict(by_kind), "acknowledged": dict(acked),
        "failed_after_retries": {kind: by_kind[kind] - acked[kind] for kind in by_kind},
        "grievances_answer_lost": len(unknown),
        "grievances_answer_lost_but_stored": sum(1 for w in unknown if found[w["key"]] == 1),
        "messages": dict(statuses), "problems": problems,
    }
