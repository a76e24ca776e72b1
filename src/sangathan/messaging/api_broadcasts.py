"""API of broadcasts (``/api/v1/broadcasts``): scoped list, create, read with counts, and the actions.

Listing and reading need the broadcast's audience inside the caller's read scope (404 otherwise); the
actions need the sending office inside the write scope (403). Errors carry the field at fault.
"""

from datetime import datetime

from django.utils.translation import gettext as _
from ninja import Field, Router, Schema, Status
from ninja.pagination import paginate

from sangathan.core.errors import DomainError
from sangathan.core.pagination import PagePagination
from sangathan.core.schemas import Body, Error, ObjectId, Text
from sangathan.messaging.broadcasts.actions import (
    BroadcastCancel,
    BroadcastPause,
    BroadcastResume,
    BroadcastSend,
    broadcast_create,
)
from sangathan.messaging.broadcasts.selectors import (
    broadcast_counts,
    broadcast_get_for_actor,
    broadcast_preview,
    broadcast_progress,
    broadcasts_visible,
)
from sangathan.messaging.models import Template
from sangathan.org.schemas import UnitRef

router = Router(tags=["broadcasts"])


class FiltersIn(Body):
    posts: list[Text] = Field([], max_length=50, description="Post codes, e.g. president.")
    levels: list[Text] = Field([], max_length=20, description="Levels of the units the posts are held at.")
    wings: list[Text] = Field([], max_length=50, description="Wing codes.")
    statuses: list[Text] = Field([], max_length=10, description="Person statuses; default active only.")


class BroadcastIn(Body):
    unit: ObjectId = Field(..., description="The audience: this unit's subtree.")
    template: Text = Field(..., max_length=60, description="Template code.")
    channels: list[Text] = Field(..., min_length=1, max_length=4)
    filters: FiltersIn = Field(default_factory=FiltersIn)
    context: dict[str, Text] = Field({}, description="Values of the template's variables except {name}.")
    send_at: datetime | None = None


class BroadcastCountsOut(Schema):
    queued: int
    sending: int
    sent: int
    delivered: int
    failed: int
    expired: int
    cancelled: int
    opted_out: int
    total: int


class BroadcastOut(Schema):
    id: int
    status: str
    unit: UnitRef
    sender_unit: UnitRef
    created_by: str | None
    template: str
    channels: list[str]
    filters: dict
    context: dict
    send_at: datetime | None
    created_at: datetime
    started_at: datetime | None
    finished_at: datetime | None
    percent: int = Field(..., description="Share of the messages already handed to a provider or finished.")
    counts: BroadcastCountsOut


class ChannelPreviewOut(Schema):
    opted_out: int
    recipients: int


class PreviewOut(Schema):
    people: int
    no_mobile: int
    channels: dict[str, ChannelPreviewOut]


def _out(broadcast, counts=None) -> dict:
    progress = broadcast_progress(broadcast, counts)
    return {
        **{name: getattr(broadcast, name) for name in (
            "id", "status", "unit", "sender_unit", "channels", "filters", "context", "send_at", "created_at",
            "started_at", "finished_at")},
        "created_by": str(broadcast.created_by) if broadcast.created_by else None,
        "template": broadcast.template.code,
        "percent": progress["percent"],
        "counts": progress["counts"],
    }


class BroadcastPage(PagePagination):
    def paginate_queryset(self, queryset, pagination, **params):
        page = super().paginate_queryset(queryset, pagination, **params)
        counts = broadcast_counts([b.pk for b in page["items"]])
        page["items"] = [_out(b, counts[b.pk]) for b in page["items"]]
        return page


@router.get("", response={200: list[BroadcastOut]})
@paginate(BroadcastPage)
def broadcast_index(request):
    """Broadcasts whose audience lies inside the caller's scope, newest first, with their counts."""
    return broadcasts_visible(request.scope)


@router.post("", response={201: BroadcastOut, 400: Error, 403: Error, 404: Error})
def broadcast_add(request, payload: BroadcastIn):
    """A draft broadcast. Nothing is queued until ``/send``; a missing template variable is refused here."""
    template = Template.objects.filter(code=payload.template, is_active=True).first()
    if template is None:
        raise DomainError(_("No such template."), field="template")
    broadcast = broadcast_create(
        scope=request.scope, unit_id=payload.unit, template=template, channels=payload.channels,
        filters=payload.filters.dict(), context=payload.context, send_at=payload.send_at,
    )
    return Status(201, _out(broadcast))


@router.get("/{broadcast_id}", response={200: BroadcastOut, 404: Error})
def broadcast_read(request, broadcast_id: ObjectId):
    return _out(broadcast_get_for_actor(broadcast_id, request.scope))


@router.post("/{broadcast_id}/preview", response={200: PreviewOut, 404: Error})
def broadcast_preview_counts(request, broadcast_id: ObjectId):
    """Recipients per channel, opted-out people and people without a mobile, as they are now."""
    return broadcast_preview(broadcast_get_for_actor(broadcast_id, request.scope))


def _action(action, request, broadcast_id: int) -> dict:
    """Run ``action`` as the caller (the web page runs the same class), then read the broadcast back."""
    broadcast = action.run(scope=request.scope, broadcast_id=broadcast_id)
    return _out(broadcast_get_for_actor(broadcast.pk, request.scope))


@router.post("/{broadcast_id}/send", response={200: BroadcastOut, 400: Error, 403: Error, 404: Error})
def broadcast_send_now(request, broadcast_id: ObjectId):
    """Start the fan-out (or schedule it for ``send_at``)."""
    return _action(BroadcastSend, request, broadcast_id)


@router.post("/{broadcast_id}/pause", response={200: BroadcastOut, 400: Error, 403: Error, 404: Error})
def broadcast_pause_now(request, broadcast_id: ObjectId):
    return _action(BroadcastPause, request, broadcast_id)


@router.post("/{broadcast_id}/resume", response={200: BroadcastOut, 400: Error, 403: Error, 404: Error})
def broadcast_resume_now(request, broadcast_id: ObjectId):
    return _action(BroadcastResume, request, broadcast_id)


@router.post("/{broadcast_id}/cancel", response={200: BroadcastOut, 400: Error, 403: Error, 404: Error})
def broadcast_cancel_now(request, broadcast_id: ObjectId):
    return _action(BroadcastCancel, request, broadcast_id)
