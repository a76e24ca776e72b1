"""Writes of the messaging app: templates, the outbox, contact preferences and opt-outs.

Every message is an outbox row (``Message``) written by ``message_enqueue`` inside the caller's transaction:
if the change that causes it rolls back, so does the message. The worker (``messaging.outbox``) sends it
after commit. An idempotency key makes a repeated enqueue return the row already written.

Opt-out rule. An opt-out is per person and channel (a STOP reply opts out of the channel it came on).

* Bulk messages (broadcasts, campaign appeals) are never sent on a channel the person opted out of, and
  never moved to another channel: ``message_send_templated`` returns None, and the broadcast fan-out
  excludes ``opted_out_person_ids(channel)`` in SQL.
* Transactional messages the person caused or asked for (their grievance's status, their own call list)
  are not sent on an opted-out channel either, but they move to the next channel the template allows that
  the person has not opted out of, so the answer still reaches them. Only a person opted out of every
  channel the template allows gets nothing (None).
"""

import math
import re
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from sangathan.core.errors import DomainError
from sangathan.core.phones import normalize_mobile
from sangathan.messaging.models import (
    Channel,
    ContactPreference,
    Language,
    Message,
    MessageKind,
    MessageStatus,
    OptOut,
    OptOutSource,
    Template,
)

VARIABLE_RE = re.compile(r"\{(\w+)\}")
# The GSM 03.38 basic alphabet (plus the extension table, whose characters count twice): anything
# outside it, Devanagari included, forces UCS-2 with 70 characters a segment instead of 160.
GSM7_BASIC = set(
    "@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞ ÆæßÉ!\"#¤%&'()*+,-./0123456789:;<=>?¡ABCDEFGHIJKLMNOPQRSTUVWXYZÄÖÑÜ§"
    "¿abcdefghijklmnopqrstuvwxyzäöñüà"
)
GSM7_EXTENDED = set("^{}\\[~]|€\f")
MOBILE_CHANNELS = (Channel.SMS, Channel.WHATSAPP)
BODY_MAX_LENGTH = 4096


@dataclass(frozen=True)
class RenderResult:
    body: str
    subject: str
    segments: int
    encoding: str  # "gsm7" or "ucs2"


def sms_segments(text: str) -> tuple[int, str]:
    """How many SMS parts ``text`` takes, and in which encoding."""
    if all(ch in GSM7_BASIC or ch in GSM7_EXTENDED for ch in text):
        units = sum(2 if ch in GSM7_EXTENDED else 1 for ch in text)
        single, multi, encoding = 160, 153, "gsm7"
    else:
        # UTF-16 code units: characters outside the BMP (emoji) take two.
        units = len(text.encode("utf-16-le")) // 2
        single, multi, encoding = 70, 67, "ucs2"
    if units <= single:
        return (1 if units else 0), encoding
    return math.ceil(units / multi), encoding


def template_variables(*texts: str) -> list[str]:
    """The variable names used in ``texts``, in order of first appearance."""
    names: list[str] = []
    for text in texts:
        for name in VARIABLE_RE.findall(text or ""):
            if name not in names:
                names.append(name)
    return names


def template_render(*, template: Template, language: str, context: dict) -> RenderResult:
    """The template's text in ``language`` (Hindi when there is no English body) with ``context`` filled in.

    Raises DomainError(field="context") naming every variable missing or empty in ``context``.
    """
    use_english = language == Language.ENGLISH and template.body_en
    body = template.body_en if use_english else template.body_hi
    subject = template.subject_en if use_english else template.subject_hi
    needed = template_variables(body, subject)
    missing = [name for name in needed if context.get(name) in (None, "")]
    if missing:
        raise DomainError(
            _("Fill in every variable of the template: %(names)s.") % {"names": ", ".join(missing)},
            code="missing_variables",
            field="context",
        )

    def fill(text: str) -> str:
        return VARIABLE_RE.sub(lambda match: str(context[match.group(1)]), text or "")

    rendered = fill(body)
    segments, encoding = sms_segments(rendered)
    return RenderResult(body=rendered, subject=fill(subject), segments=segments, encoding=encoding)


def _template_clean(fields: dict) -> dict:
    if not fields.get("body_hi", "").strip():
        raise DomainError(_("Enter the Hindi text."), code="required", field="body_hi")
    channels = list(fields.get("channels") or [])
    unknown = [c for c in channels if c not in Channel.values]
    if unknown:
        raise DomainError(_("Unknown channel: %(names)s.") % {"names": ", ".join(map(str, unknown))},
                          field="channels")
    if fields.get("kind", MessageKind.TRANSACTIONAL) not in MessageKind.values:
        raise DomainError(_("Unknown kind of message."), field="kind")
    hi_vars = set(template_variables(fields.get("body_hi", "")))
    en_body = fields.get("body_en", "")
    if en_body and set(template_variables(en_body)) != hi_vars:
        raise DomainError(_("The Hindi and English texts must use the same variables."), field="body_en")
    fields["channels"] = channels
    fields["variables"] = template_variables(fields.get("body_hi", ""), fields.get("subject_hi", ""),
                                             en_body, fields.get("subject_en", ""))
    return fields


