"""Recording a person's consent and verifying their record: by office staff (in person, a document) or by
a one-time code sent to the person's own mobile through the messaging outbox.

All of these need a write scope where the person belongs (the office-bearers and staff responsible for
them). Verifying sets ``verified_at``, ``verified_by`` and ``verified_method`` and writes a history row.
"""

import hashlib
import hmac
import secrets
from datetime import timedelta

from django.conf import settings
from django.db import transaction
from django.utils.translation import gettext as _

from sangathan.core import clock
from sangathan.core.errors import DomainError, NotFound, PermissionDenied
from sangathan.people.enums import VerificationMethod
from sangathan.people.models import Person, PersonHistory, VerificationCode
from sangathan.people.services import person_update
from sangathan.people.signals import verification_code_issued

CODE_TTL = timedelta(minutes=10)
MAX_ATTEMPTS = 5
CODES_PER_HOUR = 3
CODE_DIGITS = 6
STAFF_METHODS = (VerificationMethod.IN_PERSON, VerificationMethod.DOCUMENT)


def _check_scope(scope, person: Person) -> None:
    if not scope.can_read_path(person.unit_path):
        raise NotFound(_("No such person."))
    if not scope.can_write_path(person.unit_path):
        raise PermissionDenied(_("You may not change this person's record."))


def _hash(person_id: int, code: str) -> str:
    key = settings.SECRET_KEY.encode()
    return hmac.new(key, f"{person_id}:{code}".encode(), hashlib.sha256).hexdigest()


def person_consent_record(*, scope, person: Person, method: str, purposes: list[str], at=None) -> Person:
    """Record how and for what the person gave consent (now unless ``at``); history keeps the change."""
    if not method:
        raise DomainError(_("Say how consent was given."), code="required", field="consent_method")
    if not purposes:
        raise DomainError(_("Choose what the consent covers."), code="required", field="consent_purposes")
    return person_update(scope=scope, person=person, consent_method=method,
                         consent_purposes=purposes, consent_at=at or clock.now())


@transaction.atomic
def person_verify(*, scope, person: Person, method: str) -> Person:
    """Mark the record verified by office staff: seen in person, or against a document."""
    if method not in STAFF_METHODS:
        raise DomainError(_("Choose in person or document."), field="method")
    person = Person.objects.select_for_update().get(pk=person.pk)
    _check_scope(scope, person)
    return _mark_verified(actor=scope.actor, person=person, method=method)


def _mark_verified(*, actor, person: Person, method: str) -> Person:
    before = {"verified_at": person.verified_at.isoformat() if person.verified_at else None,
              "verified_method": person.verified_method}
    person.verified_at = clock.now()
    person.verified_by = actor
    person.verified_method = method
    person.save(update_fields=["verified_at", "verified_by", "verified_method", "updated_at"])
    PersonHistory.objects.create(person=person, action=PersonHistory.Action.UPDATED, actor=person.verified_by,
                                 at=person.verified_at, changes={
                                     "verified_at": [before["verified_at"], person.verified_at.isoformat()],
                                     "verified_method": [before["verified_method"], method]})
    return person


@transaction.atomic
def person_verification_code_send(*, scope, person: Person) -> VerificationCode:
    """Send a one-time code to the person's own mobile (transactional SMS through the outbox). The code row
    (who sent it, when, to which number) is the record of the sending.

    Earlier unused codes stop working; at most ``CODES_PER_HOUR`` codes an hour per person.
    """
    person = Person.objects.select_for_update().get(pk=person.pk)
    _check_scope(scope, person)
    now = clock.now()
    recent = VerificationCode.objects.filter(person=person, created_at__gte=now - timedelta(hours=1)).count()
    if recent >= CODES_PER_HOUR:
        raise DomainError(_("Too many codes sent to this number in the last hour. Try again later."),
                          code="rate_limited", field="code")
    VerificationCode.objects.filter(person=person, used_at__isnull=True, expires_at__gt=now).update(expires_at=now)
    code = f"{secrets.randbelow(10 ** CODE_DIGITS):0{CODE_DIGITS}d}"
    row = VerificationCode.objects.create(
        person=person, code_hash=_hash(person.pk, code), mobile=person.mobile, created_at=now,
        expires_at=now + CODE_TTL, sent_by=scope.actor)
    responses = verification_code_issued.send(sender=Person, person=person, code=code,
                                              idempotency_key=f"people.verify:{row.pk}")
    if not any(response for _receiver, response in responses):
        raise DomainError(_("No way to send messages is set up."), code="no_channel")
    return row


def person_verification_code_confirm(*, scope, person: Person, code: str) -> Person:
    """Check the code the person read out or typed; right → verified by OTP. Wrong tries count."""
    code = "".join((code or "").split())
    with transaction.atomic():
        person = Person.objects.select_for_update().get(pk=person.pk)
        _check_scope(scope, person)
        now = clock.now()
        row = (VerificationCode.objects.select_for_update()
               .filter(person=person, used_at__isnull=True, expires_at__gt=now).order_by("-created_at").first())
        if row is None:
            error = DomainError(_("No valid code: send a new one."), code="expired", field="code")
        elif row.attempts >= MAX_ATTEMPTS:
            error = DomainError(_("Too many wrong tries: send a new code."), code="locked", field="code")
        elif row.mobile != person.mobile:
            error = DomainError(_("The mobile number changed since the code was sent: send a new one."),
                                code="expired", field="code")
        elif not hmac.compare_digest(row.code_hash, _hash(person.pk, code)):
            row.attempts += 1
            row.save(update_fields=["attempts"])   # kept: the error below is raised after this commits
            error = DomainError(_("The code is wrong."), code="wrong_code", field="code")
        else:
            row.used_at = now
            row.save(update_fields=["used_at"])
            return _mark_verified(actor=scope.actor, person=person, method=VerificationMethod.OTP)
    raise error
