"""The tracked link of an invitation: opening it is the funnel's "opened" step. The link's signed token
is its own permission (``codes.open_token``); the view passes ``Scope.system(channel="web")``."""

from __future__ import annotations

from dataclasses import dataclass

from sangathan.core import clock
from sangathan.core.actions import Action
from sangathan.events.models import Invitation


@dataclass(kw_only=True)
class InvitationOpen(Action):
    """Record the first opening (later ones change nothing); returns the invitation."""

    invitation: Invitation

    name = "event.open"

    def perform(self) -> Invitation:
        if self.invitation.opened_at is None:
            self.invitation.opened_at = clock.now()
            Invitation.objects.filter(pk=self.invitation.pk, opened_at__isnull=True).update(
                opened_at=self.invitation.opened_at)
        return self.invitation

    def log(self, invitation: Invitation) -> None:
        """The opening is the record itself (``opened_at``): one per worker, no further row."""


invitation_open = InvitationOpen.run
