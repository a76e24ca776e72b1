"""Messages of booth contact: the morning list, the evening reminder, the weekly summary to the state office.

All go through the messaging outbox (``message_send_templated``; the lists by the thousand through
``messages_send_templated_bulk``) as transactional messages with an
idempotency key per caller and day, so a re-run (a retried task, a second worker) sends nothing twice. The
lists are written in chunks of callers, each chunk its own transaction, so a state's thousands of lists
never hold one long transaction.
"""

import datetime
from collections import defaultdict

from django.db import transaction
from django.db.models import Count, Q
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from sangathan.access.scope import Scope
from sangathan.core import clock
from sangathan.core.phones import display_mobile
from sangathan.messaging.models import Language, MessageKind
from sangathan.messaging.services import (
    BulkItem,
    BulkRecipient,
    message_send_templated,
    messages_send_templated_bulk,
)
from sangathan.org.enums import Grant
from sangathan.org.models import Position, Unit
from sangathan.outreach.enums import AssignmentStatus
from sangathan.outreach.models import AssignmentRun, CallAssignment, ContactProgram
from sangathan.outreach.services.programs import (
    TEMPLATE_DAILY_LIST,
    TEMPLATE_REMINDER,
    TEMPLATE_WEEKLY,
    outreach_seed_defaults,
)
from sangathan.people.models import Person

CHUNK = 500
NOTE_CHARS = 60


def _end_of(day: datetime.date) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day + datetime.timedelta(days=1), datetime.time.min))


def _list_line(rank: int, name: str, unit: str, mobile: str, note: str, last_time: str) -> str:
    line = f"{rank}. {name}, {unit}, {display_mobile(mobile)}"
    if note:
        note = note if len(note) <= NOTE_CHARS else note[:NOTE_CHARS - 1] + "…"
        line += " — " + last_time % {"note": note}
    return line


def _require_program(scope: Scope, program: ContactProgram) -> None:
    """Messages of a program go out for the office over its unit (in practice the worker: the system)."""
    scope.require(program.target_path, message=_("No such program."))


def call_lists_send(*, scope: Scope, program: ContactProgram, day: datetime.date) -> int:
    """Send each caller of ``program`` their list for ``day`` (name, booth, mobile, last call's notes).
    Returns how many messages were queued now (earlier ones are not counted again); the outbox rows are the
    record of what was sent."""
    _require_program(scope, program)
    outreach_seed_defaults()
    caller_ids = list(CallAssignment.objects.filter(program=program, day=day, status=AssignmentStatus.PENDING)
                      .values_list("caller_id", flat=True).distinct().order_by("caller_id"))
    queued = 0
    for start in range(0, len(caller_ids), CHUNK):
        queued += _send_lists_chunk(program, day, caller_ids[start:start + CHUNK])
    AssignmentRun.objects.filter(program=program, day=day).update(notified_at=timezone.now())
    return queued


@transaction.atomic
def _send_lists_chunk(program: ContactProgram, day: datetime.date, caller_ids: list[int]) -> int:
    """One chunk of lists, read as tuples (no model instance per assignment, caller or target: they were
    most of a chunk's time) and queued by messaging's bulk enqueue in a fixed number of queries."""
    from sangathan.outreach.selectors import last_notes_for

    rows = list(CallAssignment.objects.filter(program=program, day=day, caller_id__in=caller_ids,
                                              status=AssignmentStatus.PENDING)
                .order_by("caller_id", "rank")
                .values_list("caller_id", "rank", "target_id", "target__name", "target__mobile",
                             "target_unit__name_hi", "target_unit__name_en", "caller__name", "caller__mobile",
                             "caller__unit_path", "caller__contact_preference__language"))
    notes = last_notes_for({row[2]: day for row in rows})
    by_caller = defaultdict(list)
    for row in rows:
        by_caller[row[0]].append(row)
    labels: dict[str, str] = {}  # "last time: …" in each caller language, translated once
    date_text = day.strftime("%d.%m.%Y")
    items = []
    for caller_id, calls in by_caller.items():
        _caller, _rank, _target, _name, _mobile, _hi, _en, caller_name, caller_mobile, caller_path, language = calls[0]
        language = language or Language.HINDI  # no preference row: Hindi, as contact_preference_of says
        if language not in labels:
            with translation.override(language):
                labels[language] = _("last time: %(note)s")
        english = language.startswith("en")  # as in_language reads the active language
        lines = [_list_line(rank, name, (unit_en if english and unit_en else unit_hi), mobile, notes.get(target, ""),
                            labels[language])
                 for _c, rank, target, name, mobile, unit_hi, unit_en, *_rest in calls]
        items.append(BulkItem(person=BulkRecipient(caller_id, caller_mobile, caller_path),
                              context={"name": caller_name, "day": date_text, "calls": "\n".join(lines)},
                              idempotency_key=f"outreach:list:{program.pk}:{caller_id}:{day.isoformat()}"))
    # The whole chunk in a fixed number of queries (messaging's bulk enqueue), not some seven per caller.
    result = messages_send_templated_bulk(scope=Scope.system(channel="task"), template_code=TEMPLATE_DAILY_LIST,
                                          items=items, channel=program.channel, kind=MessageKind.TRANSACTIONAL,
                                          expires_at=_end_of(day))
    return result.messages


