"""The cell's configuration: time limits and calendar, departments and their ministers, routing rules.

All of it is data, changed by the state convener (``policies.may_configure``) through these actions, from
the admin or a command alike; each change leaves an audit row (codes in ``AUDIT_ACTIONS``).
``grievances_seed_defaults`` loads the defaults idempotently.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Any, ClassVar

from django.db import transaction
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from sangathan.access.scope import Scope
from sangathan.access.services import audit_log
from sangathan.core.actions import Action
from sangathan.core.errors import DomainError, PermissionDenied, check_length
from sangathan.grievances.enums import AssignmentRole, AssignmentStrategy, GrievanceKind
from sangathan.grievances.models import CellSettings, Department, Holiday, RoutingRule
from sangathan.grievances.policies import SAHYOG_WING, may_configure
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


AUDIT_ACTIONS = {
    "grievances.settings_update": gettext_lazy("Changed the Sahyog Cell's settings"),
    "grievances.department_create": gettext_lazy("Added a department"),
    "grievances.department_update": gettext_lazy("Changed a department"),
    "grievances.routing_rule_create": gettext_lazy("Added a routing rule"),
    "grievances.routing_rule_set_active": gettext_lazy("Switched a routing rule on or off"),
    "grievances.holiday_add": gettext_lazy("Added a holiday"),
    "grievances.holiday_remove": gettext_lazy("Removed a holiday"),
}


def _plain(value: Any) -> Any:
    """A value as the audit row's JSON keeps it (a row by its id)."""
    if value is None or isinstance(value, bool | int | float | str):
        return value
    return getattr(value, "pk", None) if hasattr(value, "pk") else str(value)


@dataclass(kw_only=True)
class ConfigAction(Action):
    """A change to the cell's configuration: the state convener's; audited with ``detail()``."""

    def check(self) -> None:
        if not may_configure(self.scope):
            raise PermissionDenied(_("Only the state convener of the Sahyog Cell may change this."))
        self.validate()

    def validate(self) -> None:
        """The action's own validation (no writes)."""

    def detail(self) -> dict:
        return {}

    def log(self, result) -> None:
        audit_log(scope=self.scope, action=self.name, target=result if hasattr(result, "pk") else None,
                  detail={k: _plain(v) for k, v in self.detail().items()})


def _clean_settings(changes: dict) -> dict:
    unknown = set(changes) - set(SETTINGS_FIELDS)
    if unknown:
        raise DomainError(_("Unknown field: %(names)s.") % {"names": ", ".join(sorted(unknown))})
    cleaned = dict(changes)
    for name in ("district_days", "state_days", "minister_days", "confirmation_days", "attachment_max_mb"):
        if name in cleaned and not (1 <= int(cleaned[name]) <= 365):
            raise DomainError(_("Give a number of days between 1 and 365."), field=name)
    if "reminder_days" in cleaned and not 0 <= int(cleaned["reminder_days"]) <= 30:
        raise DomainError(_("Give a number of days between 0 and 30."), field="reminder_days")
    if "weekly_off" in cleaned:
        parts = [p.strip() for p in str(cleaned["weekly_off"]).split(",") if p.strip()]
        if not all(p.isdigit() and int(p) <= 6 for p in parts) or len(set(parts)) > 6:
            raise DomainError(_("Weekly offs are weekday numbers 0 (Monday) to 6 (Sunday), at most six."),
                              field="weekly_off")
        cleaned["weekly_off"] = ",".join(sorted(set(parts)))
    if "state_assignment" in cleaned and cleaned["state_assignment"] not in AssignmentStrategy.values:
        raise DomainError(_("Unknown way of sharing cases."), field="state_assignment")
    return cleaned


@dataclass(kw_only=True)
class CellSettingsUpdate(ConfigAction):
    """Change the time limits, calendar or assignment rule (any of ``SETTINGS_FIELDS``)."""

    changes: dict = field(default_factory=dict)
    name: ClassVar[str] = "grievances.settings_update"

    def validate(self) -> None:
        _clean_settings(self.changes)

    def perform(self) -> CellSettings:
        settings = CellSettings.objects.select_for_update().get(pk=cell_settings().pk)
        for name, value in _clean_settings(self.changes).items():
            setattr(settings, name, value)
        settings.save()
        return settings

    def detail(self) -> dict:
        return self.changes


def cell_settings_update(*, scope: Scope, **changes) -> CellSettings:
    return CellSettingsUpdate.run(scope=scope, changes=changes)


def _clean_department(code: str, name_hi: str, name_en: str, external_system: str, external_days: int) -> None:
    if not (code or "").strip():
        raise DomainError(_("A department needs a code."), code="required", field="code")
    if not (name_hi or "").strip():
        raise DomainError(_("A department needs a Hindi name."), code="required", field="name_hi")
    check_length(name_hi, field="name_hi", max_length=200)
    check_length(name_en or "", field="name_en", max_length=200)
    check_length(external_system or "", field="external_system", max_length=80)
    if not 1 <= int(external_days) <= 365:
        raise DomainError(_("Give a number of days between 1 and 365."), field="external_days")


@dataclass(kw_only=True)
class DepartmentCreate(ConfigAction):
    code: str
    name_hi: str
    name_en: str = ""
    external_system: str = ""
    external_days: int = 21
    minister: Any = None
    name: ClassVar[str] = "grievances.department_create"

    def validate(self) -> None:
        _clean_department(self.code, self.name_hi, self.name_en, self.external_system, self.external_days)
        if Department.objects.filter(code=self.code.strip()).exists():
            raise DomainError(_("A department with this code exists."), code="duplicate", field="code")

    def perform(self) -> Department:
        return Department.objects.create(code=self.code.strip(), name_hi=self.name_hi.strip(),
                                         name_en=(self.name_en or "").strip(),
                                         external_system=self.external_system or "",
                                         external_days=self.external_days, minister=self.minister)

    def detail(self) -> dict:
        return {"code": self.code, "name_hi": self.name_hi, "external_days": self.external_days,
                "minister": self.minister}


