"""The grievance register: every grievance the reader may see, filtered, sorted, paged and exported.

Reads only. Every query starts from ``selectors.grievances_visible(scope)`` (the one narrowing
``policies.grievance_scope`` plus assignees and recusal), so the register, its Excel file and its PDF can
never show more than the queue does. Each page and each export writes one audit row with the filters and
the number of grievances (``grievances.register`` / ``export``), like the people list.
"""

from __future__ import annotations

import datetime

from django import forms
from django.db.models import F, Prefetch, Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from sangathan.access.models import AuditLog
from sangathan.access.scope import Scope
from sangathan.access.services import audit_log
from sangathan.core import clock
from sangathan.core.phones import try_normalize_mobile
from sangathan.grievances.enums import (
    OPEN_STATUSES,
    AssignmentRole,
    GrievanceKind,
    GrievanceLevel,
    GrievanceStatus,
)
from sangathan.grievances.models import Department, Grievance, GrievanceAssignment
from sangathan.grievances.selectors import grievances_visible
from sangathan.people.models import Person

AUDIT_ACTION = "grievances.register"
ASSIGNEES_OFFERED = 300
STILL_OPEN = "still_open"
ME, NOBODY = "me", "none"
# Sort keys the register accepts (a leading "-" reverses): key → the columns, an id last for a stable order.
SORTS = {
    "code": ("tracking_code",),
    "created": ("created_at",),
    "subject": ("subject",),
    "unit": ("unit_path",),
    "kind": ("kind",),
    "level": ("level",),
    "status": ("status",),
    "due": ("due_at",),
}
DEFAULT_SORT = "-created"
# Dates a filter accepts: the day after the last one must still be a date.
FIRST_DAY_YEAR, LAST_DAY_YEAR = 1990, 2999


def _assignee_choices(scope: Scope) -> list[tuple[str, str]]:
    """Who works on grievances the reader sees (active assignees), by name; "me" and "nobody" first."""
    active = GrievanceAssignment.objects.filter(ended_at__isnull=True, role=AssignmentRole.ASSIGNEE,
                                                grievance__in=grievances_visible(scope).values("pk"))
    people = (Person.objects.filter(pk__in=active.values("person_id")).order_by("name")
              .values_list("pk", "name")[:ASSIGNEES_OFFERED])
    choices = [("", _("Anyone")), (NOBODY, _("Nobody yet"))]
    if scope.person_id:
        choices.insert(1, (ME, _("Me")))
    return choices + [(str(pk), name) for pk, name in people]


class RegisterForm(forms.Form):
    """The register's filters (a GET form); an invalid field is shown with its error and left out."""

    q = forms.CharField(required=False, max_length=100, label=_("Search"))
    status = forms.ChoiceField(required=False, label=_("Status"), choices=[
        ("", _("Any")), (STILL_OPEN, _("Still open (any)")), *GrievanceStatus.choices])
    level = forms.ChoiceField(required=False, label=pgettext_lazy("grievances", "Level"),
                              choices=[("", _("Any")), *GrievanceLevel.choices])
    kind = forms.ChoiceField(required=False, label=_("Category"), choices=[("", _("Any")), *GrievanceKind.choices])
    department = forms.ModelChoiceField(required=False, label=_("Department"), empty_label=_("Any"),
                                        queryset=Department.objects.order_by("name_hi"))
    date_from = forms.DateField(required=False, label=_("Taken from"),
                                widget=forms.DateInput(attrs={"type": "date"}))
    date_to = forms.DateField(required=False, label=_("Taken until"),
                              widget=forms.DateInput(attrs={"type": "date"}))
    overdue = forms.BooleanField(required=False, label=_("Overdue only"))
    assignee = forms.ChoiceField(required=False, label=_("Assigned to"))
    sort = forms.ChoiceField(required=False, choices=[(p + key, p + key) for key in SORTS for p in ("", "-")])

    def __init__(self, *args, scope: Scope, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["assignee"].choices = _assignee_choices(scope)

    def clean(self):
        data = super().clean()
        for name in ("date_from", "date_to"):
            if data.get(name) and not LAST_DAY_YEAR >= data[name].year >= FIRST_DAY_YEAR:
                self.add_error(name, _("Enter a date between the years %(first)s and %(last)s.")
                               % {"first": FIRST_DAY_YEAR, "last": LAST_DAY_YEAR})
        start, end = data.get("date_from"), data.get("date_to")
        if start and end and start > end:
            self.add_error("date_to", _("The end date comes before the start date."))
        return data

    def filters(self) -> dict:
        """The valid filters (``grievance_register``'s keywords); call after ``is_valid()``."""
        data = getattr(self, "cleaned_data", {}) if self.is_bound else {}
        return {name: data.get(name) for name in ("q", "status", "level", "kind", "department", "date_from",
                                                  "date_to", "overdue", "assignee")
                if data.get(name) not in (None, "", False)}

    def sort_key(self) -> str:
        data = getattr(self, "cleaned_data", {}) if self.is_bound else {}
        return data.get("sort") or DEFAULT_SORT


def _day_start(day: datetime.date) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time.min))


