"""The cell's configuration: time limits and calendar, departments and their ministers, routing rules.

All of it is data, changed by the state convener (``Reach.may_configure``) through these services, from
the web form, the admin or the API alike. ``grievances_seed_defaults`` loads the defaults idempotently.
"""

from __future__ import annotations

from datetime import date

from django.db import transaction
from django.utils.translation import gettext as _

from sangathan.core.errors import DomainError, PermissionDenied, check_length
from sangathan.grievances.enums import AssignmentRole, AssignmentStrategy, GrievanceKind
from sangathan.grievances.models import CellSettings, Department, Holiday, RoutingRule
from sangathan.grievances.policies import SAHYOG_WING, grievance_reach
from sangathan.org.models import Level, Post, Wing

SETTINGS_FIELDS = ("district_days", "state_days", "minister_days", "reminder_days", "confirmation_days",
                   "weekly_off", "state_assignment", "attachment_max_mb")

# kind, post, wing, role, order: the seed's rule — organizational problems to the district president and
# in-charge with the district convener watching; administrative ones to the district Sahyog Cell.
DEFAULT_RULES = [
    (GrievanceKind.ORGANIZATIONAL, "president", None, AssignmentRole.ASSIGNEE, 10),
    (GrievanceKind.ORGANIZATIONAL, "incharge", None, AssignmentRole.ASSIGNEE, 20),
    (GrievanceKind.ORGANIZATIONAL, "convener", SAHYOG_WING, AssignmentRole.WATCHER, 30),
    (GrievanceKind.ADMINISTRATIVE, "convener", SAHYOG_WING, AssignmentRole.ASSIGNEE, 10),
    (GrievanceKind.ADMINISTRATIVE, "president", None, AssignmentRole.WATCHER, 20),
]


def cell_settings() -> CellSettings:
    settings, _created = CellSettings.objects.get_or_create(pk=1)
    return settings


def _require_configure(actor) -> None:
    if actor is not None and not grievance_reach(actor).may_configure:
        raise PermissionDenied(_("Only the state convener of the Sahyog Cell may change this."))


@transaction.atomic
def cell_settings_update(*, actor, **changes) -> CellSettings:
    """Change the time limits, calendar or assignment rule (any of ``SETTINGS_FIELDS``)."""
    _require_configure(actor)
    unknown = set(changes) - set(SETTINGS_FIELDS)
    if unknown:
        raise DomainError(_("Unknown field: %(names)s.") % {"names": ", ".join(sorted(unknown))})
    settings = CellSettings.objects.select_for_update().get(pk=cell_settings().pk)
    for name in ("district_days", "state_days", "minister_days", "confirmation_days", "attachment_max_mb"):
        if name in changes and not (1 <= int(changes[name]) <= 365):
            raise DomainError(_("Give a number of days between 1 and 365."), field=name)
    if "reminder_days" in changes and not 0 <= int(changes["reminder_days"]) <= 30:
        raise DomainError(_("Give a number of days between 0 and 30."), field="reminder_days")
    if "weekly_off" in changes:
        parts = [p.strip() for p in str(changes["weekly_off"]).split(",") if p.strip()]
        if not all(p.isdigit() and int(p) <= 6 for p in parts) or len(set(parts)) > 6:
            raise DomainError(_("Weekly offs are weekday numbers 0 (Monday) to 6 (Sunday), at most six."),
                              field="weekly_off")
        changes["weekly_off"] = ",".join(sorted(set(parts)))
    if "state_assignment" in changes and changes["state_assignment"] not in AssignmentStrategy.values:
        raise DomainError(_("Unknown way of sharing cases."), field="state_assignment")
    for name, value in changes.items():
        setattr(settings, name, value)
    settings.save()
    return settings


def _clean_department(code: str, name_hi: str, name_en: str, external_system: str, external_days: int) -> None:
    if not (code or "").strip():
        raise DomainError(_("A department needs a code."), code="required", field="code")
    if not (name_hi or "").strip():
        raise DomainError(_("A department needs a Hindi name."), code="required", field="name_hi")
    check_length(name_hi, field="name_hi", max_length=200)
    check_length(name_en, field="name_en", max_length=200)
    check_length(external_system, field="external_system", max_length=80)
    if not 1 <= int(external_days) <= 365:
        raise DomainError(_("Give a number of days between 1 and 365."), field="external_days")


