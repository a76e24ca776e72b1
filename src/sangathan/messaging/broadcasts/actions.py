"""The writes of broadcasts as actions (``core.actions.Action``): check → perform → log, one transaction.

Create, send, pause, resume and cancel each leave an audit row (``broadcast.create``, ``broadcast.send``,
``broadcast.pause``, ``broadcast.resume``, ``broadcast.cancel``) with the channel the scope carries, so web,
API, commands and tasks run the same code and leave the same trail. Who may do what is
``broadcasts.policies``; the fetch (``broadcast_get_for_actor``) answers NotFound outside the read scope
and PermissionDenied to a reader who may not change the broadcast.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import ClassVar

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from sangathan.access.models import AuditLog
from sangathan.access.scope import Scope
from sangathan.access.services import audit_log
from sangathan.core.actions import Action
from sangathan.core.errors import DomainError, NotFound, PermissionDenied
from sangathan.messaging.broadcast_tasks import broadcast_cancel_task, broadcast_fanout_task
from sangathan.messaging.broadcasts.fanout import PERSON_VARIABLES, broadcast_messages_cancel
from sangathan.messaging.broadcasts.policies import may_broadcast, sender_unit_for
from sangathan.messaging.broadcasts.selectors import (
    audience_id_range,
    broadcast_get_for_actor,
    broadcast_preview,
)
from sangathan.messaging.models import Broadcast, BroadcastStatus, Language, Template
from sangathan.messaging.services.templates import MOBILE_CHANNELS, template_render
from sangathan.org.models import Level, Post, Wing
from sangathan.org.selectors import unit_get_for_actor
from sangathan.people.enums import PersonStatus

BROADCAST_CHANNELS = tuple(MOBILE_CHANNELS)
FILTER_KEYS = ("posts", "levels", "wings", "statuses")


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


def _start(broadcast: Broadcast, now) -> None:
    """Set the fan-out's range: the ids of the people under the unit now (the audience is filtered per
    batch)."""
    broadcast.started_at = now
    broadcast.cursor, broadcast.cursor_end = audience_id_range(broadcast.unit_path)


@dataclass(kw_only=True)
class BroadcastCreate(Action):
    """A draft broadcast to the subtree of unit ``unit_id`` from the actor's office above it. Nothing is
    queued yet.

    Raises PermissionDenied (the actor has no office to send from, or none at or above the unit), NotFound
    (unit outside the scope) or DomainError (bad channel, filter, or a variable the context leaves empty).
    The first refusal comes before the unit is looked up, so the web page and the API answer alike.
    """

    unit_id: int
    template: Template
    channels: list[str]
    filters: dict | None = None
    context: dict | None = None
    send_at: datetime | None = None

    name: ClassVar[str] = "broadcast.create"

    def check(self) -> None:
        if not may_broadcast(self.scope):
            raise PermissionDenied(_("Only a state or district office may send a broadcast."), field="unit")
        try:
            self.unit = unit_get_for_actor(self.unit_id, self.scope)
        except NotFound:
            raise NotFound(_("No such unit."), field="unit") from None
        self.sender = sender_unit_for(self.unit, self.scope)
        if not self.template.is_active:
            raise DomainError(_("This template is not in use."), field="template")
        channels = sorted(set(self.channels or []))
        if not channels:
            raise DomainError(_("Choose at least one channel."), code="required", field="channels")
        bad = [c for c in channels if c not in BROADCAST_CHANNELS or c not in (self.template.channels or [])]
        if bad:
            raise DomainError(_("This template cannot go out on: %(names)s.") % {"names": ", ".join(bad)},
                              field="channels")
        if self.send_at is not None and self.send_at < timezone.now() - timezone.timedelta(minutes=5):
            raise DomainError(_("The time to send is in the past."), field="send_at")
        self.cleaned = {"channels": channels, "context": _clean_context(self.context),
                        "filters": _clean_filters(self.filters)}
        _check_renders(self.template, self.cleaned["context"])

    def perform(self) -> Broadcast:
        return Broadcast.objects.create(
            created_by=self.actor, sender_unit=self.sender, unit=self.unit, unit_path=self.unit.path,
            template=self.template, send_at=self.send_at, **self.cleaned,
        )

    def log(self, broadcast: Broadcast) -> None:
        audit_log(scope=self.scope, action=self.name, target=broadcast,
                  detail={"template": broadcast.template.code, "channels": broadcast.channels,
                          "filters": broadcast.filters, "sender_unit": broadcast.sender_unit_id})


@dataclass(kw_only=True)
class BroadcastChange(Action):
    """An action on one broadcast the actor may change; ``allowed`` are the statuses it starts from."""

    broadcast_id: int

    allowed: ClassVar[tuple[str, ...]] = ()
    refusal: ClassVar = ""

    def check(self) -> None:
        self.broadcast = broadcast_get_for_actor(self.broadcast_id, self.scope, for_write=True)
        if self.broadcast.status not in self.allowed:
            raise DomainError(str(self.refusal), code="invalid_status", field="status")
        self.previous = self.broadcast.status

    def log(self, broadcast: Broadcast) -> None:
        audit_log(scope=self.scope, action=self.name, target=broadcast,
                  detail={"from": self.previous, "to": broadcast.status})


@dataclass(kw_only=True)
class BroadcastSend(BroadcastChange):
    """Start sending a draft: now (the fan-out task is queued after commit) or, with a future ``send_at``,
    when ``broadcasts_start_due`` finds it due. Records the audience preview in the broadcast and the
    audit row."""

    name: ClassVar[str] = AuditLog.Action.BROADCAST_SEND
    allowed = (BroadcastStatus.DRAFT,)
    refusal = gettext_lazy("This broadcast has already been sent.")

    def check(self) -> None:
        super().check()
        _check_renders(self.broadcast.template, self.broadcast.context)

    def perform(self) -> Broadcast:
        broadcast = self.broadcast
        broadcast.audience = broadcast_preview(broadcast)
        now = timezone.now()
        later = broadcast.send_at is not None and broadcast.send_at > now
        broadcast.status = BroadcastStatus.SCHEDULED if later else BroadcastStatus.SENDING
        if not later:
            _start(broadcast, now)
            transaction.on_commit(lambda: broadcast_fanout_task(broadcast.pk))
        broadcast.save()
        return broadcast

    def log(self, broadcast: Broadcast) -> None:
        audit_log(scope=self.scope, action=self.name, target=broadcast,
                  detail={"template": broadcast.template.code, "channels": broadcast.channels,
                          "filters": broadcast.filters, "audience": broadcast.audience,
                          "send_at": broadcast.send_at.isoformat() if broadcast.send_at else None})


@dataclass(kw_only=True)
class BroadcastPause(BroadcastChange):
    """Stop the fan-out after the batch in flight; its queued messages wait until resumed (the outbox
    worker skips the messages of a paused broadcast, so this changes one row)."""

    name: ClassVar[str] = "broadcast.pause"
    allowed = (BroadcastStatus.SENDING, BroadcastStatus.SCHEDULED, BroadcastStatus.DONE)
    refusal = gettext_lazy("Only a broadcast being sent can be paused.")

    def perform(self) -> Broadcast:
        self.broadcast.status = BroadcastStatus.PAUSED
        self.broadcast.save(update_fields=["status", "updated_at"])
        return self.broadcast


@dataclass(kw_only=True)
class BroadcastResume(BroadcastChange):
    """Let the waiting messages go and continue the fan-out from where it stopped (after commit)."""

    name: ClassVar[str] = "broadcast.resume"
    allowed = (BroadcastStatus.PAUSED,)
    refusal = gettext_lazy("Only a paused broadcast can be resumed.")

    def perform(self) -> Broadcast:
        broadcast = self.broadcast
        if broadcast.started_at is None:
            _start(broadcast, timezone.now())
        broadcast.status = BroadcastStatus.SENDING
        broadcast.save()
        transaction.on_commit(lambda: broadcast_fanout_task(broadcast.pk))
        return broadcast


@dataclass(kw_only=True)
class BroadcastCancel(BroadcastChange):
    """Stop the fan-out and cancel every message not yet handed to a provider."""

    name: ClassVar[str] = "broadcast.cancel"
    allowed = (BroadcastStatus.DRAFT, BroadcastStatus.SCHEDULED, BroadcastStatus.SENDING, BroadcastStatus.PAUSED,
               BroadcastStatus.DONE)
    refusal = gettext_lazy("This broadcast is already cancelled.")

    def perform(self) -> Broadcast:
        broadcast = self.broadcast
        broadcast.status = BroadcastStatus.CANCELLED
        broadcast.finished_at = timezone.now()
        broadcast.save(update_fields=["status", "finished_at", "updated_at"])
        # From here the worker skips its messages; marking them cancelled is bookkeeping, done in batches: the
        # first in this request (all of a small broadcast), the rest by a task, so a request never rewrites 1M rows.
        if broadcast_messages_cancel(broadcast_id=broadcast.pk):
            transaction.on_commit(lambda: broadcast_cancel_task(broadcast.pk))
        return broadcast


broadcast_create = BroadcastCreate.run
broadcast_send = BroadcastSend.run
broadcast_pause = BroadcastPause.run
broadcast_resume = BroadcastResume.run
broadcast_cancel = BroadcastCancel.run


def broadcasts_start_due(*, scope: Scope, now=None) -> list[int]:
    """Start the scheduled broadcasts whose time has come, each in its own transaction with a
    ``broadcast.start`` audit row, the fan-out queued after commit; returns their ids. The periodic job
    runs it as ``Scope.system(channel="task")``."""
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
            broadcast.save(update_fields=["status", "started_at", "cursor", "cursor_end", "updated_at"])
            audit_log(scope=scope, action="broadcast.start", target=broadcast,
                      detail={"from": BroadcastStatus.SCHEDULED, "to": BroadcastStatus.SENDING})
            transaction.on_commit(lambda pk=broadcast_id: broadcast_fanout_task(pk))
        started.append(broadcast_id)
    return started
