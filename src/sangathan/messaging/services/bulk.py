"""One template to many people at once: ``messages_send_templated_bulk``.

The same rules as ``message_send_templated`` (language and channel by the person's preference, the opt-out
rule of ``messaging.services``, the SMS length limit, idempotency keys) but with a fixed number of queries
for the whole list instead of some seven per person: the template once, the preferences, opt-outs and
already-written keys of every recipient in one query each, then the new rows in one COPY. Used where a job
queues one transactional message per person by the thousand (outreach's morning call lists, events'
invitations).

What made it cost: model instances (one ``Message`` per row for ``bulk_create``, the callers' ``Person``
rows), the template's regular expression run per recipient and Django's array parameters. The template is
now split into its text and variables once per language, each body is a join; the preferences are read as
tuples; the rows go as plain tuples through COPY (``core.bulk``). A recipient may be a ``BulkRecipient``
(id, mobile, unit path) read by the caller as a tuple, or any object with ``pk``, ``mobile``, ``unit_path``.
"""

import json
from dataclasses import dataclass, field
from typing import NamedTuple

from django.db import IntegrityError, connection, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from sangathan.access.scope import Scope
from sangathan.core.bulk import copy_rows
from sangathan.core.errors import DomainError
from sangathan.messaging.models import (
    Channel,
    ContactPreference,
    Language,
    Message,
    MessageKind,
    MessageStatus,
    OptOut,
    Template,
)
from sangathan.messaging.services.messages import BODY_MAX_LENGTH, _clean_address
from sangathan.messaging.services.templates import VARIABLE_RE, sms_segments, template_render


class BulkRecipient(NamedTuple):
    """A recipient read as a tuple: what the outbox row needs of the person, nothing more."""

    pk: int
    mobile: str
    unit_path: str


@dataclass(frozen=True)
class BulkItem:
    """One recipient of a bulk templated enqueue: the person (a ``Person`` or a ``BulkRecipient``), the
    template's variables, the message's key."""

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


# The outbox row's columns as written here; every other column takes its database default.
COLUMNS = ("channel", "kind", "person_id", "to_address", "template_id", "language", "subject", "body", "context",
           "status", "idempotency_key", "urgent", "send_at", "expires_at", "attempts", "last_error", "provider",
           "provider_message_id", "claimed_by", "unit_path", "created_at", "updated_at")


class _Compiled(NamedTuple):
    """A template's body and subject in one language, split once at its variables: ``re.split`` with the
    variable group gives text at even positions and names at odd ones, as ``VARIABLE_RE.sub`` fills them."""

    body: list[str]
    subject: list[str]
    needed: tuple[str, ...]


def _compile(template: Template, language: str) -> _Compiled:
    use_english = language == Language.ENGLISH and template.body_en
    body = VARIABLE_RE.split((template.body_en if use_english else template.body_hi) or "")
    subject = VARIABLE_RE.split((template.subject_en if use_english else template.subject_hi) or "")
    return _Compiled(body, subject, tuple(dict.fromkeys(body[1::2] + subject[1::2])))


def _fill(parts: list[str], context: dict) -> str:
    if len(parts) == 1:
        return parts[0]
    filled = parts.copy()
    for index in range(1, len(parts), 2):
        filled[index] = str(context[parts[index]])
    return "".join(filled)


