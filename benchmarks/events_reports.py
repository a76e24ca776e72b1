"""How fast the events reports answer at state scale (issue 11).

It builds its own data, set-based, and removes it at the end:

* a monthly tiffin series over every mandal of the state (MP: 1,292 mandals) for the last twelve months,
  written by one ``INSERT … SELECT`` per month, about two in three marked held;
* a live address to ``--min-people`` workers (default 1,000,000): the state's active people first, topped up
  with synthetic people spread over the booths, one invitation and one outbox message each (COPY on
  PostgreSQL), ~70 % delivered (the message's ``delivered_at`` and the invitation's ``received_at``, as the
  delivery receipt leaves them), ~35 % opened, ~15 % joined.

Then, in one run:

* baseline: one bare ``GROUP BY period, status`` over the series' occurrences of the state (the district);
* ``reports.not_held`` of the state (districts × months) and of one district (its assemblies × months);
* ``reports.funnel`` of the state (its divisions: invited → received → opened → joined) beside its own
  baseline, a bare ``COUNT(*)`` of the event's invitations.
"""

import datetime
import json
import time
from collections.abc import Callable

from django.core.management.base import CommandError
from django.db import connection, transaction
from django.db.models import Count
from django.utils import timezone

from benchmarks import summarize
from sangathan.access.scope import Scope
from sangathan.core.bulk import allocate_ids, copy_rows
from sangathan.core.tree import subtree_q
from sangathan.events.models import Event, Invitation, Series
from sangathan.events.reports import funnel, not_held
from sangathan.events.services.series import add_months, month_start
from sangathan.messaging.models import Message
from sangathan.org.models import Unit
from sangathan.people.models import Person

MIN_MANDALS = 1_292
MONTHS = 12
TITLE = "bench-events"
MOBILE_PREFIX = "+915"  # no Indian mobile starts with 5: synthetic people never collide with real ones


