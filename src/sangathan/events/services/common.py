"""Pieces every events action shares: the history row; the message words live in ``events.texts``."""

from sangathan.events.models import EventHistory
from sangathan.events.texts import TEMPLATES, tracked_link, when_text, where_text

__all__ = ["TEMPLATES", "history", "tracked_link", "when_text", "where_text"]


def history(*, scope, event, action: str, **detail) -> EventHistory:
    return EventHistory.objects.create(event=event, action=action, actor=scope.actor,
                                       channel=scope.context.channel, detail=detail)
