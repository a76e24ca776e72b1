"""Taking a grievance: validate everything, then write the grievance, its files, its routing and the
acknowledgement in one transaction (nothing is written when anything is wrong)."""

from __future__ import annotations

import re
from difflib import SequenceMatcher

from django.db import transaction
from django.utils.translation import gettext as _

from sangathan.access.scope import Scope
from sangathan.core import clock
from sangathan.core.errors import DomainError, FieldErrors, PermissionDenied, check_length
from sangathan.core.phones import normalize_mobile
from sangathan.core.uploads import DOCUMENT_KINDS, CheckedUpload, check_upload
from sangathan.grievances.codes import new_tracking_code
from sangathan.grievances.enums import (
    OPEN_STATUSES,
    EventKind,
    GrievanceChannel,
    GrievanceKind,
    GrievanceLevel,
    GrievancePriority,
    GrievanceStatus,
)
from sangathan.grievances.models import Department, Grievance, GrievanceAttachment
from sangathan.grievances.policies import grievance_scope
from sangathan.grievances.services.common import lock_for_write
from sangathan.grievances.services.config import cell_settings
from sangathan.grievances.services.events import event_add
from sangathan.grievances.services.notify import notify_complainant
from sangathan.grievances.services.routing import district_of, route_new
from sangathan.grievances.services.sla import sla_start
from sangathan.org.models import Unit
from sangathan.people.models import Person

MAX_ATTACHMENTS = 5
SUBJECT_MAX = 200
DESCRIPTION_MAX = 5000
SIMILAR_SUBJECT = 0.8


def _department(value) -> Department | None:
    if value in (None, ""):
        return None
    if isinstance(value, Department):
        department = value if value.is_active else None
    else:
        lookup = {"pk": value} if isinstance(value, int) or str(value).isdigit() else {"code": str(value)}
        department = Department.objects.filter(is_active=True, **lookup).first()
    if department is None:
        raise DomainError(_("Unknown department."), code="unknown_department", field="department")
    return department


def _subject_key(text: str) -> str:
    return re.sub(r"\W+", " ", (text or "").casefold()).strip()


def similar_subjects(a: str, b: str) -> bool:
    ka, kb = _subject_key(a), _subject_key(b)
    if not ka or not kb:
        return False
    return ka in kb or kb in ka or SequenceMatcher(None, ka, kb).ratio() >= SIMILAR_SUBJECT


def duplicate_candidate(*, mobile: str, subject: str, exclude_id: int | None = None) -> Grievance | None:
    """An open grievance of the same complainant with a similar subject (flagged, never refused)."""
    candidates = (Grievance.objects.filter(complainant_mobile=mobile, status__in=OPEN_STATUSES)
                  .exclude(pk=exclude_id).order_by("-created_at")[:20])
    return next((g for g in candidates if similar_subjects(g.subject, subject)), None)


def attachments_check(attachments, *, field: str = "attachments") -> list[tuple[object, CheckedUpload]]:
    attachments = [a for a in (attachments or ()) if a is not None]
    if len(attachments) > MAX_ATTACHMENTS:
        raise DomainError(_("At most %(n)d files.") % {"n": MAX_ATTACHMENTS}, code="too_many", field=field)
    max_bytes = cell_settings().attachment_max_mb * 1024 * 1024
    return [(upload, check_upload(upload, kinds=DOCUMENT_KINDS, max_bytes=max_bytes, field=field))
            for upload in attachments]


def attachments_store(*, grievance: Grievance, checked, scope: Scope, is_evidence: bool = False) -> list[GrievanceAttachment]:
    actor = scope.actor
    stored = []
    for upload, info in checked:
        name = (getattr(upload, "name", "") or "file").rsplit("/", 1)[-1][:150]
        attachment = GrievanceAttachment(grievance=grievance, original_name=name, kind=info.kind, size=info.size,
                                         is_evidence=is_evidence,
                                         uploaded_by=actor if getattr(actor, "is_authenticated", False) else None)
        attachment.file.save(f"{attachment_stem(name)}.{info.extension}", upload, save=False)
        attachment.save()
        event_add(scope=scope, grievance=grievance, kind=EventKind.ATTACHMENT,
                  data={"attachment": attachment.pk, "name": name, "evidence": is_evidence})
        stored.append(attachment)
    return stored


def attachment_stem(name: str) -> str:
    stem = name.rsplit(".", 1)[0]
    return re.sub(r"[^A-Za-z0-9_-]+", "-", stem).strip("-")[:40] or "file"


def _complainant(complainant, name: str, mobile: str, errors: FieldErrors) -> tuple[Person | None, str, str]:
    if complainant is not None:
        return complainant, complainant.name, complainant.mobile
    name = (name or "").strip()
    if not name:
        errors.add("complainant_name", _("Enter the complainant's name."), code="required")
    with errors.collect("complainant_name"):
        check_length(name, field="complainant_name", max_length=150)
    if not (mobile or "").strip():
        errors.add("complainant_mobile", _("Enter the complainant's mobile number."), code="required")
        return None, name, ""
    try:
        mobile = normalize_mobile(mobile)
    except DomainError as error:
        errors.add("complainant_mobile", error.message, code=error.code)
        return None, name, ""
    # A walk-in whose number is in the registry is that person.
    return Person.objects.filter(mobile=mobile).first(), name, mobile