department_create = DepartmentCreate.run

DEPARTMENT_CHANGEABLE = {"name_hi", "name_en", "external_system", "external_days", "minister", "is_active"}


@dataclass(kw_only=True)
class DepartmentUpdate(ConfigAction):
    """Change a department's names, system, time limit, minister (``minister=None`` clears) or activity."""

    department: Department
    changes: dict = field(default_factory=dict)
    name: ClassVar[str] = "grievances.department_update"

    def validate(self) -> None:
        unknown = set(self.changes) - DEPARTMENT_CHANGEABLE
        if unknown:
            raise DomainError(_("Unknown field: %(names)s.") % {"names": ", ".join(sorted(unknown))})
        merged = {name: getattr(self.department, name) for name in
                  ("code", "name_hi", "name_en", "external_system", "external_days")}
        merged.update({k: v for k, v in self.changes.items() if k in merged})
        _clean_department(**merged)

    def perform(self) -> Department:
        department = Department.objects.select_for_update().get(pk=self.department.pk)
        for name, value in self.changes.items():
            setattr(department, name, value)
        department.save()
        return department

    def detail(self) -> dict:
        return self.changes


def department_update(*, scope: Scope, department: Department, **changes) -> Department:
    return DepartmentUpdate.run(scope=scope, department=department, changes=changes)


@dataclass(kw_only=True)
class RoutingRuleCreate(ConfigAction):
    """Add a rule: grievances of ``kind`` (and ``department``) go to holders of ``post`` at ``unit_level``."""

    kind: str
    post: Post
    unit_level: str = "district"
    wing: Wing | None = None
    department: Department | None = None
    role: str = AssignmentRole.ASSIGNEE
    order: int = 10
    name: ClassVar[str] = "grievances.routing_rule_create"

    def validate(self) -> None:
        if self.kind not in GrievanceKind.values:
            raise DomainError(_("Unknown kind of grievance."), field="kind")
        if self.role not in AssignmentRole.values:
            raise DomainError(_("Unknown role."), field="role")
        if not Level.objects.filter(code=self.unit_level).exists():
            raise DomainError(_("Unknown level."), field="unit_level")

    def perform(self) -> RoutingRule:
        return RoutingRule.objects.create(kind=self.kind, post=self.post, unit_level=self.unit_level, wing=self.wing,
                                          department=self.department, role=self.role, order=self.order)

    def detail(self) -> dict:
        return {"kind": self.kind, "post": self.post, "unit_level": self.unit_level, "wing": self.wing,
                "department": self.department, "role": self.role, "order": self.order}


routing_rule_create = RoutingRuleCreate.run


@dataclass(kw_only=True)
class RoutingRuleSetActive(ConfigAction):
    rule: RoutingRule
    is_active: bool
    name: ClassVar[str] = "grievances.routing_rule_set_active"

    def perform(self) -> RoutingRule:
        RoutingRule.objects.filter(pk=self.rule.pk).update(is_active=self.is_active)
        self.rule.is_active = self.is_active
        return self.rule

    def detail(self) -> dict:
        return {"is_active": self.is_active}


routing_rule_set_active = RoutingRuleSetActive.run


@dataclass(kw_only=True)
class HolidayAdd(ConfigAction):
    on: date
    name_hi: str
    name_en: str = ""
    name: ClassVar[str] = "grievances.holiday_add"

    def validate(self) -> None:
        if self.on is None:
            raise DomainError(_("Give the date."), code="required", field="date")
        if not (self.name_hi or "").strip():
            raise DomainError(_("Name the holiday."), code="required", field="name_hi")
        if Holiday.objects.filter(date=self.on).exists():
            raise DomainError(_("This day is already a holiday."), code="duplicate", field="date")

    def perform(self) -> Holiday:
        return Holiday.objects.create(date=self.on, name_hi=self.name_hi, name_en=self.name_en or "")

    def detail(self) -> dict:
        return {"date": self.on.isoformat(), "name_hi": self.name_hi}


holiday_add = HolidayAdd.run


@dataclass(kw_only=True)
class HolidayRemove(ConfigAction):
    on: date
    name: ClassVar[str] = "grievances.holiday_remove"

    def perform(self) -> bool:
        deleted, _rows = Holiday.objects.filter(date=self.on).delete()
        return bool(deleted)

    def detail(self) -> dict:
        return {"date": self.on.isoformat()}


holiday_remove = HolidayRemove.run


@transaction.atomic
def grievances_seed_defaults(*, scope: Scope) -> None:
    """The settings row, the default routing rules and the message templates (idempotent). Defaults are
    the installation's, so the system writes them whoever's action needs them first."""
    from sangathan.grievances.services.notify import templates_seed

    cell_settings()
    if not RoutingRule.objects.exists():
        posts = {post.code: post for post in Post.objects.filter(code__in={r[1] for r in DEFAULT_RULES})}
        wings = {wing.code: wing for wing in Wing.objects.filter(code=SAHYOG_WING)}
        for kind, post, wing, role, order in DEFAULT_RULES:
            if post in posts and (wing is None or wing in wings):
                RoutingRule.objects.create(kind=kind, post=posts[post], wing=wings.get(wing) if wing else None,
                                           unit_level="district", role=role, order=order)
    templates_seed(scope=scope)
