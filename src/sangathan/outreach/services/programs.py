"""Writes of contact programs: the program itself, who calls, assigned regions, absences, templates."""

import datetime

from django.db import transaction
from django.utils.translation import gettext as _

from sangathan.access.scope import Scope
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


def _check_write(scope, unit: Unit) -> None:
    if scope is not None and not scope.can_write_path(unit.path):
        raise PermissionDenied(_("Only the office of this unit may change its contact programs."))


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


def _set_callers(program: ContactProgram, caller_posts) -> None:
    """Replace the program's caller rules with ``caller_posts``: [(post, level code), …]."""
    levels = set(Level.objects.values_list("code", flat=True))
    wanted = set()
    for post, level in caller_posts:
        if not isinstance(post, Post) or level not in levels:
            raise DomainError(_("Each caller rule needs a post and a level."), field="caller_posts")
        wanted.add((post.pk, level))
    if not wanted:
        raise DomainError(_("Name at least one post whose holders call."), code="required", field="caller_posts")
    current = set(program.caller_posts.values_list("post_id", "level"))
    for post_id, level in current - wanted:
        program.caller_posts.filter(post_id=post_id, level=level).delete()
    ProgramCallerPost.objects.bulk_create(
        [ProgramCallerPost(program=program, post_id=post_id, level=level) for post_id, level in wanted - current])


@transaction.atomic
def program_create(*, actor=None, scope=None, caller_posts, code: str, name_hi: str, target_root: Unit,
                   target_post: Post, name_en: str = "", target_level: str = "booth", pairing_level: str = "district",
                   per_caller_per_day: int = 2, working_days=None, send_time=datetime.time(9, 0),
                   reminder_time=datetime.time(18, 0), channel: str = Channel.SMS, seed: int = 0,
                   is_active: bool = True) -> ContactProgram:
    """Create a contact program; ``caller_posts`` lists (post, level) pairs whose holders call."""
    fields = _clean({
        "code": code, "name_hi": name_hi, "name_en": name_en, "target_root": target_root, "target_level": target_level,
        "target_post": target_post, "pairing_level": pairing_level, "per_caller_per_day": per_caller_per_day,
        "working_days": list(working_days if working_days is not None else range(6)), "send_time": send_time,
        "reminder_time": reminder_time, "channel": channel, "seed": seed, "is_active": is_active,
    })
    _check_write(scope, target_root)
    if ContactProgram.objects.filter(code=fields["code"]).exists():
        raise DomainError(_("A program with this code exists."), code="duplicate", field="code")
    program = ContactProgram.objects.create(**fields, created_by=_user(actor))
    _set_callers(program, caller_posts)
    return program


@transaction.atomic
def program_update(*, actor=None, scope=None, program: ContactProgram, caller_posts=None, **changes) -> ContactProgram:
    """Change a program's fields (any of ``PROGRAM_FIELDS``) and, when given, its caller rules."""
    unknown = set(changes) - set(PROGRAM_FIELDS)
    if unknown:
        raise DomainError(_("Unknown field: %(names)s.") % {"names": ", ".join(sorted(unknown))})
    program = ContactProgram.objects.select_for_update().get(pk=program.pk)
    _check_write(scope, program.target_root)
    fields = _clean({name: getattr(program, name) for name in PROGRAM_FIELDS} | changes)
    _check_write(scope, fields["target_root"])
    if ContactProgram.objects.filter(code=fields["code"]).exclude(pk=program.pk).exists():
        raise DomainError(_("A program with this code exists."), code="duplicate", field="code")
    for name, value in fields.items():
        setattr(program, name, value)
    program.save()
    if caller_posts is not None:
        _set_callers(program, caller_posts)
    return program


@transaction.atomic
def program_caller_set(*, actor=None, scope=None, program: ContactProgram, person, region: Unit | None = None
                       ) -> ProgramCaller:
    """Make ``person`` a named caller of ``program``, calling within ``region`` (None: anywhere in it)."""
    _check_write(scope, program.target_root)
    if region is not None and not (is_within(region.path, program.target_path)):
        raise DomainError(_("The region must lie within the program's unit."), field="region")
    caller, _created = ProgramCaller.objects.update_or_create(program=program, person=person,
                                                              defaults={"region": region})
    return caller


@transaction.atomic
def program_caller_remove(*, actor=None, scope=None, program: ContactProgram, person) -> bool:
    _check_write(scope, program.target_root)
    return bool(ProgramCaller.objects.filter(program=program, person=person).delete()[0])


@transaction.atomic
def caller_absence_create(*, actor=None, scope=None, person, start_on: datetime.date, end_on: datetime.date,
                          reason: str = "") -> CallerAbsence:
    """Record that ``person`` cannot call from ``start_on`` to ``end_on``: no calls are assigned meanwhile."""
    if scope is not None and not scope.can_write_path(person.unit_path):
        raise PermissionDenied(_("You may not record absences for this person."))
    if end_on < start_on:
        raise DomainError(_("The absence must end on or after its start."), field="end_on")
    check_length(reason, field="reason", max_length=200)
    return CallerAbsence.objects.create(person=person, start_on=start_on, end_on=end_on, reason=reason.strip(),
                                        created_by=_user(actor))


def _user(actor):
    return actor if getattr(actor, "is_authenticated", False) else None
