"""Broadcasts: who may send them, their audience, preview, fan-out into the outbox, and their counts.

A state or district office sends to a unit subtree inside its write scope, narrowed by ``filters``. The
fan-out is set-based: one ``INSERT … SELECT`` per channel and batch of person ids (``BATCH_SIZE``), so a
million recipients are queued in well under a minute, the progress bar moves, and a pause or a
cancellation takes effect between batches. Each row's idempotency key is
``broadcast:{id}:{person_id}:{channel}`` and conflicts on it are skipped (``ON CONFLICT DO NOTHING``), so
a re-run after a crash or a retry writes nothing twice.

Texts are rendered in Python once per language (``template_render``) and passed as parameters; the one
per-person variable, ``{name}``, is filled in by the database with ``REPLACE``. Every other variable has
the same value for every recipient and comes from the broadcast's ``context``.
"""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor

from django.db import connection, transaction
from django.db.models import Case, CharField, Count, Exists, F, Max, Min, OuterRef, Q, QuerySet, Value, When
from django.db.models.functions import Cast, Coalesce, Concat, Replace
from django.utils import timezone
from django.utils.translation import gettext as _

from sangathan.access.models import AuditLog
from sangathan.access.scope import Scope
from sangathan.access.services import audit_record
from sangathan.core.errors import DomainError, NotFound, PermissionDenied
from sangathan.core.tree import subtree_q
from sangathan.messaging.models import (
    Broadcast,
    BroadcastStatus,
    Language,
    Message,
    MessageKind,
    MessageStatus,
    OptOut,
    Template,
)
from sangathan.messaging.services import MOBILE_CHANNELS, template_render
from sangathan.org.models import Level, Position, Post, Unit, Wing
from sangathan.people.enums import PersonStatus
from sangathan.people.models import Person

# The offices that may broadcast: a state or a district (DESIGN.md, seed 001).
SENDER_LEVELS = ("state", "district")
# Audience roots offered by the compose page; the API accepts any unit inside the sender's subtree.
AUDIENCE_LEVELS = ("state", "division", "district", "assembly", "mandal")
BROADCAST_CHANNELS = tuple(MOBILE_CHANNELS)
BATCH_SIZE = 50_000
# PostgreSQL writes this many batches side by side: the database does the work, and on the two cores of the
# benchmark machine two batches in parallel raise the rate from ~17,000 to over 20,000 rows/s.
FANOUT_THREADS = 2
# Filled in per recipient by the database; every other variable comes from the broadcast's context.
PERSON_VARIABLES = ("name",)
FILTER_KEYS = ("posts", "levels", "wings", "statuses")
FINISHED = (MessageStatus.SENT, MessageStatus.DELIVERED, MessageStatus.FAILED, MessageStatus.EXPIRED,
            MessageStatus.CANCELLED)
# Queued messages of a paused broadcast wait as "held"; the outbox worker leaves held rows alone.


# --- who may send --------------------------------------------------------------------------------


def broadcast_sender_units(scope: Scope) -> QuerySet:
    """State and district units inside the actor's write scope: the offices they may send from."""
    return scope.filter(Unit.objects.filter(level__in=SENDER_LEVELS), "path", for_write=True).order_by("path")


def may_broadcast(scope: Scope) -> bool:
    return bool(scope.write_paths) and broadcast_sender_units(scope).exists()


def broadcast_audience_units(scope: Scope) -> list[Unit]:
    """Units the compose page offers as audience: down to mandals, under an office the actor may send from."""
    offices = list(broadcast_sender_units(scope).values_list("path", flat=True))
    if not offices:
        return []
    query = Q()
    for path in offices:
        query |= subtree_q("path", path)
    return list(Unit.objects.filter(query, level__in=AUDIENCE_LEVELS).order_by("path"))


def sender_unit_for(unit: Unit, scope: Scope) -> Unit:
    """The highest state or district office, at or above ``unit``, inside the actor's write scope."""
    if not scope.can_read_path(unit.path):
        raise NotFound(_("No such unit."), field="unit")
    office = (
        broadcast_sender_units(scope)
        .filter(path__in=[unit.path[:end] for end in range(4, len(unit.path) + 1, 4)])
        .order_by("depth")
        .first()
    )
    if office is None:
        raise PermissionDenied(_("Only a state or district office may send a broadcast here."), field="unit")
    return office


# --- reads ---------------------------------------------------------------------------------------