def intake_check(*, scope: Scope, unit: Unit | None, channel: str, kind: str, subject: str, description: str,
                 complainant: Person | None = None, complainant_name: str = "", complainant_mobile: str = "",
                 department=None, priority: str = GrievancePriority.NORMAL, attachments=(),
                 errors: FieldErrors | None = None) -> dict:
    """Every check of ``grievance_create``, no writes: the cleaned values, or one DomainError carrying every
    field's error (``errors`` may hold the caller's own, e.g. the intake form's named worker).
    PermissionDenied when the actor may not take grievances at ``unit``."""
    errors = errors if errors is not None else FieldErrors()
    if channel not in GrievanceChannel.values:
        errors.add("channel", _("Unknown channel."))
    if kind not in GrievanceKind.values:
        errors.add("kind", _("Choose administrative or organizational."))
    if priority not in GrievancePriority.values:
        errors.add("priority", _("Unknown priority."))
    district = None
    if unit is None:
        errors.add("unit", _("Choose the unit."), code="required")
    else:
        district = district_of(unit)
        if district is None:
            errors.add("unit", _("A grievance belongs to a district or a unit below it."))
        elif not grievance_scope(scope).can_write_path(unit.path):
            raise PermissionDenied(_("You may not take grievances for this unit."))
    subject = (subject or "").strip()
    description = (description or "").strip()
    if not subject:
        errors.add("subject", _("Enter the subject."), code="required")
    with errors.collect():
        check_length(subject, field="subject", max_length=SUBJECT_MAX)
    with errors.collect():
        check_length(description, field="description", max_length=DESCRIPTION_MAX)
    found = None
    with errors.collect():
        found = _department(department)
    if kind == GrievanceKind.ADMINISTRATIVE and found is None and "department" not in errors:
        errors.add("department", _("Choose the government department."), code="required")
    person, name, mobile = _complainant(complainant, complainant_name, complainant_mobile, errors)
    checked = []
    with errors.collect():
        checked = attachments_check(attachments)
    errors.raise_if_any()
    return {"district": district, "subject": subject, "description": description, "department": found,
            "person": person, "name": name, "mobile": mobile, "checked": checked}


@transaction.atomic
def grievance_create(*, scope: Scope, unit: Unit, channel: str, kind: str, subject: str, description: str,
                     complainant: Person | None = None, complainant_name: str = "", complainant_mobile: str = "",
                     department: Department | int | str | None = None,
                     priority: str = GrievancePriority.NORMAL, attachments=(), named_person: Person | None = None,
                     is_policy_matter: bool = False) -> Grievance:
    """Take a grievance at ``unit`` (a district or below).

    Writes the grievance, its attachments, a ``created`` event, a ``duplicate`` event when the same
    complainant has a similar open grievance, the assignments by the routing rules (around
    ``named_person``), and the acknowledgement to the complainant in the outbox. Bad input: one
    DomainError with every field's error (``intake_check``).
    """
    clean = intake_check(scope=scope, unit=unit, channel=channel, kind=kind, subject=subject,
                         description=description, complainant=complainant, complainant_name=complainant_name,
                         complainant_mobile=complainant_mobile, department=department, priority=priority,
                         attachments=attachments)
    district, subject, description = clean["district"], clean["subject"], clean["description"]
    department, person, name, mobile = clean["department"], clean["person"], clean["name"], clean["mobile"]
    checked = clean["checked"]

    actor = scope.actor
    now = clock.now()
    code = new_tracking_code()
    while Grievance.objects.filter(tracking_code=code).exists():
        code = new_tracking_code()
    grievance = Grievance(
        tracking_code=code, unit=unit, unit_path=unit.path, district=district, status=GrievanceStatus.OPEN,
        kind=kind, channel=channel, priority=priority, department=department, is_policy_matter=is_policy_matter,
        subject=subject, description=description, complainant=person, complainant_name=name,
        complainant_mobile=mobile, named_person=named_person,
        created_by=actor if getattr(actor, "is_authenticated", False) else None, created_at=now, updated_at=now,
    )
    sla_start(grievance, GrievanceLevel.DISTRICT)
    duplicate = duplicate_candidate(mobile=mobile, subject=subject)
    grievance.duplicate_of = duplicate
    grievance.save()
    event_add(scope=scope, grievance=grievance, kind=EventKind.CREATED, public=True,
              data={"channel": channel, "kind": kind})
    if duplicate is not None:
        event_add(scope=scope, grievance=grievance, kind=EventKind.DUPLICATE,
                  data={"grievance": duplicate.pk, "tracking_code": duplicate.tracking_code})
    attachments_store(grievance=grievance, checked=checked, scope=scope)
    route_new(grievance, scope=scope)
    notify_complainant(grievance=grievance, template_code="grievance_ack", context={"subject": subject[:60]},
                       key="ack", scope=scope)
    return grievance


@transaction.atomic
def grievance_attach(*, scope: Scope, grievance: Grievance | int, files, field: str = "attachments") -> Grievance:
    """Add documents or photos to a grievance the actor may act on; one ``attachment`` event each."""
    grievance = lock_for_write(grievance, scope)
    checked = attachments_check(files, field=field)
    attachments_store(grievance=grievance, checked=checked, scope=scope)
    return grievance
