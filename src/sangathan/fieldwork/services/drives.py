"""Setting a drive up: the drive and its form, booth targets (with the booth's place), vistaraks'
assignments (with their login and write grant) and daily plans. Each an action with its audit row."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, time

from django.utils import timezone
from django.utils.translation import gettext as _

from sangathan.access.models import User
from sangathan.access.services import audit_log, scope_grant_create, user_create
from sangathan.core.actions import Action
from sangathan.core.errors import DomainError, FieldErrors
from sangathan.fieldwork.models import Assignment, BoothTarget, DailyPlan, Drive
from sangathan.fieldwork.policies import require_write
from sangathan.org.enums import Grant
from sangathan.people.imports.columns import BY_KEY

QUESTION_KINDS = ("text", "number", "yes_no")
# Person fields a drive's form may ask besides name and mobile (the import's optional columns).
FORM_FIELDS = ("relative_name", "relation", "gender", "birth_year", "epic", "alt_mobile", "email", "address",
               "occupation", "education", "joined_on")
MAX_QUESTIONS = 20


def _check_form(person_fields: list, questions: list, errors: FieldErrors) -> None:
    for name in person_fields:
        if name not in FORM_FIELDS or name not in BY_KEY:
            errors.add("person_fields", _("Unknown person field: %(name)s.") % {"name": name})
    if len(questions) > MAX_QUESTIONS:
        errors.add("questions", _("At most 20 extra questions."))
    codes = set()
    for question in questions:
        if not isinstance(question, dict) or not str(question.get("code", "")).strip() \
                or not str(question.get("label", "")).strip():
            errors.add("questions", _("Each question needs a code and a label."))
            continue
        if question.get("kind", "text") not in QUESTION_KINDS:
            errors.add("questions", _("A question is text, a number or yes/no."))
        if question["code"] in codes:
            errors.add("questions", _("Two questions have the code %(code)s.") % {"code": question["code"]})
        codes.add(question["code"])


@dataclass(kw_only=True)
class DriveCreate(Action):
    """A drive over ``unit``'s subtree from ``starts_on`` to ``ends_on``; write scope at ``unit``."""

    unit: object
    title: str
    starts_on: date
    ends_on: date
    consent_text: str
    person_fields: list = field(default_factory=list)
    questions: list = field(default_factory=list)
    otp_required: bool = False

    def check(self) -> None:
        require_write(self.scope, self.unit.path, _("You may not start a drive here."))
        errors = FieldErrors()
        if not self.title.strip():
            errors.add("name", _("Give the drive a name."))
        if self.ends_on < self.starts_on:
            errors.add("ends_on", _("The drive ends before it starts."))
        if not self.consent_text.strip():
            errors.add("consent_text", _("Write the consent text the worker agrees to."))
        _check_form(self.person_fields, self.questions, errors)
        errors.raise_if_any()

    def perform(self) -> Drive:
        return Drive.objects.create(
            name=self.title.strip(), unit=self.unit, unit_path=self.unit.path, starts_on=self.starts_on,
            ends_on=self.ends_on, consent_text=self.consent_text.strip(), person_fields=list(self.person_fields),
            questions=_clean_questions(self.questions),
            otp_required=self.otp_required, created_by_id=self.scope.user_id)

    def log(self, drive: Drive) -> None:
        audit_log(scope=self.scope, action="fieldwork.drive_create", target=drive, unit_path=drive.unit_path,
                  detail={"name": drive.name})


# What an edit of a drive may change (its unit stays: vistaraks' assignments and records hang under it).
DRIVE_EDITABLE = ("title", "starts_on", "ends_on", "consent_text", "person_fields", "questions", "otp_required")


@dataclass(kw_only=True)
class DriveUpdate(Action):
    """Change a drive's name, period or form; write scope at its unit, as to start it. ``changes`` maps
    names of ``DRIVE_EDITABLE`` to new values; the audit row keeps each changed field's before and after."""

    drive: Drive
    changes: dict = field(default_factory=dict)

    def check(self) -> None:
        unknown = set(self.changes) - set(DRIVE_EDITABLE)
        if unknown:
            raise DomainError(_("Unknown field."), field=sorted(unknown)[0])
        stored = Drive.objects.select_related("unit").get(pk=self.drive.pk)  # a form may have changed ``drive``
        current = {"title": stored.name, "starts_on": stored.starts_on, "ends_on": stored.ends_on,
                   "consent_text": stored.consent_text, "person_fields": stored.person_fields,
                   "questions": stored.questions, "otp_required": stored.otp_required}
        # The same checks (and permission) as starting the drive, on the drive as it would be.
        self._as_new = DriveCreate(scope=self.scope, unit=stored.unit, **{**current, **self.changes})
        self._as_new.check()
        self._before = current

    def perform(self) -> Drive:
        drive = Drive.objects.select_for_update().get(pk=self.drive.pk)
        made = self._as_new
        drive.name, drive.starts_on, drive.ends_on = made.title.strip(), made.starts_on, made.ends_on
        drive.consent_text, drive.person_fields = made.consent_text.strip(), list(made.person_fields)
        drive.questions = _clean_questions(made.questions)
        drive.otp_required = made.otp_required
        drive.save()
        return drive

    def log(self, drive: Drive) -> None:
        after = {"title": drive.name, "starts_on": drive.starts_on, "ends_on": drive.ends_on,
                 "consent_text": drive.consent_text, "person_fields": drive.person_fields,
                 "questions": drive.questions, "otp_required": drive.otp_required}
        changed = {k: [str(v) if hasattr(v, "isoformat") else v, str(after[k]) if hasattr(after[k], "isoformat")
                       else after[k]] for k, v in self._before.items() if v != after[k]}
        audit_log(scope=self.scope, action="fieldwork.drive_update", target=drive, unit_path=drive.unit_path,
                  detail={"changes": changed})


