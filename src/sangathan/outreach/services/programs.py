"""Writes of contact programs: the program itself, who calls, assigned regions, absences, templates.

Each write is an action (``core.actions.Action``): the office with write scope over the program's unit
(or over the absent caller) may make it, and each leaves an audit row (``AUDIT_*``) in its transaction.
"""

import datetime
from dataclasses import dataclass, field

from django.db import models, transaction
from django.utils.translation import gettext as _

from sangathan.access.scope import Scope
from sangathan.access.services import audit_log
from sangathan.core.actions import Action
from sangathan.core.errors import DomainError, PermissionDenied, check_length
from sangathan.core.tree import is_within
from sangathan.messaging.models import Channel
from sangathan.messaging.services import templates_ensure
from sangathan.org.models import Level, Post, Unit
from sangathan.outreach.models import CallerAbsence, ContactProgram, ProgramCaller, ProgramCallerPost

PROGRAM_FIELDS = ("code", "name_hi", "name_en", "target_root", "target_level", "target_post", "pairing_level",
                  "per_caller_per_day", "working_days", "send_time", "reminder_time", "channel", "seed", "is_active")

# Message templates of this app, created by ``outreach_seed_defaults`` (codes are the contract with messaging).
TEMPLATE_DAILY_LIST = "outreach.daily_list"
TEMPLATE_REMINDER = "outreach.reminder"
TEMPLATE_WEEKLY = "outreach.weekly_summary"
# code → (name, Hindi body, English body), created by ``outreach_seed_defaults`` when missing.
TEMPLATES = {
    TEMPLATE_DAILY_LIST: (
        "Booth contact: today's calls",
        "नमस्ते {name} जी, आज {day} को इनसे बात करें:\n{calls}\nबात के बाद ऐप में दर्ज करें।",
        "Hello {name}, please call today ({day}):\n{calls}\nLog each call in the app afterwards.",
    ),
    TEMPLATE_REMINDER: (
        "Booth contact: calls left today",
        "{name} जी, आज की {left} बूथ संपर्क कॉल अभी बाकी हैं। कृपया आज ही बात कर के दर्ज करें।",
        "{name}, {left} of today's booth contact calls are still left. Please call and log them today.",
    ),
    TEMPLATE_WEEKLY: (
        "Booth contact: weekly summary",
        "बूथ संपर्क साप्ताहिक सारांश ({week}): {assigned} कॉल दी गईं, {called} उसी दिन हुईं, {reached} से बात हुई, {missed} छूटीं। सबसे पीछे: {lagging}",
        "Booth contact weekly summary ({week}): {assigned} calls given, {called} made the same day, {reached} reached, {missed} missed. Lagging most: {lagging}",
    ),
}


@transaction.atomic
def outreach_seed_defaults() -> None:
    """Create this app's message templates if missing (idempotent; edited templates are kept)."""
    templates_ensure(TEMPLATES, scope=Scope.system())


def _clean(fields: dict) -> dict:
    code = (fields.get("code") or "").strip()
    if not code:
        raise DomainError(_("A program needs a code."), code="required", field="code")
    check_length(code, field="code", max_length=40)
    if not (fields.get("name_hi") or "").strip():
        raise DomainError(_("A program needs a name."), code="required", field="name_hi")
    check_length(fields["name_hi"], field="name_hi", max_length=200)
    check_length(fields.get("name_en") or "", field="name_en", max_length=200)
    root = fields.get("target_root")
    if not isinstance(root, Unit):
        raise DomainError(_("Choose the unit whose booths are called."), code="required", field="target_root")
    levels = set(Level.objects.values_list("code", flat=True))
    if fields.get("target_level") not in levels:
        raise DomainError(_("Unknown level."), field="target_level")
    if fields.get("pairing_level") and fields["pairing_level"] not in levels:
        raise DomainError(_("Unknown level."), field="pairing_level")
    if not isinstance(fields.get("target_post"), Post):
        raise DomainError(_("Choose the post whose holders are called."), code="required", field="target_post")
    per_day = fields.get("per_caller_per_day")
    if not isinstance(per_day, int) or not 1 <= per_day <= 50:
        raise DomainError(_("Calls per caller per day must be between 1 and 50."), field="per_caller_per_day")
    days = fields.get("working_days")
    if not days or not all(isinstance(d, int) and 0 <= d <= 6 for d in days):
        raise DomainError(_("Choose at least one working day."), field="working_days")
    fields["working_days"] = sorted(set(days))
    for name in ("send_time", "reminder_time"):
        if not isinstance(fields.get(name), datetime.time):
            raise DomainError(_("Enter a time."), code="required", field=name)
    if fields["reminder_time"] <= fields["send_time"]:
        raise DomainError(_("The reminder must come after the list is sent."), field="reminder_time")
    if fields.get("channel") not in (Channel.SMS, Channel.WHATSAPP):
        raise DomainError(_("Lists go by SMS or WhatsApp."), field="channel")
    fields["code"] = code
    fields["target_path"] = root.path
    return fields