@transaction.atomic
def call_reminders_send(*, scope: Scope, program: ContactProgram, day: datetime.date) -> int:
    """Remind every caller of ``program`` who still has calls of ``day`` left; returns how many."""
    _require_program(scope, program)
    outreach_seed_defaults()
    left = (CallAssignment.objects.filter(program=program, day=day, status=AssignmentStatus.PENDING)
            .values("caller_id").annotate(left=Count("id")))
    counts = {row["caller_id"]: row["left"] for row in left}
    sent = 0
    system = Scope.system(channel="task")
    for caller in Person.objects.filter(pk__in=list(counts)):
        message = message_send_templated(
            person=caller, template_code=TEMPLATE_REMINDER, context={"name": caller.name, "left": counts[caller.pk]},
            idempotency_key=f"outreach:reminder:{program.pk}:{caller.pk}:{day.isoformat()}", scope=system,
            channel=program.channel, kind=MessageKind.TRANSACTIONAL, expires_at=_end_of(day))
        sent += message is not None
    AssignmentRun.objects.filter(program=program, day=day).update(reminded_at=timezone.now())
    return sent


def week_figures(*, program: ContactProgram, start: datetime.date, end: datetime.date) -> dict:
    """The program's week, for the state office: assigned, called the same day, reached, missed, and the
    three districts (children at the pairing level) with the lowest share called."""
    today = clock.today()
    queryset = CallAssignment.objects.filter(program=program, day__gte=start, day__lte=end)
    missed = Q(status=AssignmentStatus.MISSED) | Q(status=AssignmentStatus.PENDING, day__lt=today)
    figures = queryset.aggregate(
        assigned=Count("id"), called=Count("id", filter=Q(status=AssignmentStatus.LOGGED)),
        reached=Count("id", filter=Q(status=AssignmentStatus.LOGGED, log__reached=True)),
        missed=Count("id", filter=missed))
    depth = Unit.objects.filter(level=program.pairing_level or "district").values_list("depth", flat=True).first()
    lagging = []
    if depth:
        from django.db.models.functions import Substr

        rows = (queryset.annotate(district=Substr("unit_path", 1, depth * 4)).values("district")
                .annotate(assigned=Count("id"), called=Count("id", filter=Q(status=AssignmentStatus.LOGGED))))
        shares = sorted((row["called"] / row["assigned"], row["district"]) for row in rows if row["assigned"])
        names = dict(Unit.objects.filter(path__in=[path for _, path in shares[:3]]).values_list("path", "name_hi"))
        lagging = [f"{names.get(path, path)} ({share:.0%})" for share, path in shares[:3]]
    figures["lagging"] = ", ".join(lagging) or "—"
    return figures


@transaction.atomic
def weekly_summary_send(*, scope: Scope, program: ContactProgram, week_start: datetime.date) -> int:
    """Send the summary of the week starting ``week_start`` to the office-bearers (write posts) of the
    program's root unit; returns how many messages were queued."""
    _require_program(scope, program)
    outreach_seed_defaults()
    end = week_start + datetime.timedelta(days=6)
    figures = week_figures(program=program, start=week_start, end=end)
    context = {"week": f"{week_start:%d.%m}–{end:%d.%m.%Y}", **figures}
    recipients = Person.objects.filter(pk__in=Position.objects.current(on=clock.today()).filter(
        unit_id=program.target_root_id, post__grant=Grant.WRITE).values("person_id"))
    sent = 0
    system = Scope.system(channel="task")
    for person in recipients:
        message = message_send_templated(
            person=person, template_code=TEMPLATE_WEEKLY, context=context,
            idempotency_key=f"outreach:weekly:{program.pk}:{person.pk}:{week_start.isoformat()}",
            channel=program.channel, kind=MessageKind.TRANSACTIONAL, scope=system)
        sent += message is not None
    return sent


def programs_due(*, now: datetime.datetime) -> list[tuple[int, str, datetime.date]]:
    """What the periodic tick must do now: (program id, "start" | "remind", day) for each active program
    whose send time (list not yet sent today) or reminder time (reminders not yet sent) has come."""
    local = timezone.localtime(now)
    day, moment = local.date(), local.time()
    runs = {run.program_id: run for run in AssignmentRun.objects.filter(day=day)}
    due = []
    for program in ContactProgram.objects.filter(is_active=True):
        if not program.works_on(day) or moment < program.send_time:
            continue
        run = runs.get(program.pk)
        if run is None or run.notified_at is None:
            due.append((program.pk, "start", day))
        elif moment >= program.reminder_time and run.reminded_at is None:
            due.append((program.pk, "remind", day))
    return due


def program_day_start(*, scope: Scope, program: ContactProgram, day: datetime.date) -> dict:
    """The morning job of one program: mark earlier days' calls still pending as missed, assign the day's
    calls, send the lists, and on the first working day of a week the previous week's summary. Each step
    is idempotent."""
    from sangathan.outreach.services.assignment import assignments_assign, assignments_expire

    assignments_expire(scope=scope, before=day)
    result = assignments_assign(scope=scope, program=program, day=day)
    sent = call_lists_send(scope=scope, program=program, day=day) if not result.skipped else 0
    summaries = 0
    first_working = min(program.working_days)
    if day.weekday() == first_working:
        last_week = day - datetime.timedelta(days=day.weekday() + 7)
        summaries = weekly_summary_send(scope=scope, program=program, week_start=last_week)
    return {"assigned": result.assigned, "lists": sent, "summaries": summaries}
