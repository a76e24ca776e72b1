"""Reads of the messaging app, limited to the caller's scope."""

from sangathan.access.scope import Scope
from sangathan.messaging.models import Message, OptOut


def message_list(*, scope: Scope):
    """Messages to people inside the scope (by the recipient's unit path), newest first."""
    return scope.filter(Message.objects.all(), "unit_path").order_by("-id")


def opt_out_list(*, scope: Scope, active: bool = True):
    """Opt-outs of people inside the scope, for the export; ``active=False`` includes reversed ones."""
    queryset = scope.filter(OptOut.objects.select_related("person"), "person__unit_path")
    if active:
        queryset = queryset.filter(revoked_at__isnull=True)
    return queryset.order_by("-created_at", "-id")