def _ordering(sort: str) -> list:
    descending = sort.startswith("-")
    columns = SORTS.get(sort.lstrip("-")) or SORTS["created"]
    order = [F(c).desc(nulls_last=True) if descending else F(c).asc(nulls_last=True) for c in columns]
    return [*order, "-id" if descending else "id"]


def grievance_register(*, scope: Scope, sort: str = DEFAULT_SORT, q: str = "", status: str = "", level: str = "",
                       kind: str = "", department: Department | None = None, date_from: datetime.date | None = None,
                       date_to: datetime.date | None = None, overdue: bool = False, assignee: str = ""
                       ) -> QuerySet[Grievance]:
    """The reader's grievances with the register's filters, in ``sort`` order (not audited: the page and
    the exports write their own row with ``register_audit``)."""
    grievances = grievances_visible(scope).select_related("unit", "district", "department")
    if status == STILL_OPEN:
        grievances = grievances.filter(status__in=OPEN_STATUSES)
    elif status:
        grievances = grievances.filter(status=status)
    if level:
        grievances = grievances.filter(level=level)
    if kind:
        grievances = grievances.filter(kind=kind)
    if department is not None:
        grievances = grievances.filter(department=department)
    if date_from:
        grievances = grievances.filter(created_at__gte=_day_start(date_from))
    if date_to:
        grievances = grievances.filter(created_at__lt=_day_start(date_to + datetime.timedelta(days=1)))
    if overdue:
        grievances = grievances.filter(status=GrievanceStatus.OPEN, due_at__lt=clock.now())
    if assignee:
        active = GrievanceAssignment.objects.filter(ended_at__isnull=True, role=AssignmentRole.ASSIGNEE)
        if assignee == NOBODY:
            grievances = grievances.exclude(pk__in=active.values("grievance_id"))
        else:
            person_id = scope.person_id if assignee == ME else int(assignee)
            grievances = grievances.filter(pk__in=active.filter(person_id=person_id or 0).values("grievance_id"))
    q = (q or "").strip()
    if q:
        query = Q(tracking_code__iexact=q) | Q(subject__icontains=q) | Q(complainant_name__icontains=q)
        mobile = try_normalize_mobile(q) if any(ch.isdigit() for ch in q) else None
        if mobile:
            query |= Q(complainant_mobile=mobile)
        grievances = grievances.filter(query)
    return grievances.order_by(*_ordering(sort))


def with_assignees(grievances: QuerySet[Grievance]) -> QuerySet[Grievance]:
    """``grievance.active_assignees``: the current assignees with their person, fetched per chunk or page."""
    active = (GrievanceAssignment.objects.filter(ended_at__isnull=True, role=AssignmentRole.ASSIGNEE)
              .select_related("person").order_by("assigned_at", "id"))
    return grievances.prefetch_related(Prefetch("assignments", queryset=active, to_attr="active_assignees"))


def describe(filters: dict) -> dict:
    """The filters as the audit row records them (codes and ids, not objects)."""
    return {name: (value.isoformat() if isinstance(value, datetime.date) else getattr(value, "code", value))
            for name, value in filters.items()}


def register_audit(*, scope: Scope, filters: dict, count: int, sort: str = "", fmt: str = "") -> None:
    """The read's audit row: ``grievances.register`` for a page, ``export`` for a file."""
    detail = {"filters": describe(filters), "sort": sort, "count": count}
    if fmt:
        audit_log(scope=scope, action=AuditLog.Action.EXPORT,
                  detail={"what": "grievances", "format": fmt, **detail})
    else:
        audit_log(scope=scope, action=AUDIT_ACTION, detail=detail)