def _caller_rules(caller_posts) -> set[tuple[int, str]]:
    """``caller_posts`` ([(post, level code), …]) checked, as (post id, level) pairs."""
    levels = set(Level.objects.values_list("code", flat=True))
    wanted = set()
    for post, level in caller_posts:
        if not isinstance(post, Post) or level not in levels:
            raise DomainError(_("Each caller rule needs a post and a level."), field="caller_posts")
        wanted.add((post.pk, level))
    if not wanted:
        raise DomainError(_("Name at least one post whose holders call."), code="required", field="caller_posts")
    return wanted


def _set_callers(program: ContactProgram, wanted: set[tuple[int, str]]) -> None:
    """Replace the program's caller rules with ``wanted`` (from ``_caller_rules``)."""
    current = set(program.caller_posts.values_list("post_id", "level"))
    for post_id, level in current - wanted:
        program.caller_posts.filter(post_id=post_id, level=level).delete()
    ProgramCallerPost.objects.bulk_create(
        [ProgramCallerPost(program=program, post_id=post_id, level=level) for post_id, level in wanted - current])


def _jsonable(value):
    """A field value as the audit row's JSON keeps it (a model as its id, a date or time as ISO text)."""
    if isinstance(value, models.Model):
        return value.pk
    if isinstance(value, datetime.date | datetime.time):
        return value.isoformat()
    return value


AUDIT_PROGRAM_CREATE = "outreach.program_create"
AUDIT_PROGRAM_UPDATE = "outreach.program_update"
AUDIT_CALLER_SET = "outreach.caller_set"
AUDIT_CALLER_REMOVE = "outreach.caller_remove"
AUDIT_ABSENCE_CREATE = "outreach.absence_create"
PROGRAM_DENIED = _("Only the office of this unit may change its contact programs.")


@dataclass(kw_only=True)
class ProgramCreate(Action):
    """Create a contact program; ``caller_posts`` lists (post, level) pairs whose holders call. Needs write
    scope over ``target_root``."""

    name = AUDIT_PROGRAM_CREATE
    caller_posts: list
    code: str
    name_hi: str
    target_root: Unit
    target_post: Post
    name_en: str = ""
    target_level: str = "booth"
    pairing_level: str = "district"
    per_caller_per_day: int = 2
    working_days: list | None = None
    send_time: datetime.time = datetime.time(9, 0)
    reminder_time: datetime.time = datetime.time(18, 0)
    channel: str = Channel.SMS
    seed: int = 0
    is_active: bool = True

    def check(self) -> None:
        self.fields = _clean({
            "code": self.code, "name_hi": self.name_hi, "name_en": self.name_en, "target_root": self.target_root,
            "target_level": self.target_level, "target_post": self.target_post, "pairing_level": self.pairing_level,
            "per_caller_per_day": self.per_caller_per_day,
            "working_days": list(self.working_days if self.working_days is not None else range(6)),
            "send_time": self.send_time, "reminder_time": self.reminder_time, "channel": self.channel,
            "seed": self.seed, "is_active": self.is_active,
        })
        self.scope.require(self.target_root.path, message=_("No such unit."))
        if not self.scope.can_write_path(self.target_root.path):
            raise PermissionDenied(PROGRAM_DENIED, field="target_root")
        self.rules = _caller_rules(self.caller_posts)
        if ContactProgram.objects.filter(code=self.fields["code"]).exists():
            raise DomainError(_("A program with this code exists."), code="duplicate", field="code")

    def perform(self) -> ContactProgram:
        program = ContactProgram.objects.create(**self.fields, created_by=self.actor)
        _set_callers(program, self.rules)
        return program

    def log(self, program: ContactProgram) -> None:
        audit_log(scope=self.scope, action=self.name, target=program, unit_path=program.target_path,
                  detail={"code": program.code, "callers": sorted(map(list, self.rules))})