def _write(rows: list[tuple], keys: list[str], existing: int) -> int:
    """The new rows; returns how many were written. One COPY on PostgreSQL, in a savepoint: if a concurrent
    transaction wrote one of the keys since they were read (the unique key refuses the COPY), the rows go
    again with ``ON CONFLICT DO NOTHING``, leaving that key's row as it is."""
    if not rows:
        return 0
    if connection.vendor == "postgresql":
        try:
            with transaction.atomic():
                copy_rows(Message._meta.db_table, COLUMNS, rows)
            return len(rows)
        except IntegrityError:
            pass
    quote = connection.ops.quote_name
    names = ", ".join(quote(column) for column in COLUMNS)
    with connection.cursor() as cursor:
        cursor.executemany(f"INSERT INTO {quote(Message._meta.db_table)} ({names}) "  # noqa: S608
                           f"VALUES ({', '.join(['%s'] * len(COLUMNS))}) ON CONFLICT DO NOTHING", rows)
    return Message.objects.filter(idempotency_key__in=keys).count() - existing


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
    default = (Language.HINDI, Channel.SMS, "")  # a person without a preference row: Hindi by SMS
    preferences = {row[0]: row[1:] for row in ContactPreference.objects.filter(person_id__in=person_ids)
                   .values_list("person_id", "language", "channel", "email")}
    opted_out: dict[int, set[str]] = {}
    for person_id, opted in (OptOut.objects.filter(person_id__in=person_ids, revoked_at__isnull=True)
                             .values_list("person_id", "channel")):
        opted_out.setdefault(person_id, set()).add(opted)
    allowed = list(template.channels) or [Channel.SMS]
    compiled: dict[str, _Compiled] = {}
    adapt = connection.ops.adapt_datetimefield_value
    now = adapt(timezone.now())
    send_at, expires_at = (adapt(send_at) if send_at else now), adapt(expires_at) if expires_at else None
    rows, result = [], BulkResult(existing=len(existing))
    for item in todo:
        person, context = item.person, item.context
        language, preferred, email = preferences.get(person.pk, default)
        parts = compiled.get(language) or compiled.setdefault(language, _compile(template, language))
        if any(context.get(name) in (None, "") for name in parts.needed):
            template_render(template=template, language=language, context=context)  # raises, naming them
        body = _fill(parts.body, context)
        wanted = channel or (preferred if preferred in allowed else allowed[0])
        candidates = [wanted] if kind == MessageKind.BULK else [wanted] + [c for c in allowed if c != wanted]
        refused = opted_out.get(person.pk, ())
        candidates = [c for c in candidates
                      if c not in refused and (email if c == Channel.EMAIL else person.mobile)]
        if not candidates:
            result.skipped.append(person.pk)
            continue
        chosen = candidates[0]
        if chosen == Channel.SMS and sms_segments(body)[0] > 10:
            raise DomainError(_("This text is too long for an SMS."), code="too_long", field="context")
        if not body.strip() or len(body) > BODY_MAX_LENGTH:
            raise DomainError(_("The message is too long."), code="too_long", field="body")
        address = _clean_address(chosen, email if chosen == Channel.EMAIL else person.mobile)
        rows.append((str(chosen), str(kind), person.pk, address, template.pk, language, _fill(parts.subject, context)[:200],
                     body, json.dumps(context, ensure_ascii=False), str(MessageStatus.QUEUED), item.idempotency_key,
                     urgent, send_at, expires_at, 0, "", "", "", "", person.unit_path or "", now, now))
    result.queued = _write(rows, keys, result.existing)
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


def messages_rerender(*, scope: Scope, messages, context: dict) -> int:
    """Fill new values of some variables (``context``, e.g. an event's corrected title) into the messages of
    ``messages`` (a queryset) still waiting in the outbox, each rendered again from its template in its own
    language. The rows are locked first (a drain claims with ``SKIP LOCKED``, so it passes them by until
    this commits, then sends the new text); rows claimed, sent or withdrawn meanwhile stay as they are:
    what went out is the record. A row whose new text would no longer fit its channel keeps its old text.
    The caller's action checked ``scope`` and writes its history; returns how many were rendered again."""
    if scope is None:
        raise TypeError("scope is required")
    with transaction.atomic():
        rows = list(messages.filter(status=MessageStatus.QUEUED, template__isnull=False)
                    .select_for_update(of=("self",)).select_related("template").order_by("pk"))
        changed = []
        for message in rows:
            merged = {**message.context, **context}
            try:
                result = template_render(template=message.template, language=message.language, context=merged)
            except DomainError:
                continue
            too_long = message.channel == Channel.SMS and result.segments > 10
            if too_long or not result.body.strip() or len(result.body) > BODY_MAX_LENGTH:
                continue
            message.body, message.subject, message.context = result.body, result.subject[:200], merged
            message.updated_at = timezone.now()
            changed.append(message)
        Message.objects.bulk_update(changed, ["body", "subject", "context", "updated_at"], batch_size=1000)
    return len(changed)
