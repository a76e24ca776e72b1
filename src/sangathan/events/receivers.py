"""Reactions of the events app to other apps' signals (connected in ``EventsConfig.ready``)."""

from django.dispatch import receiver

from sangathan.messaging.signals import message_delivered

INVITE_PREFIX = "events:invite:"


@receiver(message_delivered, dispatch_uid="events.invitation_received")
def invitation_received(sender, *, message_id: int, idempotency_key: str, at, **kwargs) -> int:
    """An invitation's message was delivered: the invitation is "received" (the live address's funnel reads
    it there, not in the outbox). The first delivery counts; other messages cost no query."""
    if not idempotency_key.startswith(INVITE_PREFIX):
        return 0
    from sangathan.events.models import Invitation

    return Invitation.objects.filter(message_id=message_id, received_at__isnull=True).update(received_at=at)