def broadcasts_visible(scope: Scope) -> QuerySet:
    """Broadcasts whose audience lies inside the actor's read scope, newest first."""
    return scope.filter(Broadcast.objects.all(), "unit_path").select_related(
        "created_by", "sender_unit", "unit", "template"
    )


def broadcast_get_for_actor(broadcast_id, scope: Scope, *, for_write: bool = False) -> Broadcast:
    """The broadcast if visible (NotFound otherwise); with ``for_write``, PermissionDenied unless the actor
    may send from its office, and the row locked."""
    rows = Broadcast.objects.select_related("created_by", "sender_unit", "unit", "template")
    if for_write:
        rows = rows.select_for_update(of=("self",))
    try:
        broadcast = rows.get(pk=int(broadcast_id))
    except (Broadcast.DoesNotExist, TypeError, ValueError, OverflowError):
        raise NotFound(_("No such broadcast.")) from None
    if not scope.can_read_path(broadcast.unit_path):
        raise NotFound(_("No such broadcast."))
    if for_write and not scope.can_write_path(broadcast.sender_unit.path):
        raise PermissionDenied(_("Only the sending office may change this broadcast."))
    return broadcast


def broadcast_counts(broadcast_ids) -> dict[int, dict[str, int]]:
    """Messages per status of each broadcast, in one grouped query (served by the (broadcast, status)
    index)."""
    counts: dict[int, dict[str, int]] = {pk: dict.fromkeys(MessageStatus.values, 0) for pk in broadcast_ids}
    if not counts:
        return counts
    rows = (
        Message.objects.filter(broadcast_id__in=list(counts)).order_by()
        .values_list("broadcast_id", "status").annotate(n=Count("*"))
    )
    for broadcast_id, status, n in rows:
        counts[broadcast_id][status] = n
    return counts


def broadcast_progress(broadcast: Broadcast, counts: dict[str, int] | None = None) -> dict:
    """What the progress page shows: the counts, the opted-out people and how far the sending is (0–100)."""
    counts = counts if counts is not None else broadcast_counts([broadcast.pk])[broadcast.pk]
    written = sum(counts.values())
    expected = sum(ch.get("recipients", 0) for ch in broadcast.audience.get("channels", {}).values())
    fanned_out = broadcast.status in (BroadcastStatus.DONE, BroadcastStatus.CANCELLED)
    total = written if fanned_out else max(written, expected)
    finished = sum(counts[status] for status in FINISHED)
    return {
        "id": broadcast.pk,
        "status": broadcast.status,
        "counts": {**counts, "opted_out": audience_opted_out(broadcast.audience), "total": total},
        "fanout_percent": _percent(broadcast.cursor, broadcast.cursor_end) if not fanned_out else 100,
        "percent": _percent(finished, total) if total else (100 if fanned_out else 0),
    }


def _percent(part: int, whole: int) -> int:
    return min(100, int(part * 100 / whole)) if whole else 0


def audience_opted_out(audience: dict) -> int:
    return sum(ch.get("opted_out", 0) for ch in audience.get("channels", {}).values())


def messages_visible(scope: Scope, *, status: str = "", channel: str = "", broadcast_id=None) -> QuerySet:
    """Sent messages (outbox rows) to people inside the actor's read scope, newest first."""
    messages = scope.filter(Message.objects.all(), "unit_path").select_related("person")
    if status:
        messages = messages.filter(status=status)
    if channel:
        messages = messages.filter(channel=channel)
    if broadcast_id:
        messages = messages.filter(broadcast_id=broadcast_id)
    return messages.order_by("-id")


def broadcast_filter_labels(filters: dict) -> list[str]:
    """The filters in words (post, level and wing labels in the active language; statuses as labels)."""
    models = {"posts": Post, "levels": Level, "wings": Wing}
    labels = []
    for key, model in models.items():
        codes = filters.get(key) or []
        if codes:
            by_code = {item.code: item.label for item in model.objects.filter(code__in=codes)}
            labels.extend(by_code.get(code, code) for code in codes)
    labels.extend(str(PersonStatus(code).label) for code in filters.get("statuses") or [])
    return labels


# --- audience ------------------------------------------------------------------------------------


