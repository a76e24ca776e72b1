"""Flags on a person's record: raised for review (a wrong number, a possible duplicate), then resolved."""

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from sangathan.access.services import audit_log
from sangathan.core.errors import DomainError, NotFound, PermissionDenied
from sangathan.people.enums import FlagKind
from sangathan.people.models import Person, PersonFlag

FLAG_NOTE_MAX_LENGTH = 500


@transaction.atomic
def person_flag_raise(*, scope, person: Person, kind: str, note: str = "", source: str = "") -> PersonFlag:
    """Flag ``person``'s record for review (e.g. a caller found the mobile number wrong).

    The flag row is its own history (who raised it, when, why). Idempotent: while a flag of this kind is
    open, raising it again returns that flag unchanged, so a second caller reporting the same wrong number
    adds nothing. Scope is the caller's to check: the one who raises it may not be allowed to read the
    record (a caller only sees a name and a number).
    """
    if kind not in FlagKind.values:
        raise DomainError(_("Unknown kind of flag."), field="kind")
    note = (note or "").strip()
    if len(note) > FLAG_NOTE_MAX_LENGTH:
        raise DomainError(_("The note is too long."), code="too_long", field="note")
    existing = PersonFlag.objects.filter(person=person, kind=kind, resolved_at__isnull=True).first()
    if existing is not None:
        return existing
    try:
        with transaction.atomic():
            return PersonFlag.objects.create(person=person, kind=kind, note=note, source=source[:100],
                                             unit_path=person.unit_path, raised_by=scope.actor)
    except IntegrityError:  # raised at the same moment by someone else
        return PersonFlag.objects.get(person=person, kind=kind, resolved_at__isnull=True)


@transaction.atomic
def person_flag_resolve(*, scope, flag: PersonFlag, resolution: str = "") -> PersonFlag:
    """Close an open flag with what was done about it (the actor must be allowed to change the record).
    Writes who resolved it and when on the flag, and a ``person.flag_resolve`` audit row."""
    flag = PersonFlag.objects.select_for_update().get(pk=flag.pk)
    if not scope.can_read_path(flag.unit_path):
        raise NotFound(_("No such flag."))
    if not scope.can_write_path(flag.unit_path):
        raise PermissionDenied(_("You may not change this person's record."))
    if flag.resolved_at is not None:
        raise DomainError(_("This flag is already resolved."), code="resolved")
    resolution = (resolution or "").strip()
    if len(resolution) > FLAG_NOTE_MAX_LENGTH:
        raise DomainError(_("The note is too long."), code="too_long", field="resolution")
    flag.resolved_at = timezone.now()
    flag.resolved_by = scope.actor
    flag.resolution = resolution
    flag.save(update_fields=["resolved_at", "resolved_by", "resolution"])
    audit_log(scope=scope, action="person.flag_resolve", target=flag,
              detail={"person_id": flag.person_id, "kind": flag.kind})
    return flag
