"""The outbox's writes: one message (``message_enqueue``), a templated one for a person
(``message_send_templated``), and the person's contact preference.

Every message is an outbox row (``Message``) written inside the caller's transaction: if the change that
causes it rolls back, so does the message. The worker (``messaging.outbox``) sends it after commit. An
idempotency key makes a repeated enqueue return the row already written.

The ``scope`` these take is who causes the message: the action calling them has already decided that its
actor may act (a notice may go to someone outside the actor's own scope, the minister a grievance is
assigned to), and that action's history row records the actor; the message row does not. Jobs and
receivers pass ``Scope.system()``.
"""

from dataclasses import dataclass
from typing import ClassVar

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from sangathan.access.scope import Scope
from sangathan.access.services import audit_log
from sangathan.core.actions import Action
from sangathan.core.errors import DomainError
from sangathan.core.phones import normalize_mobile
from sangathan.messaging.models import (
    Channel,
    ContactPreference,
    Language,
    Message,
    MessageKind,
    OptOut,
    Template,
)
from sangathan.messaging.services.templates import MOBILE_CHANNELS, require_template_editor, template_render

BODY_MAX_LENGTH = 4096


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
def message_enqueue(*, scope: Scope, channel: str, to_address: str, body: str, kind: str, idempotency_key: str,
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
def contact_preference_set(*, scope: Scope, person, language: str | None = None, channel: str | None = None,
                           email: str | None = None) -> ContactPreference:
    """Save how ``person`` is reached; the actor must be able to write at the person's unit."""
    scope.require(person.unit_path, write=True)
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
def message_send_templated(*, scope: Scope, person, template_code: str, context: dict, idempotency_key: str,
                           channel: str | None = None, kind: str | None = None, urgent: bool = False,
                           send_at=None, expires_at=None, broadcast=None) -> Message | None:
    """Render a template for ``person`` in their language and queue it on their channel.

    ``channel`` overrides the person's preferred one; ``kind`` defaults to the template's. Returns None
    when the opt-out rule (``messaging.services``) leaves no channel. A missing variable raises
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
        scope=scope, channel=chosen, to_address=_address_for(person, chosen, preference), body=result.body,
        kind=kind, idempotency_key=idempotency_key, person=person, template=template,
        language=preference.language, subject=result.subject, urgent=urgent, send_at=send_at,
        expires_at=expires_at, unit_path=person.unit_path, broadcast=broadcast, context=context,
    )


def actor_mobile(scope: Scope) -> str:
    """The acting user's own registered mobile: their registry record's, else their login's; "" for none."""
    user = scope.actor
    if user is None:
        return ""
    person = getattr(user, "person", None)
    return (person.mobile if person is not None and person.mobile else "") or (user.mobile or "")


@dataclass(kw_only=True)
class TemplateTestSend(Action):
    """One message of ``template``, filled with the sample values of ``context``, to the actor's own
    registered mobile through the outbox: on SMS if the template allows it, else WhatsApp. Urgent (quiet
    hours do not hold a test the sender is waiting for) and transactional. ``nonce`` comes from the page that
    asked, so a form sent twice queues one message. Audit row ``template.test``.

    PermissionDenied unless the actor may edit templates; DomainError (field ``mobile``) when they have no
    registered mobile, (field ``channels``) when the template goes out on no mobile channel, (field
    ``context``) naming the variables left empty.
    """

    template: Template
    context: dict
    nonce: str
    language: str = Language.HINDI

    name: ClassVar[str] = "template.test"

    def check(self) -> None:
        require_template_editor(self.scope)
        self.mobile = actor_mobile(self.scope)
        if not self.mobile:
            raise DomainError(_("Your account has no registered mobile number, so no test can be sent. Add "
                                "a mobile number to your record first."),
                              code="no_mobile", field="mobile")
        channels = [c for c in MOBILE_CHANNELS if c in (self.template.channels or [])]
        if not channels:
            raise DomainError(_("This template goes out on neither SMS nor WhatsApp."), field="channels")
        self.channel = channels[0]
        if self.language not in Language.values:
            raise DomainError(_("Unknown language."), field="language")
        if not self.nonce or len(self.nonce) > 64:
            raise DomainError(_("The page has expired. Open it again."), field="nonce")
        self.rendered = template_render(template=self.template, language=self.language, context=self.context)
        self.key = f"template-test:{self.template.pk}:{self.scope.user_id}:{self.nonce}"

    def perform(self) -> Message:
        self.repeat = Message.objects.filter(idempotency_key=self.key).exists()
        return message_enqueue(
            scope=self.scope, channel=self.channel, to_address=self.mobile, body=self.rendered.body,
            kind=MessageKind.TRANSACTIONAL, urgent=True, template=self.template, language=self.language,
            subject=self.rendered.subject, context=dict(self.context), idempotency_key=self.key,
            person=getattr(self.actor, "person", None),
        )

    def log(self, message: Message) -> None:
        if self.repeat:
            return  # the same form sent again wrote nothing: its first run left the row
        audit_log(scope=self.scope, action=self.name, target=self.template,
                  detail={"code": self.template.code, "message": message.pk, "channel": message.channel,
                          "language": self.language})


template_test_send = TemplateTestSend.run