def audience_people(unit_path: str, filters: dict) -> QuerySet:
    """People of the audience, each once. Without post filters: everyone under ``unit_path`` with one of
    the statuses. With them: people holding a current matching position at a unit under ``unit_path``;
    a person holding two matching posts is still one row (a semi-join, ``EXISTS``)."""
    people = Person.objects.filter(status__in=filters.get("statuses") or [PersonStatus.ACTIVE])
    posts, levels, wings = filters.get("posts"), filters.get("levels"), filters.get("wings")
    if not (posts or levels or wings):
        return people.filter(subtree_q("unit_path", unit_path))
    positions = Position.objects.current().filter(subtree_q("unit_path", unit_path), person=OuterRef("pk"))
    if posts:
        positions = positions.filter(post__code__in=posts)
    if levels:
        positions = positions.filter(unit__level__in=levels)
    if wings:
        positions = positions.filter(wing__code__in=wings)
    return people.filter(Exists(positions))


def _opted_out(channel: str) -> Exists:
    return Exists(OptOut.objects.filter(person=OuterRef("pk"), channel=channel, revoked_at__isnull=True))


def broadcast_preview(broadcast: Broadcast) -> dict:
    """Recipients per channel before sending, in one grouped query: the audience, those without a mobile,
    and per channel those who opted out and those who will get a message."""
    people = audience_people(broadcast.unit_path, broadcast.filters).order_by()
    aggregates = {"people": Count("id"), "no_mobile": Count("id", filter=Q(mobile=""))}
    for channel in broadcast.channels:
        people = people.annotate(**{f"out_{channel}": _opted_out(channel)})
        aggregates[f"opted_out_{channel}"] = Count("id", filter=Q(**{f"out_{channel}": True}) & ~Q(mobile=""))
    totals = people.aggregate(**aggregates)
    channels = {}
    for channel in broadcast.channels:
        opted_out = totals[f"opted_out_{channel}"]
        channels[channel] = {"opted_out": opted_out,
                             "recipients": totals["people"] - totals["no_mobile"] - opted_out}
    return {"people": totals["people"], "no_mobile": totals["no_mobile"], "channels": channels}


# --- writes --------------------------------------------------------------------------------------


def _clean_filters(filters: dict | None) -> dict:
    filters = dict(filters or {})
    unknown = sorted(set(filters) - set(FILTER_KEYS))
    if unknown:
        raise DomainError(_("Unknown filter: %(names)s.") % {"names": ", ".join(unknown)}, field="filters")
    vocabularies = {
        "posts": lambda codes: Post.objects.filter(code__in=codes).values_list("code", flat=True),
        "levels": lambda codes: Level.objects.filter(code__in=codes).values_list("code", flat=True),
        "wings": lambda codes: Wing.objects.filter(code__in=codes).values_list("code", flat=True),
        "statuses": lambda codes: [code for code in codes if code in PersonStatus.values],
    }
    cleaned = {}
    for key, known in vocabularies.items():
        codes = filters.get(key) or []
        if not isinstance(codes, list) or not all(isinstance(code, str) for code in codes):
            raise DomainError(_("Give a list of codes."), field=f"filters.{key}")
        codes = sorted(set(codes))
        missing = sorted(set(codes) - set(known(codes)))
        if missing:
            raise DomainError(_("Unknown code: %(names)s.") % {"names": ", ".join(missing)}, field=f"filters.{key}")
        if codes:
            cleaned[key] = codes
    return cleaned


def _check_renders(template: Template, context: dict) -> None:
    """Refuse a template whose variables the context does not fill, before anything is written."""
    filled = {**{name: name for name in PERSON_VARIABLES}, **context}
    for language in Language.values:
        template_render(template=template, language=language, context=filled)


def _clean_context(context: dict | None) -> dict:
    context = context or {}
    if not isinstance(context, dict):
        raise DomainError(_("Give the values as an object."), field="context")
    clean = {str(key): str(value).strip() for key, value in context.items() if key not in PERSON_VARIABLES}
    if any(len(value) > 500 for value in clean.values()):
        raise DomainError(_("A value is too long (at most 500 characters)."), code="too_long", field="context")
    return clean