@transaction.atomic
def department_create(*, actor, code: str, name_hi: str, name_en: str = "", external_system: str = "",
                      external_days: int = 21, minister=None) -> Department:
    _require_configure(actor)
    _clean_department(code, name_hi, name_en, external_system, external_days)
    if Department.objects.filter(code=code).exists():
        raise DomainError(_("A department with this code exists."), code="duplicate", field="code")
    return Department.objects.create(code=code.strip(), name_hi=name_hi.strip(), name_en=(name_en or "").strip(),
                                     external_system=external_system, external_days=external_days,
                                     minister=minister)


@transaction.atomic
def department_update(*, actor, department: Department, **changes) -> Department:
    """Change a department's names, system, time limit, minister (``minister=None`` clears) or activity."""
    _require_configure(actor)
    allowed = {"name_hi", "name_en", "external_system", "external_days", "minister", "is_active"}
    unknown = set(changes) - allowed
    if unknown:
        raise DomainError(_("Unknown field: %(names)s.") % {"names": ", ".join(sorted(unknown))})
    department = Department.objects.select_for_update().get(pk=department.pk)
    for name, value in changes.items():
        setattr(department, name, value)
    _clean_department(department.code, department.name_hi, department.name_en, department.external_system,
                      department.external_days)
    department.save()
    return department


@transaction.atomic
def routing_rule_create(*, actor, kind: str, post: Post, unit_level: str = "district", wing: Wing | None = None,
                        department: Department | None = None, role: str = AssignmentRole.ASSIGNEE,
                        order: int = 10) -> RoutingRule:
    """Add a rule: grievances of ``kind`` (and ``department``) go to holders of ``post`` at ``unit_level``."""
    _require_configure(actor)
    if kind not in GrievanceKind.values:
        raise DomainError(_("Unknown kind of grievance."), field="kind")
    if role not in AssignmentRole.values:
        raise DomainError(_("Unknown role."), field="role")
    if not Level.objects.filter(code=unit_level).exists():
        raise DomainError(_("Unknown level."), field="unit_level")
    return RoutingRule.objects.create(kind=kind, post=post, unit_level=unit_level, wing=wing,
                                      department=department, role=role, order=order)


@transaction.atomic
def routing_rule_set_active(*, actor, rule: RoutingRule, is_active: bool) -> RoutingRule:
    _require_configure(actor)
    RoutingRule.objects.filter(pk=rule.pk).update(is_active=is_active)
    rule.is_active = is_active
    return rule


@transaction.atomic
def holiday_add(*, actor, on: date, name_hi: str, name_en: str = "") -> Holiday:
    _require_configure(actor)
    if not (name_hi or "").strip():
        raise DomainError(_("Name the holiday."), code="required", field="name_hi")
    holiday, created = Holiday.objects.get_or_create(date=on, defaults={"name_hi": name_hi, "name_en": name_en})
    if not created:
        raise DomainError(_("This day is already a holiday."), code="duplicate", field="date")
    return holiday


@transaction.atomic
def holiday_remove(*, actor, on: date) -> bool:
    _require_configure(actor)
    deleted, _rows = Holiday.objects.filter(date=on).delete()
    return bool(deleted)


@transaction.atomic
def grievances_seed_defaults() -> None:
    """The settings row, the default routing rules and the message templates (idempotent)."""
    from sangathan.grievances.services.notify import templates_seed

    cell_settings()
    if not RoutingRule.objects.exists():
        posts = {post.code: post for post in Post.objects.filter(code__in={r[1] for r in DEFAULT_RULES})}
        wings = {wing.code: wing for wing in Wing.objects.filter(code=SAHYOG_WING)}
        for kind, post, wing, role, order in DEFAULT_RULES:
            if post in posts and (wing is None or wing in wings):
                RoutingRule.objects.create(kind=kind, post=posts[post], wing=wings.get(wing) if wing else None,
                                           unit_level="district", role=role, order=order)
    templates_seed()
