"""The list, the departments, intake, one grievance and its files."""

from django.utils.translation import gettext as _
from ninja import File, Query, Status
from ninja.files import UploadedFile
from ninja.pagination import paginate

from sangathan.access.scope import scope_for_request
from sangathan.core.errors import DomainError, NotFound
from sangathan.core.pagination import PagePagination
from sangathan.core.schemas import Error, ObjectId
from sangathan.grievances.api.router import router
from sangathan.grievances.api.schemas import (
    DepartmentOut,
    GrievanceFilters,
    GrievanceIn,
    GrievanceListItem,
    GrievanceOut,
    grievance_out,
)
from sangathan.grievances.models import Department
from sangathan.grievances.selectors import grievance_get_for_actor, grievance_list
from sangathan.grievances.services import grievance_attach, grievance_create
from sangathan.grievances.services.common import is_minister
from sangathan.org.selectors import unit_get_for_actor
from sangathan.people.models import Person
from sangathan.people.selectors import person_get_for_actor


def detail(request, grievance_id) -> dict:
    """The grievance as the caller may see it now (a read: audited by the fetch)."""
    return grievance_out(grievance_get_for_actor(grievance_id, scope_for_request(request)))


def _person(request, person_id: int) -> Person:
    """A complainant or a named office-bearer: a person in the caller's scope, or a department's minister."""
    person = Person.objects.filter(pk=person_id).first()
    if person is not None and is_minister(person):
        return person
    try:
        return person_get_for_actor(person_id, scope_for_request(request), audit=False)
    except NotFound:
        raise NotFound(_("No such person."), field="person") from None


@router.get("", response={200: list[GrievanceListItem], 400: Error, 404: Error})
@paginate(PagePagination)
def grievance_index(request, filters: Query[GrievanceFilters]):
    """Grievances the caller may see, newest first."""
    scope = scope_for_request(request)
    unit = unit_get_for_actor(filters.unit, scope) if filters.unit else None
    department = None
    if filters.department:
        department = Department.objects.filter(code=filters.department).first()
        if department is None:
            raise DomainError(_("Unknown department."), code="unknown_department", field="department")
    return grievance_list(scope=scope, status=filters.status, level=filters.level, kind=filters.kind,
                          department=department, unit=unit, overdue=filters.overdue, assigned_to_me=filters.mine,
                          q=filters.q, open_only=filters.open)


@router.get("/departments", response=list[DepartmentOut])
def department_index(request):
    """The departments grievances can be forwarded to, with their time limits and ministers."""
    return list(Department.objects.filter(is_active=True).order_by("code"))


@router.post("", response={201: GrievanceOut, 400: Error, 403: Error, 404: Error})
def grievance_add(request, payload: GrievanceIn):
    """Take a grievance (without files; add them with POST /{id}/attachments)."""
    scope = scope_for_request(request)
    try:
        unit = unit_get_for_actor(payload.unit, scope)
    except NotFound:
        raise NotFound(_("No such unit."), field="unit") from None
    complainant = _person(request, payload.complainant) if payload.complainant else None
    named = _person(request, payload.named_person) if payload.named_person else None
    grievance = grievance_create(
        scope=scope, unit=unit, channel=payload.channel, kind=payload.kind, subject=payload.subject,
        description=payload.description, complainant=complainant, complainant_name=payload.complainant_name,
        complainant_mobile=payload.complainant_mobile, department=payload.department or None,
        priority=payload.priority, named_person=named, is_policy_matter=payload.is_policy_matter)
    return Status(201, grievance_out(grievance))


@router.get("/{grievance_id}", response={200: GrievanceOut, 404: Error})
def grievance_detail(request, grievance_id: ObjectId):
    """A grievance with its assignees and timeline. The read is written to the audit log."""
    return detail(request, grievance_id)


@router.post("/{grievance_id}/attachments", response={201: GrievanceOut, 400: Error, 403: Error, 404: Error})
def grievance_attach_api(request, grievance_id: ObjectId, file: File[UploadedFile]):
    """Attach a document or photo (PDF, JPEG, PNG, WebP; size limit from the cell's settings)."""
    grievance_attach(scope=scope_for_request(request), grievance=grievance_id, files=[file], field="file")
    return Status(201, detail(request, grievance_id))