TEMPLATE_FIELDS = ("code", "name", "body_hi", "body_en", "subject_hi", "subject_en", "channels",
                   "dlt_template_id", "kind", "is_active")


@transaction.atomic
def template_create(*, code: str, name: str, body_hi: str, body_en: str = "", subject_hi: str = "",
                    subject_en: str = "", channels: list[str] | None = None, dlt_template_id: str = "",
                    kind: str = MessageKind.TRANSACTIONAL, is_active: bool = True) -> Template:
    """Create a template; its ``variables`` are derived from the texts."""
    fields = _template_clean({
        "code": code, "name": name, "body_hi": body_hi, "body_en": body_en, "subject_hi": subject_hi,
        "subject_en": subject_en, "channels": channels or [Channel.SMS], "dlt_template_id": dlt_template_id,
        "kind": kind, "is_active": is_active,
    })
    if Template.objects.filter(code=code).exists():
        raise DomainError(_("A template with this code exists."), code="duplicate", field="code")
    return Template.objects.create(**fields)



@transaction.atomic
def templates_ensure(definitions: dict[str, tuple[str, str, str]], *, channels=MOBILE_CHANNELS,
                     kind: str = MessageKind.TRANSACTIONAL) -> None:
    """Create the templates of ``definitions`` (code → (name, Hindi body, English body)) that are missing.

    Each app declares the messages it sends this way and calls it before sending; a template an office has
    since edited (or switched off) is left as it is.
    """
    existing = set(Template.objects.filter(code__in=definitions).values_list("code", flat=True))
    for code, (name, body_hi, body_en) in definitions.items():
        if code not in existing:
            template_create(code=code, name=name, body_hi=body_hi, body_en=body_en, channels=list(channels),
                            kind=kind)


def template_active(code: str, definitions: dict[str, tuple[str, str, str]]) -> Template:
    """The active template ``code``, created from ``definitions`` on first use; DomainError when switched off."""
    template = Template.objects.filter(code=code, is_active=True).first()
    if template is None:
        templates_ensure(definitions)
        template = Template.objects.filter(code=code, is_active=True).first()
    if template is None:
        raise DomainError(f"The message template {code} is switched off.", code="not_found")
    return template

@transaction.atomic
def template_update(*, template: Template, **changes) -> Template:
    """Change a template's fields (any of ``TEMPLATE_FIELDS``); ``variables`` follow the texts."""
    unknown = set(changes) - set(TEMPLATE_FIELDS)
    if unknown:
        raise DomainError(_("Unknown field: %(names)s.") % {"names": ", ".join(sorted(unknown))})
    fields = {name: getattr(template, name) for name in TEMPLATE_FIELDS} | changes
    fields = _template_clean(fields)
    if Template.objects.filter(code=fields["code"]).exclude(pk=template.pk).exists():
        raise DomainError(_("A template with this code exists."), code="duplicate", field="code")
    for name, value in fields.items():
        setattr(template, name, value)
    template.save()
    return template


def _clean_address(channel: str, to_address: str) -> str:
    if channel in MOBILE_CHANNELS or channel == Channel.IN_APP:
        try:
            return normalize_mobile(to_address)
        except DomainError as error:
            raise DomainError(error.message, code=error.code, field="to_address") from None
    try:
        validate_email(to_address)
    except ValidationError:
        raise DomainError(_("This is not a valid email address."), field="to_address") from None
    return to_address.strip().lower()