@transaction.atomic
def broadcast_create(*, actor, scope: Scope, unit: Unit, template: Template, channels: list[str],
                     filters: dict | None = None, context: dict | None = None, send_at=None) -> Broadcast:
    """A draft broadcast to ``unit``'s subtree from the actor's office above it. Nothing is queued yet.

    Raises NotFound (unit outside the scope), PermissionDenied (no state or district office of the actor
    at or above the unit) or DomainError (bad channel, filter, or a variable the context leaves empty).
    """
    sender = sender_unit_for(unit, scope)
    if not template.is_active:
        raise DomainError(_("This template is not in use."), field="template")
    channels = sorted(set(channels or []))
    if not channels:
        raise DomainError(_("Choose at least one channel."), code="required", field="channels")
    bad = [c for c in channels if c not in BROADCAST_CHANNELS or c not in (template.channels or [])]
    if bad:
        raise DomainError(_("This template cannot go out on: %(names)s.") % {"names": ", ".join(bad)},
                          field="channels")
    if send_at is not None and send_at < timezone.now() - timezone.timedelta(minutes=5):
        raise DomainError(_("The time to send is in the past."), field="send_at")
    context = _clean_context(context)
    _check_renders(template, context)
    return Broadcast.objects.create(
        created_by=actor, sender_unit=sender, unit=unit, unit_path=unit.path, filters=_clean_filters(filters),
        template=template, context=context, channels=channels, send_at=send_at,
    )


@transaction.atomic
def broadcast_send(*, actor, scope: Scope, broadcast_id: int, request=None, via: str = "web") -> Broadcast:
    """Start sending a draft: now (the fan-out task is queued after commit) or, with a future ``send_at``,
    when ``broadcasts_start_due`` finds it due. Records the audience preview and an audit row."""
    from sangathan.messaging.broadcast_tasks import broadcast_fanout_task

    broadcast = broadcast_get_for_actor(broadcast_id, scope, for_write=True)
    if broadcast.status != BroadcastStatus.DRAFT:
        raise DomainError(_("This broadcast has already been sent."), code="invalid_status", field="status")
    _check_renders(broadcast.template, broadcast.context)
    broadcast.audience = broadcast_preview(broadcast)
    now = timezone.now()
    later = broadcast.send_at is not None and broadcast.send_at > now
    broadcast.status = BroadcastStatus.SCHEDULED if later else BroadcastStatus.SENDING
    if not later:
        _start(broadcast, now)
    broadcast.save()
    audit_record(actor=actor, action=AuditLog.Action.BROADCAST_SEND, request=request, target=broadcast,
                 unit_path=broadcast.unit_path, channel=via,
                 detail={"template": broadcast.template.code, "channels": broadcast.channels,
                         "filters": broadcast.filters, "audience": broadcast.audience,
                         "send_at": broadcast.send_at.isoformat() if broadcast.send_at else None})
    if not later:
        transaction.on_commit(lambda: broadcast_fanout_task(broadcast.pk))
    return broadcast


def _start(broadcast: Broadcast, now) -> None:
    broadcast.started_at = now
    bounds = Person.objects.aggregate(low=Min("id"), high=Max("id"))
    broadcast.cursor = (bounds["low"] or 1) - 1
    broadcast.cursor_end = bounds["high"] or 0


def broadcasts_start_due(*, now=None) -> list[int]:
    """Start the scheduled broadcasts whose time has come; returns their ids (the periodic task)."""
    from sangathan.messaging.broadcast_tasks import broadcast_fanout_task

    now = now or timezone.now()
    started = []
    for broadcast_id in Broadcast.objects.filter(status=BroadcastStatus.SCHEDULED, send_at__lte=now).values_list(
            "id", flat=True):
        with transaction.atomic():
            broadcast = Broadcast.objects.select_for_update().get(pk=broadcast_id)
            if broadcast.status != BroadcastStatus.SCHEDULED:
                continue
            broadcast.status = BroadcastStatus.SENDING
            _start(broadcast, now)
            broadcast.save(update_fields=["status", "started_at", "cursor_end", "updated_at"])
            transaction.on_commit(lambda pk=broadcast_id: broadcast_fanout_task(pk))
        started.append(broadcast_id)
    return started