def _clean_questions(questions: list) -> list[dict]:
    return [{"code": str(q["code"]).strip(), "label": str(q["label"]).strip(), "kind": q.get("kind", "text"),
             "required": bool(q.get("required"))} for q in questions]


def _require_in_drive(drive: Drive, unit) -> None:
    if not unit.path.startswith(drive.unit_path):
        raise DomainError(_("This unit is outside the drive's area."), field="unit")


@dataclass(kw_only=True)
class BoothTargetSet(Action):
    """How many workers to record at ``booth`` and, optionally, where the booth is."""

    drive: Drive
    booth: object
    target: int
    lat: float | None = None
    lng: float | None = None

    def check(self) -> None:
        require_write(self.scope, self.booth.path, _("You may not set targets here."))
        _require_in_drive(self.drive, self.booth)
        errors = FieldErrors()
        if self.booth.level != "booth":
            errors.add("booth", _("Choose a booth."))
        if not 0 <= self.target <= 100_000:
            errors.add("target", _("Give a target between 0 and 100000."))
        if (self.lat is None) != (self.lng is None):
            errors.add("lat", _("Give both latitude and longitude, or neither."))
        elif self.lat is not None and not (-90 <= self.lat <= 90 and -180 <= self.lng <= 180):
            errors.add("lat", _("Not a place on Earth."))
        errors.raise_if_any()

    def perform(self) -> BoothTarget:
        row, _created = BoothTarget.objects.update_or_create(
            drive=self.drive, booth=self.booth,
            defaults={"unit_path": self.booth.path, "target": self.target, "lat": self.lat, "lng": self.lng})
        return row

    def log(self, row: BoothTarget) -> None:
        audit_log(scope=self.scope, action="fieldwork.booth_target_set", target=row, unit_path=row.unit_path,
                  detail={"drive_id": self.drive.pk, "target": row.target, "lat": row.lat, "lng": row.lng})


def _drive_end(drive: Drive) -> datetime:
    return timezone.make_aware(datetime.combine(drive.ends_on, time(23, 59)))


@dataclass(kw_only=True)
class VistarakAssign(Action):
    """Send ``vistarak`` (a registered person) to ``unit`` (a mandal or a booth) for ``drive``.

    Their login is the office's login flow's: made here when they have none (no password; they set it with
    a code by SMS from "forgot password"), and given a write ``ScopeGrant`` on ``unit`` until the drive ends.
    Write scope at ``unit``. Idempotent per (drive, login, unit).
    """

    drive: Drive
    vistarak: object
    unit: object

    def check(self) -> None:
        require_write(self.scope, self.unit.path, _("You may not assign vistaraks here."))
        _require_in_drive(self.drive, self.unit)
        if self.unit.level not in ("mandal", "shakti_kendra", "booth"):
            raise DomainError(_("Assign a vistarak to a mandal or a booth."), field="unit")
        self.scope.require(self.vistarak.unit_path, write=False)

    def perform(self) -> Assignment:
        user = User.objects.filter(person=self.vistarak).first()
        if user is None:
            user = user_create(scope=self.scope, mobile=self.vistarak.mobile, password=None, person=self.vistarak)
        existing = Assignment.objects.filter(drive=self.drive, user=user, unit=self.unit).first()
        if existing is not None:
            return existing
        grant = scope_grant_create(scope=self.scope, user=user, unit=self.unit, grant=Grant.WRITE,
                                   reason=f"fieldwork:{self.drive.pk}", expires_at=_drive_end(self.drive))
        return Assignment.objects.create(drive=self.drive, vistarak=self.vistarak, user=user, unit=self.unit,
                                         unit_path=self.unit.path, grant=grant)

    def log(self, row: Assignment) -> None:
        audit_log(scope=self.scope, action="fieldwork.vistarak_assign", target=row, unit_path=row.unit_path,
                  detail={"drive_id": self.drive.pk, "person_id": self.vistarak.pk})


@dataclass(kw_only=True)
class PlanSet(Action):
    """The vistarak's plan for ``day``: ``planned`` workers at ``booth`` (under the assignment)."""

    assignment: Assignment
    day: date
    booth: object
    planned: int

    def check(self) -> None:
        require_write(self.scope, self.booth.path, _("You may not plan here."))
        errors = FieldErrors()
        if not self.booth.path.startswith(self.assignment.unit_path) or self.booth.level != "booth":
            errors.add("booth", _("Choose a booth of the assignment."))
        drive = self.assignment.drive
        if not drive.starts_on <= self.day <= drive.ends_on:
            errors.add("day", _("The day is outside the drive."))
        if not 0 <= self.planned <= 1000:
            errors.add("planned", _("Plan between 0 and 1000 workers."))
        errors.raise_if_any()

    def perform(self) -> DailyPlan:
        row, _created = DailyPlan.objects.update_or_create(
            assignment=self.assignment, day=self.day, booth=self.booth, defaults={"planned": self.planned})
        return row

    def log(self, row: DailyPlan) -> None:
        audit_log(scope=self.scope, action="fieldwork.plan_set", target=row, unit_path=self.booth.path,
                  detail={"day": self.day.isoformat(), "planned": row.planned})


drive_create = DriveCreate.run
drive_update = DriveUpdate.run
booth_target_set = BoothTargetSet.run
vistarak_assign = VistarakAssign.run
plan_set = PlanSet.run
