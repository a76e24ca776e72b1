"""Offices and their weekly sitting days (पदाधिकारियों के बैठने के दिन)."""

from datetime import time

from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils.translation import gettext as _

from sangathan.access.scope import Scope
from sangathan.access.services import audit_log
from sangathan.core.errors import DomainError, check_length
from sangathan.core.tree import ancestor_paths, subtree_q
from sangathan.org.models import Position, Unit
from sangathan.rosters.enums import OfficeKind, RosterChangeKind, Weekday
from sangathan.rosters.models import Office, SittingDay
from sangathan.rosters.services.common import check_manage, record_change


def _clean_name(name: str, address: str) -> tuple[str, str]:
    name = (name or "").strip()
    address = (address or "").strip()
    if not name:
        raise DomainError(_("Give the office a name."), code="required", field="name")
    check_length(name, field="name", max_length=200, label=_("Name"))
    check_length(address, field="address", max_length=300, label=_("Address"))
    return name, address


@transaction.atomic
def office_create(*, scope: Scope, unit: Unit, name: str, address: str = "") -> Office:
    """Open an office for ``unit``. A state unit's office is the state office (with the minister roster).
    Audited (``rosters.office_create``)."""
    check_manage(scope=scope, unit_path=unit.path)
    name, address = _clean_name(name, address)
    if Office.objects.filter(unit=unit, name=name).exists():
        raise DomainError(_("This unit already has an office of this name."), code="duplicate", field="name")
    kind = OfficeKind.STATE if unit.parent_id is None else OfficeKind.DISTRICT
    office = Office.objects.create(unit=unit, unit_path=unit.path, kind=kind, name=name, address=address)
    audit_log(scope=scope, action="rosters.office_create", target=office, detail={"name": name, "kind": kind})
    return office


@transaction.atomic
def office_update(*, scope: Scope, office: Office, name: str | None = None, address: str | None = None,
                  is_active: bool | None = None) -> Office:
    check_manage(scope=scope, unit_path=office.unit_path)
    office = Office.objects.select_for_update().get(pk=office.pk)
    new_name, new_address = _clean_name(office.name if name is None else name,
                                        office.address if address is None else address)
    if Office.objects.filter(unit_id=office.unit_id, name=new_name).exclude(pk=office.pk).exists():
        raise DomainError(_("This unit already has an office of this name."), code="duplicate", field="name")
    office.name, office.address = new_name, new_address
    if is_active is not None:
        office.is_active = is_active
    office.save()
    audit_log(scope=scope, action="rosters.office_update", target=office,
              detail={"name": office.name, "address": office.address, "is_active": office.is_active})
    return office


def _check_hours(starts_at: time | None, ends_at: time | None) -> None:
    if starts_at is None:
        raise DomainError(_("Give the time the sitting starts."), code="required", field="starts_at")
    if ends_at is None:
        raise DomainError(_("Give the time the sitting ends."), code="required", field="ends_at")
    if ends_at <= starts_at:
        raise DomainError(_("The sitting must end after it starts."), code="invalid", field="ends_at")


def holds_post_on_ladder(person, unit_path: str) -> bool:
    """The person holds a current post at this unit, above it or below it: an office-bearer of its ladder."""
    return Position.objects.current().filter(person=person).filter(
        Q(unit__path__in=[*ancestor_paths(unit_path), unit_path]) | subtree_q("unit_path", unit_path)).exists()


@transaction.atomic
def sitting_day_add(*, scope: Scope, office: Office, person, weekday: int, starts_at: time | None,
                    ends_at: time | None, note: str = "") -> SittingDay:
    """``person`` sits at ``office`` every ``weekday`` (0 = Monday) from ``starts_at`` to ``ends_at``.

    The person must hold a current post on the office unit's ladder. Recorded as a roster change.
    """
    check_manage(scope=scope, unit_path=office.unit_path)
    if person is None:
        raise DomainError(_("Choose the office-bearer."), code="required", field="person")
    if weekday not in Weekday.values:
        raise DomainError(_("Choose a day of the week."), code="invalid", field="weekday")
    _check_hours(starts_at, ends_at)
    note = (note or "").strip()
    check_length(note, field="note", max_length=200, label=_("Note"))
    if not holds_post_on_ladder(person, office.unit_path):
        raise DomainError(_("Only an office-bearer of this unit can be given a sitting day here."),
                          code="not_office_bearer", field="person")
    if SittingDay.objects.filter(office=office, person=person, weekday=weekday).exists():
        raise DomainError(_("This office-bearer already sits here on that day."), code="duplicate", field="weekday")
    try:
        with transaction.atomic():
            day = SittingDay.objects.create(office=office, person=person, weekday=weekday, starts_at=starts_at,
                                            ends_at=ends_at, note=note)
    except IntegrityError:
        raise DomainError(_("This office-bearer already sits here on that day."), code="duplicate",
                          field="weekday") from None
    record_change(office=office, kind=RosterChangeKind.SITTING_ADDED, scope=scope, to_person=person,
                  detail={"weekday": weekday, "starts_at": starts_at.strftime("%H:%M"),
                          "ends_at": ends_at.strftime("%H:%M")})
    return day


@transaction.atomic
def sitting_day_remove(*, scope: Scope, sitting_day: SittingDay, reason: str = "") -> None:
    office = sitting_day.office
    check_manage(scope=scope, unit_path=office.unit_path)
    record_change(office=office, kind=RosterChangeKind.SITTING_REMOVED, scope=scope, reason=reason,
                  from_person=sitting_day.person,
                  detail={"weekday": sitting_day.weekday, "starts_at": sitting_day.starts_at.strftime("%H:%M"),
                          "ends_at": sitting_day.ends_at.strftime("%H:%M")})
    sitting_day.delete()
