"""One template to many people at once: ``messages_send_templated_bulk``.

The same rules as ``message_send_templated`` (language and channel by the person's preference, the opt-out
rule of ``messaging.services``, the SMS length limit, idempotency keys) but with a fixed number of queries
for the whole list instead of some seven per person: the template once, the preferences, opt-outs and
already-written keys of every recipient in one query each, then the new rows in one multi-row INSERT that
skips a key another transaction wrote meanwhile (``ON CONFLICT DO NOTHING``). Used where a job queues one
transactional message per person by the thousand (outreach's morning call lists).
"""

from dataclasses import dataclass, field

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from sangathan.access.scope import Scope
from sangathan.core.errors import DomainError
from sangathan.messaging.models import (
    Channel,
    ContactPreference,
    Message,
    MessageKind,
    MessageStatus,
    OptOut,
    Template,
)
from sangathan.messaging.services.messages import BODY_MAX_LENGTH, _clean_address
from sangathan.messaging.services.templates import template_render


@dataclass(frozen=True)
class BulkItem:
    """One recipient of a bulk templated enqueue: the person, the template's variables, the message's key."""

    person: object
    context: dict
    idempotency_key: str


@dataclass
class BulkResult:
    queued: int = 0                                   # new rows written by this call
    existing: int = 0                                 # keys already in the outbox: nothing written
    skipped: list[int] = field(default_factory=list)  # person ids the opt-out rule left without a channel

    @property
    def messages(self) -> int:
        """Recipients who have a message in the outbox after the call (new or earlier)."""
        return self.queued + self.existing


@transaction.atomic
def messages_send_templated_bulk(*, scope: Scope, template_code: str, items: list[BulkItem],
                                 channel: str | None = None, kind: str | None = None, urgent: bool = False,
                                 send_at=None, expires_at=None) -> BulkResult:
    """Render ``template_code`` for every item's person in their language and queue it on their channel,
    exactly as ``message_send_templated`` would one by one (``scope``: who causes the messages, as there).

    A missing variable or an SMS too long raises DomainError before anything is written (the whole list
    is refused, naming the first faulty item's key). Items whose key is already in the outbox write nothing.
    """
    template = Template.objects.filter(code=template_code, is_active=True).first()
    if template is None:
        raise DomainError(_("No such message template."), code="not_found", field="template_code")
    kind = kind or template.kind
    keys = [item.idempotency_key for item in items]
    if any(not key or len(key) > 200 for key in keys):
        raise DomainError(_("An idempotency key of at most 200 characters is required."), field="idempotency_key")
    existing = set(Message.objects.filter(idempotency_key__in=keys).values_list("idempotency_key", flat=True))
    todo = [item for item in items if item.idempotency_key not in existing]
    person_ids = [item.person.pk for item in todo]
    preferences = {pref.person_id: pref for pref in ContactPreference.objects.filter(person_id__in=person_ids)}
    opted_out: dict[int, set[str]] = {}
    for person_id, opted in (OptOut.objects.filter(person_id__in=person_ids, revoked_at__isnull=True)
                             .values_list("person_id", "channel")):
        opted_out.setdefault(person_id, set()).add(opted)
    allowed = list(template.channels) or [Channel.SMS]
    now = timezone.now()
    rows, result = [], BulkResult(existing=len(existing))
    for item in todo:
        person = item.person
        preference = preferences.get(person.pk) or ContactPreference(person_id=person.pk)
        rendered = template_render(template=template, language=preference.language, context=item.context)
        wanted = channel or (preference.channel if preference.channel in allowed else allowed[0])
        candidates = [wanted] if kind == MessageKind.BULK else [wanted] + [c for c in allowed if c != wanted]
        refused = opted_out.get(person.pk, set())

        def address(c: str, person=person, preference=preference) -> str:
            return preference.email if c == Channel.EMAIL else person.mobile

        candidates = [c for c in candidates if c not in refused and address(c)]
        if not candidates:
            result.skipped.append(person.pk)
            continue
        chosen = candidates[0]
        if chosen == Channel.SMS and rendered.segments > 10:
            raise DomainError(_("This text is too long for an SMS."), code="too_long", field="context")
        if not rendered.body.strip() or len(rendered.body) > BODY_MAX_LENGTH:
            raise DomainError(_("The message is too long."), code="too_long", field="body")
        rows.append(Message(
            channel=chosen, kind=kind, person_id=person.pk, to_address=_clean_address(chosen, address(chosen)),
            template=template, language=preference.language, subject=rendered.subject[:200], body=rendered.body,
            idempotency_key=item.idempotency_key, urgent=urgent, send_at=send_at or now, expires_at=expires_at,
            unit_path=person.unit_path, context=item.context, created_at=now, updated_at=now))
    # ignore_conflicts: a key written by a concurrent transaction since the read above is left as it is.
    Message.objects.bulk_create(rows, batch_size=1000, ignore_conflicts=True)
    if rows:
        result.queued = Message.objects.filter(idempotency_key__in=keys).count() - result.existing
    return result


def messages_withdraw(*, scope: Scope, messages, reason: str) -> int:
    """Withdraw the messages of ``messages`` (a queryset) still waiting in the outbox: they become
    ``cancelled`` with ``reason`` as their last error, in one UPDATE, so no drain claims them (a drain claims
    only ``queued`` rows). Rows already handed to a provider (``sending``), sent or settled stay as they are:
    what went out is the record. The caller's action checked ``scope`` and writes its history; returns how
    many were withdrawn."""
    if scope is None:
        raise TypeError("scope is required")
    return messages.filter(status=MessageStatus.QUEUED).update(
        status=MessageStatus.CANCELLED, last_error=reason[:200], updated_at=timezone.now())
