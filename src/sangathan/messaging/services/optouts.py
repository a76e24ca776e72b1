"""Opt-outs: per person and channel (a STOP reply opts out of the channel it came on); reversing one keeps
the row as history (``revoked_at``) and writes an audit row naming who reversed it."""

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from sangathan.access.scope import Scope
from sangathan.access.services import audit_log
from sangathan.core.errors import DomainError
from sangathan.messaging.models import Channel, Message, MessageKind, MessageStatus, OptOut, OptOutSource


@transaction.atomic
def opt_out(*, scope: Scope, person, channel: str, source: str) -> OptOut:
    """Opt ``person`` out of ``channel`` (idempotent) and cancel their bulk messages still waiting on it.

    A STOP reply acts as the system; a user must be able to write at the person's unit.
    """
    scope.require(person.unit_path, write=True)
    if channel not in Channel.values:
        raise DomainError(_("Unknown channel."), field="channel")
    if source not in OptOutSource.values:
        raise DomainError(_("Unknown source."), field="source")
    existing = OptOut.objects.filter(person=person, channel=channel, revoked_at__isnull=True).first()
    if existing is not None:
        return existing
    try:
        with transaction.atomic():
            record = OptOut.objects.create(person=person, channel=channel, source=source)
    except IntegrityError:
        return OptOut.objects.get(person=person, channel=channel, revoked_at__isnull=True)
    Message.objects.filter(
        person=person, channel=channel, kind=MessageKind.BULK, status=MessageStatus.QUEUED,
    ).update(status=MessageStatus.CANCELLED, last_error="opted out", updated_at=timezone.now())
    return record


@transaction.atomic
def opt_in(*, scope: Scope, person, channel: str) -> bool:
    """Reverse the person's opt-out of ``channel``; the row stays as history and an ``optout.revoke`` audit
    row names who reversed it. False if there was none."""
    scope.require(person.unit_path, write=True)
    record = (OptOut.objects.select_for_update()
              .filter(person=person, channel=channel, revoked_at__isnull=True).first())
    if record is None:
        return False
    record.revoked_at = timezone.now()
    record.save(update_fields=["revoked_at"])
    audit_log(scope=scope, action="optout.revoke", target=record, unit_path=person.unit_path,
              detail={"person": person.pk, "channel": channel})
    return True


def opted_out_person_ids(channel: str):
    """Ids of people opted out of ``channel``, as a queryset usable as a subquery (``~Q(id__in=…)``)."""
    return OptOut.objects.filter(channel=channel, revoked_at__isnull=True).values("person_id")
