"""Pages of broadcasts and sent messages. Thin: services write, selectors read, both take the scope."""

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied as Forbidden
from django.http import Http404, JsonResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from sangathan.core.errors import DomainError, NotFound, PermissionDenied
from sangathan.core.pagination import TwoStepPaginator
from sangathan.messaging.broadcast_forms import BroadcastForm, broadcast_templates
from sangathan.messaging.broadcasts.actions import (
    BroadcastCancel,
    BroadcastPause,
    BroadcastResume,
    BroadcastSend,
    broadcast_create,
)
from sangathan.messaging.broadcasts.fanout import broadcast_texts
from sangathan.messaging.broadcasts.policies import broadcast_may_change, may_broadcast, templates_may_view
from sangathan.messaging.broadcasts.selectors import (
    broadcast_counts,
    broadcast_filter_labels,
    broadcast_get_for_actor,
    broadcast_held_count,
    broadcast_preview,
    broadcast_progress,
    broadcasts_visible,
    messages_visible,
)
from sangathan.messaging.holds import broadcast_holds
from sangathan.messaging.models import BroadcastStatus, Channel, Language, MessageStatus
from sangathan.messaging.services import template_may_edit

# The same action classes as the API's (``api_broadcasts``), so the two cannot disagree.
ACTIONS = {"send": BroadcastSend, "pause": BroadcastPause, "resume": BroadcastResume, "cancel": BroadcastCancel}
BROADCASTS_PER_PAGE = 20


def _broadcast_or_404(broadcast_id, scope):
    try:
        return broadcast_get_for_actor(broadcast_id, scope)
    except NotFound:
        raise Http404 from None


@login_required
def broadcast_list(request):
    """Broadcasts whose audience the reader can see: who sent what to how many, when."""
    scope = request.scope
    page = TwoStepPaginator(broadcasts_visible(scope), BROADCASTS_PER_PAGE).get_page(request.GET.get("page"))
    counts = broadcast_counts([b.pk for b in page.object_list])
    rows = [(b, broadcast_progress(b, counts[b.pk])) for b in page.object_list]
    return render(request, "messaging/broadcast_list.html",
                  {"page": page, "rows": rows, "may_broadcast": may_broadcast(scope),
                   "may_see_templates": templates_may_view(scope)})


@login_required
def broadcast_compose(request):
    """Choose a template (step 1), then the audience, channels, values and time (step 2)."""
    scope = request.scope
    if not may_broadcast(scope):
        raise Forbidden
    templates = broadcast_templates()
    code = request.POST.get("template") or request.GET.get("template")
    template = next((t for t in templates if t.code == code), None)
    if template is None:
        return render(request, "messaging/broadcast_compose.html",
                      {"templates": templates, "may_edit_templates": template_may_edit(scope)})
    form = BroadcastForm(request.POST or None, scope=scope, template=template,
                         initial={"channels": [c for c, _ in Channel.choices if c in (template.channels or [])][:1]})
    if request.method == "POST" and form.is_valid():
        try:
            broadcast = broadcast_create(scope=scope, unit_id=form.cleaned_data["unit"], template=template,
                                         **form.service_arguments())
        except DomainError as error:
            _form_error(form, error)
        else:
            return redirect("messaging:broadcast", broadcast_id=broadcast.pk)
    return render(request, "messaging/broadcast_compose.html",
                  {"templates": templates, "template": template, "form": form})


def _form_error(form, error: DomainError) -> None:
    field = (error.field or "").split(".")[-1]
    if field == "context":
        field = None
    form.add_error(field if field in form.fields else None, error.message)


@login_required
def broadcast_detail(request, broadcast_id: int, error: str = ""):
    """A draft's confirmation (recipients per channel, the text as they will read it, what will hold it) with
    the send button; afterwards, its progress and what holds its messages."""
    scope = request.scope
    broadcast = _broadcast_or_404(broadcast_id, scope)
    now = timezone.now()
    context = {
        "broadcast": broadcast,
        "may_change": broadcast_may_change(scope, broadcast),
        "error": error,
        "statuses": BroadcastStatus,
        "filter_labels": broadcast_filter_labels(broadcast.filters),
    }
    if broadcast.status == BroadcastStatus.DRAFT:
        context["preview"] = broadcast_preview(broadcast)
        context["channel_labels"] = dict(Channel.choices)
        context["texts"] = [(Language(language).label, body)
                            for language, body in broadcast_texts(broadcast, {"name": _("[worker's name]")})]
    else:
        context["progress"] = broadcast_progress(broadcast)
        context["status_label"] = context["progress"]["status_label"]
        context["held"] = broadcast_held_count(broadcast, now) if context["progress"]["counts"]["queued"] else 0
    queued = context["progress"]["counts"]["queued"] if "progress" in context else 0
    if broadcast.status != BroadcastStatus.CANCELLED and (broadcast.status != BroadcastStatus.DONE or queued):
        context["holds"] = broadcast_holds(unit_path=broadcast.unit_path, channels=broadcast.channels,
                                           at=max(now, broadcast.send_at or now))
    return render(request, "messaging/broadcast_detail.html", context, status=400 if error else 200)


@login_required
@require_POST
def broadcast_action(request, broadcast_id: int, action: str):
    action_class = ACTIONS.get(action)
    if action_class is None:
        raise Http404
    try:
        action_class.run(scope=request.scope, broadcast_id=broadcast_id)
    except NotFound:
        raise Http404 from None
    except PermissionDenied:
        raise Forbidden from None
    except DomainError as error:
        return broadcast_detail(request, broadcast_id, error=error.message)
    return redirect("messaging:broadcast", broadcast_id=broadcast_id)


@never_cache
@login_required
def broadcast_progress_json(request, broadcast_id: int):
    """The live counts the progress page polls every two seconds."""
    broadcast = _broadcast_or_404(broadcast_id, request.scope)
    return JsonResponse(broadcast_progress(broadcast))


@login_required
def message_list(request):
    """What was sent to people inside the reader's scope (the console provider's outbox included)."""
    scope = request.scope
    status = request.GET.get("status", "")
    channel = request.GET.get("channel", "")
    broadcast_id = request.GET.get("broadcast", "")
    status = status if status in MessageStatus.values else ""
    channel = channel if channel in Channel.values else ""
    broadcast_id = int(broadcast_id) if broadcast_id.isdigit() and len(broadcast_id) < 19 else None
    messages = messages_visible(scope, status=status, channel=channel, broadcast_id=broadcast_id)
    page = TwoStepPaginator(messages, settings.SANGATHAN_PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "messaging/message_list.html", {
        "page": page, "status": status, "channel": channel, "broadcast_id": broadcast_id,
        "statuses": MessageStatus.choices, "channels": Channel.choices,
    })
