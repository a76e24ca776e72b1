"""Reads of broadcasts, limited to the actor's Scope: lists, the permission-checked fetch, counts and
progress, the sent messages, and the audience with its preview."""

from django.db import connection
from django.db.models import Count, Exists, Max, Min, OuterRef, Q, QuerySet
from django.utils.translation import gettext as _

from sangathan.access.scope import Scope
from sangathan.core.errors import NotFound
from sangathan.core.tree import SEGMENT, subtree_q
from sangathan.messaging.broadcasts.policies import broadcast_require_change
from sangathan.messaging.models import Broadcast, BroadcastStatus, Message, MessageStatus, OptOut
from sangathan.org.models import Level, Position, Post, Wing
from sangathan.people.enums import PersonStatus
from sangathan.people.models import Person

FINISHED = (MessageStatus.SENT, MessageStatus.DELIVERED, MessageStatus.FAILED, MessageStatus.EXPIRED,
            MessageStatus.CANCELLED)


def broadcasts_visible(scope: Scope) -> QuerySet:
    """Broadcasts whose audience lies inside the actor's read scope, newest first."""
    return scope.filter(Broadcast.objects.all(), "unit_path").select_related(
        "created_by", "sender_unit", "unit", "template"
    )


def broadcast_get_for_actor(broadcast_id, scope: Scope, *, for_write: bool = False) -> Broadcast:
    """The broadcast if its audience is visible (NotFound otherwise, as for a missing id); with
    ``for_write``, PermissionDenied unless the actor may change it (``policies``), and the row locked when
    inside a transaction (an action's ``execute``)."""
    rows = Broadcast.objects.select_related("created_by", "sender_unit", "unit", "template")
    if for_write and connection.in_atomic_block:
        rows = rows.select_for_update(of=("self",))
    try:
        broadcast = rows.get(pk=int(broadcast_id))
    except (Broadcast.DoesNotExist, TypeError, ValueError, OverflowError):
        raise NotFound(_("No such broadcast.")) from None
    if not scope.can_read_path(broadcast.unit_path):
        raise NotFound(_("No such broadcast."))
    if for_write:
        broadcast_require_change(scope, broadcast)
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
        "status_label": broadcast_status_label(broadcast, counts),
        "counts": {**counts, "opted_out": audience_opted_out(broadcast.audience), "total": total},
        "fanout_percent": _percent(broadcast.cursor, broadcast.cursor_end) if not fanned_out else 100,
        "percent": _percent(finished, total) if total else (100 if fanned_out else 0),
    }


def broadcast_status_label(broadcast: Broadcast, counts: dict[str, int]) -> str:
    """The status in words. "Done" only once no message is left queued or sending: a broadcast whose fan-out
    is over while messages still wait (quiet hours, the election silence, the rate limit) reads "Sending"."""
    if broadcast.status == BroadcastStatus.DONE and (counts.get(MessageStatus.QUEUED) or counts.get(MessageStatus.SENDING)):
        return str(BroadcastStatus.SENDING.label)
    return str(broadcast.get_status_display())


def broadcast_held_count(broadcast: Broadcast, now) -> int:
    """Messages of the broadcast the worker has put off to later (quiet hours, the election silence)."""
    return Message.objects.filter(broadcast=broadcast, status=MessageStatus.QUEUED, next_attempt_at__gt=now).count()


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


def audience_id_range(unit_path: str) -> tuple[int, int]:
    """(lowest id − 1, highest id) of the people under ``unit_path``: the fan-out walks this range in
    batches of ids. A district's people are a few percent of a state's, but they came mostly together (its
    register imported at once), so their ids cluster: over the district's own range each batch holds
    recipients, where the whole table's range gave ~30 batches of others for each batch of them. The
    ``OFFSET 0`` keeps PostgreSQL from looking for the minimum by walking the primary key from the
    state's first person (it expects a district's people anywhere)."""
    people = Person.objects.order_by()
    if len(unit_path) > SEGMENT:
        sql, params = people.filter(subtree_q("unit_path", unit_path)).values("id").query.sql_with_params()
        with connection.cursor() as cursor:
            cursor.execute(f"SELECT min(id), max(id) FROM ({sql} LIMIT -1 OFFSET 0) AS subtree"  # noqa: S608
                           if connection.vendor == "sqlite" else
                           f"SELECT min(id), max(id) FROM ({sql} OFFSET 0) AS subtree", params)  # noqa: S608
            low, high = cursor.fetchone()
    else:
        bounds = people.aggregate(low=Min("id"), high=Max("id"))
        low, high = bounds["low"], bounds["high"]
    return (low or 1) - 1, high or 0


def opted_out(channel: str) -> Exists:
    """Whether the person of the outer query opted out of ``channel`` (for annotating or excluding)."""
    return Exists(OptOut.objects.filter(person=OuterRef("pk"), channel=channel, revoked_at__isnull=True))


def broadcast_preview(broadcast: Broadcast) -> dict:
    """Recipients per channel before sending, in one grouped query: the audience, those without a mobile,
    and per channel those who opted out and those who will get a message."""
    people = audience_people(broadcast.unit_path, broadcast.filters).order_by()
    aggregates = {"people": Count("id"), "no_mobile": Count("id", filter=Q(mobile=""))}
    for channel in broadcast.channels:
        people = people.annotate(**{f"out_{channel}": opted_out(channel)})
        aggregates[f"opted_out_{channel}"] = Count("id", filter=Q(**{f"out_{channel}": True}) & ~Q(mobile=""))
    totals = people.aggregate(**aggregates)
    channels = {}
    for channel in broadcast.channels:
        opted = totals[f"opted_out_{channel}"]
        channels[channel] = {"opted_out": opted, "recipients": totals["people"] - totals["no_mobile"] - opted}
    return {"people": totals["people"], "no_mobile": totals["no_mobile"], "channels": channels}