def run(*, out: Callable[[str], None], repeat: int, min_people: int, build: bool) -> None:
    mandals = Unit.objects.filter(level="mandal").count()
    needed = min(MIN_MANDALS, max(1, min_people // 500))  # 1,292 at the default million; a tiny tree for tests
    if mandals < needed or not mandals:
        raise CommandError(f"events_reports needs at least {needed:,} mandals (found {mandals:,}): load "
                           "`sangathan demo --scale mp --members 0` first.")
    state = Unit.objects.filter(parent__isnull=True).order_by("path").first()
    district = Unit.objects.filter(level="district").order_by("path").first()
    scope = Scope.system(channel="cli")
    repeat = max(5, min(repeat, 30))
    _clean()
    try:
        started = time.perf_counter()
        series = _series(state)
        occurrences = Event.objects.filter(series=series).count()
        out(f"events_reports: {mandals:,} mandals × {MONTHS} months = {occurrences:,} occurrences in "
            f"{time.perf_counter() - started:.1f} s ({connection.vendor})")
        started = time.perf_counter()
        event, invited, synthetic = _live(state, min_people)
        out(f"  live address: {invited:,} invitations and messages ({synthetic:,} synthetic people) in "
            f"{time.perf_counter() - started:.1f} s")
        _analyze()
        out(f"  {'what':58s} {'p50 ms':>8s} {'p95 ms':>8s} {'mean ms':>8s}")
        for label, unit in (("state", state), ("district", district)):
            base = Event.objects.filter(subtree_q("unit_path", unit.path), series=series)
            baseline = _time(lambda base=base: list(base.values("period", "status").order_by()
                                                    .annotate(n=Count("*"))), repeat)
            timing = _time(lambda unit=unit: not_held(scope=scope, series=series, unit=unit), repeat)
            out(f"  {'baseline: one GROUP BY period, status, ' + label:58s} {baseline}")
            out(f"  {'not held: ' + label + ' (groups × months)':58s} {timing}  "
                f"({timing.p50 / baseline.p50:.2f}x baseline)")
        baseline = _time(lambda: Invitation.objects.filter(event=event).count(), repeat)
        timing = _time(lambda: funnel(scope=scope, event=event, unit=state), repeat)
        out(f"  {'baseline: COUNT(*) of the invitations':58s} {baseline}")
        out(f"  {'funnel: state → divisions':58s} {timing}  ({timing.p50 / baseline.p50:.2f}x baseline)")
    finally:
        _clean()
        out("  cleaned up: the benchmark series, live address, messages and synthetic people")


def _series(state: Unit) -> Series:
    first = add_months(month_start(timezone.localdate()), 1 - MONTHS)
    series = Series.objects.create(kind="tiffin", title=TITLE, unit=state, unit_path=state.path, level="mandal",
                                   starts_on=first, months=MONTHS)
    secret = "md5(random()::text)" if connection.vendor == "postgresql" else "lower(hex(randomblob(16)))"
    with transaction.atomic(), connection.cursor() as cursor:
        for i in range(MONTHS):
            period = add_months(first, i)
            cursor.execute(  # noqa: S608 — secret is one of two constants
                f"""
                INSERT INTO events_event (kind, title, status, unit_id, unit_path, series_id, period, held_on,
                                          attendance_count, invite_rule, link, phone_in, minutes, secret,
                                          cancel_reason, created_at, updated_at)
                SELECT 'tiffin', %s, CASE WHEN (u.id + %s) %% 3 <> 0 THEN 'held' ELSE 'planned' END, u.id, u.path,
                       %s, %s, CASE WHEN (u.id + %s) %% 3 <> 0 THEN %s END, NULL, '{{}}', '', '', '', {secret}, '',
                       CURRENT_TIMESTAMP, CURRENT_TIMESTAMP
                FROM org_unit u
                WHERE u.level = 'mandal' AND u.path >= %s AND u.path < %s
                """, [TITLE, i, series.pk, period, i, period, state.path, state.path + "~"])
    return series


def _template(model, now) -> dict:
    """Every concrete column of ``model`` with its default (the rows are written beside the ORM)."""
    row = {}
    for field in model._meta.concrete_fields:
        if field.primary_key:
            continue
        value = field.get_default()
        if getattr(field, "auto_now", False) or getattr(field, "auto_now_add", False):
            value = now
        if field.get_internal_type() == "JSONField":
            value = json.dumps(value if value is not None else {})
        row[field.column] = value
    return row


def _rows(template: dict, ids, fill: Callable[[int, int], dict]):
    columns = ["id", *template]
    for index, pk in enumerate(ids):
        row = dict(template)
        row.update(fill(index, pk))
        yield tuple([pk] + [row[c] for c in columns[1:]])


def _live(state: Unit, audience: int) -> tuple[Event, int, int]:
    now = timezone.now()
    event = Event.objects.create(kind="live", title=TITLE, unit=state, unit_path=state.path, starts_at=now,
                                 ends_at=now + datetime.timedelta(hours=1), invite_rule={"everyone": True})
    people = list(Person.objects.filter(subtree_q("unit_path", state.path), status="active")
                  .values_list("pk", "unit_path")[:audience])
    synthetic = max(audience - len(people), 0)
    with transaction.atomic():
        if synthetic:
            people += _synthetic_people(state, synthetic, now)
        message_ids = allocate_ids(Message._meta.db_table, len(people))
        invitation_ids = allocate_ids(Invitation._meta.db_table, len(people))
        template = _template(Message, now)
        copy_rows(Message._meta.db_table, ["id", *template], _rows(template, message_ids, lambda i, pk: {
            "channel": "sms", "kind": "bulk", "person_id": people[i][0], "to_address": "+910000000000",
            "body": TITLE, "idempotency_key": f"{TITLE}:{pk}", "unit_path": people[i][1], "send_at": now,
            "status": "delivered" if i % 10 < 7 else "sent", "delivered_at": now if i % 10 < 7 else None}))
        template = _template(Invitation, now)
        copy_rows(Invitation._meta.db_table, ["id", *template], _rows(template, invitation_ids, lambda i, pk: {
            "event_id": event.pk, "person_id": people[i][0], "unit_path": people[i][1],
            "message_id": message_ids[i], "received_at": now if i % 10 < 7 else None,
            "opened_at": now if i % 20 < 7 else None,
            "attended": i % 20 < 3, "attended_at": now if i % 20 < 3 else None,
            "method": "code" if i % 20 < 3 else ""}))
    return event, len(people), synthetic


def _synthetic_people(state: Unit, count: int, now) -> list[tuple[int, str]]:
    booths = list(Unit.objects.filter(subtree_q("path", state.path), level="booth").values_list("pk", "path"))
    if not booths:
        raise CommandError("events_reports needs booths to place the live address's synthetic audience.")
    ids = allocate_ids(Person._meta.db_table, count)
    template = _template(Person, now)
    placed = [booths[i % len(booths)] for i in range(count)]
    copy_rows(Person._meta.db_table, ["id", *template], _rows(template, ids, lambda i, pk: {
        "name": f"bench {pk}", "name_latin": f"bench {pk}", "name_key": "bnch", "mobile": f"{MOBILE_PREFIX}{pk:09d}",
        "unit_id": placed[i][0], "unit_path": placed[i][1], "status": "active"}))
    return [(pk, placed[i][1]) for i, pk in enumerate(ids)]


def _analyze() -> None:
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            for model in (Event, Invitation, Message, Person):
                cursor.execute(f"ANALYZE {model._meta.db_table}")


def _clean() -> None:
    """Plain DELETEs in dependency order: the ORM's collector would load a million rows first."""
    with transaction.atomic(), connection.cursor() as cursor:
        event_ids = list(Event.objects.filter(title=TITLE, series__isnull=True).values_list("pk", flat=True))
        if event_ids:
            marks = ", ".join(["%s"] * len(event_ids))
            cursor.execute(f"DELETE FROM events_invitation WHERE event_id IN ({marks})", event_ids)  # noqa: S608
        cursor.execute("DELETE FROM messaging_message WHERE idempotency_key LIKE %s", [f"{TITLE}:%"])
        cursor.execute("DELETE FROM people_person WHERE mobile LIKE %s", [f"{MOBILE_PREFIX}%"])
        cursor.execute("DELETE FROM events_event WHERE title = %s", [TITLE])
        cursor.execute("DELETE FROM events_series WHERE title = %s", [TITLE])


def _time(fn, repeat: int):
    for _ in range(3):
        fn()
    samples = []
    for _ in range(repeat):
        started = time.perf_counter()
        fn()
        samples.append((time.perf_counter() - started) * 1000)
    return summarize(samples)