def broadcast_fanout(*, broadcast_id: int, batch_size: int | None = None, threads: int | None = None) -> int:
    """Write the outbox rows of a sending broadcast, batch by batch of person ids, from its cursor on.

    Each batch is one transaction under a share lock on the broadcast's row: a pause or a cancellation
    (which lock the row for update) waits for the batches in flight, and the next round sees it and stops.
    On PostgreSQL ``FANOUT_THREADS`` batches are written side by side in their own connections, unless the
    caller is inside a transaction (those connections could not see its uncommitted rows). The cursor
    moves once every batch of a round has committed, so a crash resumes without a gap; a batch written
    twice adds nothing (idempotency keys). Returns the number of rows written.
    """
    batch_size = batch_size or BATCH_SIZE
    if threads is None:
        parallel = connection.vendor == "postgresql" and not connection.in_atomic_block
        threads = FANOUT_THREADS if parallel else 1
    written = 0
    while True:
        broadcast = Broadcast.objects.get(pk=broadcast_id)
        if broadcast.status != BroadcastStatus.SENDING:
            return written
        if broadcast.cursor >= broadcast.cursor_end:
            now = timezone.now()
            Broadcast.objects.filter(pk=broadcast_id, status=BroadcastStatus.SENDING).update(
                status=BroadcastStatus.DONE, finished_at=now, updated_at=now)
            return written
        ranges = [(lower, min(lower + batch_size, broadcast.cursor_end))
                  for lower in range(broadcast.cursor, broadcast.cursor_end, batch_size)[:threads]]
        if len(ranges) == 1:
            counts = [_write_batch(broadcast_id, *ranges[0])]
        else:
            with ThreadPoolExecutor(len(ranges)) as pool:
                counts = list(pool.map(lambda bounds: _write_batch_in_thread(broadcast_id, *bounds), ranges))
        written += sum(count or 0 for count in counts)
        if None in counts:
            return written
        Broadcast.objects.filter(pk=broadcast_id, status=BroadcastStatus.SENDING, cursor=broadcast.cursor).update(
            cursor=ranges[-1][1], updated_at=timezone.now())


def _write_batch(broadcast_id: int, lower: int, upper: int) -> int | None:
    """The rows of people ``lower < id <= upper`` on every channel, in one transaction; None (nothing
    written) when the broadcast is no longer sending."""
    with transaction.atomic():
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute("SELECT 1 FROM messaging_broadcast WHERE id = %s FOR SHARE", [broadcast_id])
        broadcast = Broadcast.objects.select_related("template").get(pk=broadcast_id)
        if broadcast.status != BroadcastStatus.SENDING:
            return None
        return sum(_insert_batch(broadcast, channel, lower, upper) for channel in broadcast.channels)


def _write_batch_in_thread(broadcast_id: int, lower: int, upper: int) -> int | None:
    try:
        return _write_batch(broadcast_id, lower, upper)
    finally:
        connection.close()  # this thread's own connection


def _texts(broadcast: Broadcast) -> dict[str, tuple[str, str]]:
    """(body, subject) per language, with the per-person variables left as ``{name}`` for the database."""
    context = {**{name: "{" + name + "}" for name in PERSON_VARIABLES}, **broadcast.context}
    texts = {}
    for language in Language.values:
        rendered = template_render(template=broadcast.template, language=language, context=context)
        texts[language] = (rendered.body, rendered.subject)
    return texts


def _per_person(text: str):
    expression = Value(text, output_field=CharField())
    for name in PERSON_VARIABLES:
        if "{" + name + "}" in text:
            expression = Replace(expression, Value("{" + name + "}"), F(name))
    return expression


def _insert_batch(broadcast: Broadcast, channel: str, lower: int, upper: int) -> int:
    """One ``INSERT … SELECT`` of the recipients with ``lower < id <= upper`` on ``channel``.

    Conflicts on the idempotency key are skipped with ``ON CONFLICT (idempotency_key) DO NOTHING`` on both
    databases (SQLite's ``INSERT OR IGNORE`` would also swallow a NOT NULL or CHECK violation).
    """
    texts = _texts(broadcast)
    now = timezone.now()
    english = Q(contact_preference__language=Language.ENGLISH)
    given = {
        "channel": Value(channel),
        "kind": Value(MessageKind.BULK),
        "person": F("id"),
        "to_address": F("mobile"),
        "template": Value(broadcast.template_id),
        "language": Coalesce(F("contact_preference__language"), Value(Language.HINDI), output_field=CharField()),
        "subject": Case(When(english, then=Value(texts["en"][1])), default=Value(texts["hi"][1]),
                        output_field=CharField()),
        "body": Case(When(english, then=_per_person(texts["en"][0])), default=_per_person(texts["hi"][0]),
                     output_field=CharField()),
        "status": Value(MessageStatus.QUEUED),
        "idempotency_key": Concat(Value(f"broadcast:{broadcast.pk}:"), Cast("id", CharField()),
                                  Value(f":{channel}"), output_field=CharField()),
        "send_at": Value(broadcast.send_at or now),
        "unit_path": F("unit_path"),
        "broadcast": Value(broadcast.pk),
        "created_at": Value(now),
        "updated_at": Value(now),
    }
    # Every other column gets its model default, so a column added to Message later needs no change here.
    fields = [field for field in Message._meta.concrete_fields if not field.primary_key]
    columns = {
        f"m_{field.column}": given.get(field.name) or Value(field.get_default(), output_field=field)
        for field in fields
    }
    recipients = (
        audience_people(broadcast.unit_path, broadcast.filters)
        .filter(id__gt=lower, id__lte=upper)
        .exclude(mobile="")
        .exclude(_opted_out(channel))
        .order_by()
        .annotate(**columns)
        .values_list(*columns)
    )
    select_sql, params = recipients.query.sql_with_params()
    table = connection.ops.quote_name(Message._meta.db_table)
    names = ", ".join(connection.ops.quote_name(field.column) for field in fields)
    # The SELECT always has a WHERE clause, which SQLite needs to parse the ON CONFLICT of an INSERT … SELECT.
    sql = f"INSERT INTO {table} ({names}) {select_sql} ON CONFLICT (idempotency_key) DO NOTHING"
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return max(cursor.rowcount, 0)


