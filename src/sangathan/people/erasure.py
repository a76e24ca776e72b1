"""A person's own data: exported for them, or erased on their request (state admins only).

Erasure blanks every personal field, replaces the mobile number with a placeholder that can never be
dialled (``+000`` and the record's id: unique, so the constraint holds) and the name with "removed
person" (हटाया गया व्यक्ति). The row stays so positions, committees and counts keep their references: they
show "removed person". History rows keep which fields changed and when, not the values. Apps above
people scrub their copies through the ``person_erased`` signal (messaging: message addresses and texts).
"""

import io
import json
from collections.abc import Callable, Iterable

from django.db import transaction
from django.utils.translation import gettext as _

from sangathan.access.models import AuditLog
from sangathan.access.scope import Scope
from sangathan.access.services import audit_log
from sangathan.core import clock
from sangathan.core.cells import csv_writer
from sangathan.core.errors import DomainError, PermissionDenied
from sangathan.org.models import Position
from sangathan.people.models import Person, PersonFlag, PersonHistory, VerificationCode
from sangathan.people.policies import may_handle_personal_data as _may_handle
from sangathan.people.signals import person_erased

REMOVED_NAME = "हटाया गया व्यक्ति"
REMOVED_NAME_LATIN = "removed person"
REASON_MAX_LENGTH = 500

DataSection = Callable[[Person], Iterable[dict]]
_sections: dict[str, DataSection] = {}


def person_data_section(name: str) -> Callable[[DataSection], DataSection]:
    """Register a section of a person's data export (``messaging.messages`` …) from an app above people."""

    def register(fn: DataSection) -> DataSection:
        _sections[name] = fn
        return fn

    return register


def may_handle_personal_data(scope: Scope, person: Person) -> bool:
    """Superusers, and users whose write scope covers the person's whole state (a state-level grant)."""
    return _may_handle(scope, person.unit_path)


def _value(value):
    if hasattr(value, "isoformat"):
        return value.isoformat()
    return value


RECORD_FIELDS = ("id", "name", "name_latin", "relative_name", "relation", "gender", "birth_year", "mobile",
                 "alt_mobile", "email", "address", "epic", "membership_no", "occupation", "education", "social",
                 "joined_on", "source", "status", "consent_at", "consent_method", "consent_purposes",
                 "verified_at", "verified_method", "created_at", "updated_at")


def person_data(person: Person) -> dict:
    """Everything the registry holds about the person, section by section."""
    record = {field: _value(getattr(person, field)) for field in RECORD_FIELDS}
    record["unit"] = person.unit.name
    record["tags"] = sorted(person.tags.values_list("code", flat=True))
    record["photo"] = person.photo.name or ""
    positions = [{"post": position.post.label, "place": position.place.name if position.place else "",
                  "start_date": _value(position.start_date), "end_date": _value(position.end_date),
                  "end_reason": position.end_reason}
                 for position in Position.objects.filter(person=person).select_related("post", "unit", "overlay")]
    history = [{"at": _value(entry.at), "action": entry.action, "changes": entry.changes}
               for entry in person.history.order_by("at", "id")]
    flags = [{"kind": flag.kind, "note": flag.note, "raised_at": _value(flag.raised_at),
              "resolved_at": _value(flag.resolved_at), "resolution": flag.resolution}
             for flag in person.flags.order_by("raised_at", "id")]
    data = {"record": record, "positions": positions, "history": history, "flags": flags}
    for name, section in sorted(_sections.items()):
        data[name] = [{key: _value(value) for key, value in row.items()} for row in section(person)]
    return data


def person_data_export(*, scope: Scope, person: Person, file_format: str = "json") -> str:
    """The person's data as JSON or CSV (section, row, field, value), for handing to them. Writes a
    ``person.data_export`` audit row."""
    if not may_handle_personal_data(scope, person):
        raise PermissionDenied(_("Only a state administrator may export a person's data."))
    data = person_data(person)
    audit_log(scope=scope, action=AuditLog.Action.PERSON_DATA_EXPORT, target=person, detail={"format": file_format})
    if file_format == "json":
        return json.dumps(data, ensure_ascii=False, indent=2, default=str)
    buffer = io.StringIO()
    writer = csv_writer(buffer)
    writer.writerow(["section", "row", "field", "value"])
    for key, value in data["record"].items():
        writer.writerow(["record", 1, key, json.dumps(value, ensure_ascii=False) if isinstance(value, (list, dict))
                         else ("" if value is None else value)])
    for section, rows in data.items():
        if section == "record":
            continue
        for number, row in enumerate(rows, start=1):
            for key, value in row.items():
                writer.writerow([section, number, key, json.dumps(value, ensure_ascii=False)
                                 if isinstance(value, (list, dict)) else ("" if value is None else value)])
    return "\ufeff" + buffer.getvalue()


@transaction.atomic
def person_erase(*, scope: Scope, person: Person, reason: str) -> Person:
    """Erase the person's personal details (keeping the row for positions). Writes an ERASED history row
    and a ``person.erase`` audit row with ``reason``; apps above scrub their copies (``person_erased``)."""
    if not may_handle_personal_data(scope, person):
        raise PermissionDenied(_("Only a state administrator may erase a person."))
    reason = (reason or "").strip()
    if not reason:
        raise DomainError(_("Give the reason for erasing (e.g. the person's written request)."),
                          code="required", field="reason")
    if len(reason) > REASON_MAX_LENGTH:
        raise DomainError(_("The note is too long."), code="too_long", field="reason")
    person = Person.objects.select_for_update().get(pk=person.pk)
    if person.erased_at is not None:
        raise DomainError(_("This person's details were already erased."), code="erased")
    if person.photo:
        person.photo.delete(save=False)
    now = clock.now()
    for field, value in {
        "name": REMOVED_NAME, "name_latin": REMOVED_NAME_LATIN, "name_key": "", "relative_name": "",
        "relative_name_key": "", "gender": "", "birth_year": None, "mobile": f"+000{person.pk:012d}",
        "alt_mobile": "", "email": "", "address": "", "epic": "", "membership_no": "", "occupation": "",
        "education": "", "social": {}, "joined_on": None, "consent_at": None, "consent_method": "",
        "consent_purposes": [], "verified_at": None, "verified_by": None, "verified_method": "", "photo": "",
        "erased_at": now,
    }.items():
        setattr(person, field, value)
    person.save()
    person.tags.clear()
    for entry in person.history.all().only("id", "changes"):
        entry.changes = {field: ["—", "—"] for field in (entry.changes or {})}
        entry.save(update_fields=["changes"])
    PersonFlag.objects.filter(person=person).update(note="", resolution="")
    VerificationCode.objects.filter(person=person).delete()
    user = scope.actor
    PersonHistory.objects.create(person=person, action=PersonHistory.Action.ERASED, actor=user, at=now, changes={})
    person_erased.send(sender=Person, person_id=person.pk, actor=user)
    audit_log(scope=scope, action=AuditLog.Action.PERSON_ERASE, target=person, detail={"reason": reason})
    return person