@dataclass(kw_only=True)
class ProgramUpdate(Action):
    """Change a program's fields (any of ``PROGRAM_FIELDS`` in ``changes``) and, when given, its caller
    rules. Needs write scope over the program's unit, and over the new one when it moves."""

    name = AUDIT_PROGRAM_UPDATE
    program: ContactProgram
    changes: dict = field(default_factory=dict)
    caller_posts: list | None = None

    def check(self) -> None:
        unknown = set(self.changes) - set(PROGRAM_FIELDS)
        if unknown:
            raise DomainError(_("Unknown field: %(names)s.") % {"names": ", ".join(sorted(unknown))})
        program = self.program
        self.scope.require(program.target_path, message=_("No such program."))
        if not self.scope.can_write_path(program.target_path):
            raise PermissionDenied(PROGRAM_DENIED)
        self.before = {name: getattr(program, name) for name in PROGRAM_FIELDS}
        self.fields = _clean(dict(self.before) | self.changes)
        if not self.scope.can_write_path(self.fields["target_root"].path):
            raise PermissionDenied(PROGRAM_DENIED, field="target_root")
        if ContactProgram.objects.filter(code=self.fields["code"]).exclude(pk=program.pk).exists():
            raise DomainError(_("A program with this code exists."), code="duplicate", field="code")
        self.rules = _caller_rules(self.caller_posts) if self.caller_posts is not None else None

    def perform(self) -> ContactProgram:
        program = ContactProgram.objects.select_for_update().get(pk=self.program.pk)
        for name, value in self.fields.items():
            setattr(program, name, value)
        program.save()
        if self.rules is not None:
            _set_callers(program, self.rules)
        return program

    def log(self, program: ContactProgram) -> None:
        changed = {name: [_jsonable(self.before[name]), _jsonable(self.fields[name])] for name in PROGRAM_FIELDS
                   if self.before[name] != self.fields[name]}
        detail = {"changed": changed}
        if self.rules is not None:
            detail["callers"] = sorted(map(list, self.rules))
        audit_log(scope=self.scope, action=self.name, target=program, unit_path=program.target_path, detail=detail)


def program_create(*, scope: Scope, **fields) -> ContactProgram:
    """``ProgramCreate`` run at once; see there."""
    return ProgramCreate(scope=scope, **fields).execute()


def program_update(*, scope: Scope, program: ContactProgram, caller_posts=None, **changes) -> ContactProgram:
    """``ProgramUpdate`` run at once: ``changes`` are the program's new field values."""
    return ProgramUpdate(scope=scope, program=program, changes=changes, caller_posts=caller_posts).execute()


def _require_program(scope: Scope, program: ContactProgram) -> None:
    scope.require(program.target_path, message=_("No such program."))
    if not scope.can_write_path(program.target_path):
        raise PermissionDenied(PROGRAM_DENIED)


@dataclass(kw_only=True)
class ProgramCallerSet(Action):
    """Make ``person`` a named caller of ``program``, calling within ``region`` (None: anywhere in it)."""

    name = AUDIT_CALLER_SET
    program: ContactProgram
    person: object
    region: Unit | None = None

    def check(self) -> None:
        _require_program(self.scope, self.program)
        if self.region is not None and not is_within(self.region.path, self.program.target_path):
            raise DomainError(_("The region must lie within the program's unit."), field="region")

    def perform(self) -> ProgramCaller:
        caller, _created = ProgramCaller.objects.update_or_create(program=self.program, person=self.person,
                                                                  defaults={"region": self.region})
        return caller

    def log(self, caller: ProgramCaller) -> None:
        audit_log(scope=self.scope, action=self.name, target=caller, unit_path=self.program.target_path,
                  detail={"program": self.program.pk, "person": self.person.pk, "region": _jsonable(self.region)})


@dataclass(kw_only=True)
class ProgramCallerRemove(Action):
    """``person`` is no longer a named caller of ``program``; True when they were one."""

    name = AUDIT_CALLER_REMOVE
    program: ContactProgram
    person: object

    def check(self) -> None:
        _require_program(self.scope, self.program)

    def perform(self) -> bool:
        return bool(ProgramCaller.objects.filter(program=self.program, person=self.person).delete()[0])

    def log(self, removed: bool) -> None:
        if removed:
            audit_log(scope=self.scope, action=self.name, target_type="programcaller",
                      unit_path=self.program.target_path,
                      detail={"program": self.program.pk, "person": self.person.pk})


@dataclass(kw_only=True)
class CallerAbsenceCreate(Action):
    """Record that ``person`` cannot call from ``start_on`` to ``end_on``: no calls are assigned meanwhile.
    Needs write scope over the person's unit."""

    name = AUDIT_ABSENCE_CREATE
    person: object
    start_on: datetime.date
    end_on: datetime.date
    reason: str = ""

    def check(self) -> None:
        self.scope.require(self.person.unit_path, message=_("No such person."))
        if not self.scope.can_write_path(self.person.unit_path):
            raise PermissionDenied(_("You may not record absences for this person."), field="person")
        if self.end_on < self.start_on:
            raise DomainError(_("The absence must end on or after its start."), field="end_on")
        check_length(self.reason, field="reason", max_length=200)

    def perform(self) -> CallerAbsence:
        return CallerAbsence.objects.create(person=self.person, start_on=self.start_on, end_on=self.end_on,
                                            reason=self.reason.strip(), created_by=self.actor)

    def log(self, absence: CallerAbsence) -> None:
        audit_log(scope=self.scope, action=self.name, target=absence, unit_path=self.person.unit_path,
                  detail={"person": self.person.pk, "start_on": self.start_on.isoformat(),
                          "end_on": self.end_on.isoformat()})


program_caller_set = ProgramCallerSet.run
program_caller_remove = ProgramCallerRemove.run
caller_absence_create = CallerAbsenceCreate.run
