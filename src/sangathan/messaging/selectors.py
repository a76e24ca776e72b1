"""Reads of the messaging app, limited to the caller's scope."""

from sangathan.access.models import AuditLog, audit_action_label
from sangathan.access.scope import Scope
from sangathan.messaging.models import Message, OptOut, Template

TEMPLATE_HISTORY_ROWS = 20


def message_list(*, scope: Scope):
    """Messages to people inside the scope (by the recipient's unit path), newest first."""
    return scope.filter(Message.objects.all(), "unit_path").order_by("-id")


def opt_out_list(*, scope: Scope, active: bool = True):
    """Opt-outs of people inside the scope, for the export; ``active=False`` includes reversed ones."""
    queryset = scope.filter(OptOut.objects.select_related("person"), "person__unit_path")
    if active:
        queryset = queryset.filter(revoked_at__isnull=True)
    return queryset.order_by("-created_at", "-id")


def templates_all():
    """Every message template, by name: the installation's vocabulary, the same for every office (the pages
    ask ``templates_may_view`` first)."""
    return Template.objects.order_by("-is_active", "name", "code")


def template_get(template_id) -> Template | None:
    try:
        return Template.objects.filter(pk=int(template_id)).first()
    except (TypeError, ValueError, OverflowError):
        return None


def template_history(template: Template):
    """The template's audit rows (created, changed, tested), newest first, each with its label."""
    rows = (AuditLog.objects.filter(target_type="template", target_id=template.pk)
            .select_related("actor").order_by("-at", "-id")[:TEMPLATE_HISTORY_ROWS])
    return [(row, audit_action_label(row.action)) for row in rows]