@transaction.atomic
def message_enqueue(*, channel: str, to_address: str, body: str, kind: str, idempotency_key: str,
                    person=None, template: Template | None = None, language: str = Language.HINDI,
                    subject: str = "", urgent: bool = False, send_at=None, expires_at=None,
                    unit_path: str = "", broadcast=None, context: dict | None = None) -> Message:
    """Write one outbox row; call it inside the transaction of the change that causes the message.

    A second call with the same ``idempotency_key`` returns the first row and writes nothing, also when two
    transactions race (the unique key decides, the loser reads the winner's row).
    """
    if channel not in Channel.values:
        raise DomainError(_("Unknown channel."), field="channel")
    if kind not in MessageKind.values:
        raise DomainError(_("Unknown kind of message."), field="kind")
    if not idempotency_key or len(idempotency_key) > 200:
        raise DomainError(_("An idempotency key of at most 200 characters is required."),
                          field="idempotency_key")
    if not body.strip():
        raise DomainError(_("The message is empty."), code="required", field="body")
    if len(body) > BODY_MAX_LENGTH:
        raise DomainError(_("The message is too long."), code="too_long", field="body")
    existing = Message.objects.filter(idempotency_key=idempotency_key).first()
    if existing is not None:
        return existing
    address = _clean_address(channel, to_address)
    if not unit_path and person is not None:
        unit_path = person.unit_path
    try:
        with transaction.atomic():
            return Message.objects.create(
                channel=channel, kind=kind, person=person, to_address=address, template=template,
                language=language, subject=subject[:200], body=body, idempotency_key=idempotency_key,
                urgent=urgent, send_at=send_at or timezone.now(), expires_at=expires_at, unit_path=unit_path,
                broadcast=broadcast, context=context or {},
            )
    except IntegrityError:
        return Message.objects.get(idempotency_key=idempotency_key)


def contact_preference_of(person) -> ContactPreference:
    """The person's saved preference, or the default (Hindi, SMS) unsaved."""
    try:
        return person.contact_preference
    except ContactPreference.DoesNotExist:
        return ContactPreference(person=person)


@transaction.atomic
def contact_preference_set(*, person, language: str | None = None, channel: str | None = None,
                           email: str | None = None) -> ContactPreference:
    preference = contact_preference_of(person)
    if language is not None:
        if language not in Language.values:
            raise DomainError(_("Unknown language."), field="language")
        preference.language = language
    if channel is not None:
        if channel not in Channel.values:
            raise DomainError(_("Unknown channel."), field="channel")
        preference.channel = channel
    if email is not None:
        preference.email = _clean_address(Channel.EMAIL, email) if email else ""
    if preference.channel == Channel.EMAIL and not preference.email:
        raise DomainError(_("Enter an email address to be reached by email."), field="email")
    preference.save()
    return preference


def _address_for(person, channel: str, preference: ContactPreference) -> str:
    return preference.email if channel == Channel.EMAIL else person.mobile


@transaction.atomic
def message_send_templated(*, person, template_code: str, context: dict, idempotency_key: str,
                           channel: str | None = None, kind: str | None = None, urgent: bool = False,
                           send_at=None, expires_at=None, broadcast=None) -> Message | None:
    """Render a template for ``person`` in their language and queue it on their channel.

    ``channel`` overrides the person's preferred one; ``kind`` defaults to the template's. Returns None
    when the opt-out rule of this module's docstring leaves no channel. A missing variable raises
    DomainError before anything is written.
    """
    template = Template.objects.filter(code=template_code, is_active=True).first()
    if template is None:
        raise DomainError(_("No such message template."), code="not_found", field="template_code")
    kind = kind or template.kind
    preference = contact_preference_of(person)
    result = template_render(template=template, language=preference.language, context=context)

    allowed = list(template.channels) or [Channel.SMS]
    wanted = channel or (preference.channel if preference.channel in allowed else allowed[0])
    opted_out = set(OptOut.objects.filter(person=person, revoked_at__isnull=True).values_list("channel", flat=True))
    if kind == MessageKind.BULK:
        candidates = [wanted]
    else:
        candidates = [wanted] + [c for c in allowed if c != wanted]
    candidates = [c for c in candidates if c not in opted_out and _address_for(person, c, preference)]
    if not candidates:
        return None
    chosen = candidates[0]
    if chosen == Channel.SMS:
        # A Hindi SMS is billed per 70-character part; refuse the absurd before it costs a fortune.
        if result.segments > 10:
            raise DomainError(_("This text is too long for an SMS."), code="too_long", field="context")
    return message_enqueue(
        channel=chosen, to_address=_address_for(person, chosen, preference), body=result.body, kind=kind,
        idempotency_key=idempotency_key, person=person, template=template, language=preference.language,
        subject=result.subject, urgent=urgent, send_at=send_at, expires_at=expires_at,
        unit_path=person.unit_path, broadcast=broadcast, context=context,
    )


@transaction.atomic
def opt_out(*, person, channel: str, source: str) -> OptOut:
    """Opt ``person`` out of ``channel`` (idempotent) and cancel their bulk messages still waiting on it."""
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
def opt_in(*, person, channel: str) -> bool:
    """Reverse the person's opt-out of ``channel``; the row stays as history. False if there was none."""
    return bool(OptOut.objects.filter(person=person, channel=channel, revoked_at__isnull=True)
                .update(revoked_at=timezone.now()))


def opted_out_person_ids(channel: str):
    """Ids of people opted out of ``channel``, as a queryset usable as a subquery (``~Q(id__in=…)``)."""
    return OptOut.objects.filter(channel=channel, revoked_at__isnull=True).values("person_id")
