"""Creating a fan-out of an event's messages: the request writes one ``Dispatch`` row, the worker walks
the invitees in chunks after commit (``events.dispatch``, ``events.tasks``)."""

from sangathan.events.models import Dispatch
from sangathan.events.tasks import dispatch_queue


def dispatch_create(*, scope, event, purpose: str, **context) -> Dispatch:
    """A fan-out of ``purpose`` to the event's invitees, queued to run once this transaction commits.
    Invitations reach whom ``scope``'s actor reads (the task rebuilds their scope)."""
    dispatch = Dispatch.objects.create(event=event, purpose=purpose, context=context, created_by=scope.actor)
    dispatch_queue(dispatch.pk)
    return dispatch