@transaction.atomic
def broadcast_pause(*, actor, scope: Scope, broadcast_id: int) -> Broadcast:
    """Stop the fan-out after the batch in flight and hold the queued messages until resumed."""
    broadcast = broadcast_get_for_actor(broadcast_id, scope, for_write=True)
    if broadcast.status not in (BroadcastStatus.SENDING, BroadcastStatus.SCHEDULED, BroadcastStatus.DONE):
        raise DomainError(_("Only a broadcast being sent can be paused."), code="invalid_status", field="status")
    # The worker skips queued messages of a paused broadcast (messaging.outbox): nothing else to change.
    broadcast.status = BroadcastStatus.PAUSED
    broadcast.save(update_fields=["status", "updated_at"])
    return broadcast


@transaction.atomic
def broadcast_resume(*, actor, scope: Scope, broadcast_id: int) -> Broadcast:
    """Release the held messages and continue the fan-out from where it stopped."""
    from sangathan.messaging.broadcast_tasks import broadcast_fanout_task

    broadcast = broadcast_get_for_actor(broadcast_id, scope, for_write=True)
    if broadcast.status != BroadcastStatus.PAUSED:
        raise DomainError(_("Only a paused broadcast can be resumed."), code="invalid_status", field="status")
    if broadcast.started_at is None:
        _start(broadcast, timezone.now())
    broadcast.status = BroadcastStatus.SENDING
    broadcast.save()
    transaction.on_commit(lambda: broadcast_fanout_task(broadcast.pk))
    return broadcast


@transaction.atomic
def broadcast_cancel(*, actor, scope: Scope, broadcast_id: int) -> Broadcast:
    """Stop the fan-out and cancel every message not yet handed to a provider."""
    broadcast = broadcast_get_for_actor(broadcast_id, scope, for_write=True)
    if broadcast.status == BroadcastStatus.CANCELLED:
        raise DomainError(_("This broadcast is already cancelled."), code="invalid_status", field="status")
    broadcast.status = BroadcastStatus.CANCELLED
    broadcast.finished_at = timezone.now()
    broadcast.save(update_fields=["status", "finished_at", "updated_at"])
    # From here the worker skips its messages; marking them cancelled is bookkeeping, done in batches: the
    # first in this request (all of a small broadcast), the rest by a task, so a request never rewrites 1M rows.
    if broadcast_messages_cancel(broadcast_id=broadcast.pk):
        from sangathan.messaging.broadcast_tasks import broadcast_cancel_task

        transaction.on_commit(lambda: broadcast_cancel_task(broadcast.pk))
    return broadcast


CANCEL_BATCH = 10_000


def broadcast_messages_cancel(*, broadcast_id: int, batches: int = 1) -> bool:
    """Mark up to ``batches`` × CANCEL_BATCH unsent messages of a cancelled broadcast as cancelled;
    True while some remain."""
    unsent = Message.objects.filter(broadcast_id=broadcast_id, status__in=(MessageStatus.QUEUED, MessageStatus.HELD))
    for _batch in range(batches):
        ids = list(unsent.values_list("id", flat=True)[:CANCEL_BATCH])
        if not ids:
            return False
        Message.objects.filter(id__in=ids, status__in=(MessageStatus.QUEUED, MessageStatus.HELD)).update(
            status=MessageStatus.CANCELLED, updated_at=timezone.now())
    return unsent.exists()
