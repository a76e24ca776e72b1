"""Reactions to other apps' signals."""

from django.dispatch import receiver

from sangathan.messaging.signals import inbound_reply


@receiver(inbound_reply, dispatch_uid="grievances.confirmation_reply")
def confirmation_reply(sender, channel, from_address, body, person=None, **kwargs):
    """A complainant's "1"/"2" (हाँ/नहीं, yes/no) reply to a resolution message."""
    from sangathan.access.scope import Scope
    from sangathan.grievances.services import grievance_reply_received

    # The complainant answers by their own number: the system records it (no staff member acts).
    grievance_reply_received(scope=Scope.system(channel="task"), channel=channel, from_address=from_address,
                             body=body)
