"""Message templates: rendering (with the SMS part count), and the actions that create and change them.

A template belongs to the whole installation, so changing one is the state's business: the system, a
superuser, or someone who may write at a root unit (``template_may_edit``, read off the Scope). Each create
and change leaves an audit row (``template.create`` / ``template.update``) with what changed.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass

from django.utils.translation import gettext as _

from sangathan.access.scope import Scope
from sangathan.access.services import audit_log
from sangathan.core.actions import Action
from sangathan.core.errors import DomainError, PermissionDenied
from sangathan.core.tree import SEGMENT
from sangathan.messaging.models import Channel, Language, MessageKind, Template

VARIABLE_RE = re.compile(r"\{(\w+)\}")
# The GSM 03.38 basic alphabet (plus the extension table, whose characters count twice): anything
# outside it, Devanagari included, forces UCS-2 with 70 characters a segment instead of 160.
GSM7_BASIC = set(
    "@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞ ÆæßÉ!\"#¤%&'()*+,-./0123456789:;<=>?¡ABCDEFGHIJKLMNOPQRSTUVWXYZÄÖÑÜ§"
    "¿abcdefghijklmnopqrstuvwxyzäöñüà"
)
GSM7_EXTENDED = set("^{}\\[~]|€\f")
MOBILE_CHANNELS = (Channel.SMS, Channel.WHATSAPP)
# App-declared codes use dots and underscores too (``grievance_ack``, ``outreach.calls``).
SLUG_RE = re.compile(r"[-a-zA-Z0-9_.]+")
CODE_MAX_LENGTH = 60
FIELD_MAX_LENGTHS = {"name": 120, "subject_hi": 200, "subject_en": 200, "dlt_template_id": 40}
TEMPLATE_FIELDS = ("code", "name", "body_hi", "body_en", "subject_hi", "subject_en", "channels",
                   "dlt_template_id", "kind", "is_active")


@dataclass(frozen=True)
class RenderResult:
    body: str
    subject: str
    segments: int
    encoding: str  # "gsm7" or "ucs2"


def sms_segments(text: str) -> tuple[int, str]:
    """How many SMS parts ``text`` takes, and in which encoding."""
    if all(ch in GSM7_BASIC or ch in GSM7_EXTENDED for ch in text):
        units = sum(2 if ch in GSM7_EXTENDED else 1 for ch in text)
        single, multi, encoding = 160, 153, "gsm7"
    else:
        # UTF-16 code units: characters outside the BMP (emoji) take two.
        units = len(text.encode("utf-16-le")) // 2
        single, multi, encoding = 70, 67, "ucs2"
    if units <= single:
        return (1 if units else 0), encoding
    return math.ceil(units / multi), encoding


def template_variables(*texts: str) -> list[str]:
    """The variable names used in ``texts``, in order of first appearance."""
    names: list[str] = []
    for text in texts:
        for name in VARIABLE_RE.findall(text or ""):
            if name not in names:
                names.append(name)
    return names


def template_render(*, template: Template, language: str, context: dict) -> RenderResult:
    """The template's text in ``language`` (Hindi when there is no English body) with ``context`` filled in.

    Raises DomainError(field="context") naming every variable missing or empty in ``context``.
    """
    use_english = language == Language.ENGLISH and template.body_en
    body = template.body_en if use_english else template.body_hi
    subject = template.subject_en if use_english else template.subject_hi
    needed = template_variables(body, subject)
    missing = [name for name in needed if context.get(name) in (None, "")]
    if missing:
        raise DomainError(
            _("Fill in every variable of the template: %(names)s.") % {"names": ", ".join(missing)},
            code="missing_variables",
            field="context",
        )

    def fill(text: str) -> str:
        return VARIABLE_RE.sub(lambda match: str(context[match.group(1)]), text or "")

    rendered = fill(body)
    segments, encoding = sms_segments(rendered)
    return RenderResult(body=rendered, subject=fill(subject), segments=segments, encoding=encoding)


def template_may_edit(scope: Scope) -> bool:
    """Templates are the installation's: the system, superusers and those who may write at a root unit."""
    return scope.writes_all or any(len(path) == SEGMENT for path in scope.write_paths)


def require_template_editor(scope: Scope) -> None:
    """PermissionDenied unless ``template_may_edit``."""
    if not template_may_edit(scope):
        raise PermissionDenied(_("Only the state office may change message templates."))


def _template_clean(fields: dict, template_id: int | None = None) -> dict:
    """The fields to save, ``variables`` derived from the texts. Every fault is found before raising, so a
    form shows them all at once: one DomainError whose ``errors`` maps each field to its messages (its own
    ``field`` and ``code`` are the first fault's)."""
    faults: list[tuple[str, str, str]] = []  # (field, code, message)
    code = (fields.get("code") or "").strip()
    if not code:
        faults.append(("code", "required", _("Enter a code.")))
    elif not SLUG_RE.fullmatch(code) or len(code) > CODE_MAX_LENGTH:
        faults.append(("code", "invalid", _("Use only English letters, digits, hyphens, dots and "
                                             "underscores in the code (at most %(max)d).") % {"max": CODE_MAX_LENGTH}))
    elif Template.objects.filter(code=code).exclude(pk=template_id).exists():
        faults.append(("code", "duplicate", _("A template with this code exists.")))
    name = (fields.get("name") or "").strip()
    if not name:
        faults.append(("name", "required", _("Enter a name.")))
    for field, limit in FIELD_MAX_LENGTHS.items():
        if len(fields.get(field) or "") > limit:
            faults.append((field, "too_long", _("This is too long (at most %(max)d characters).") % {"max": limit}))
    if not (fields.get("body_hi") or "").strip():
        faults.append(("body_hi", "required", _("Enter the Hindi text.")))
    channels = list(fields.get("channels") or [])
    unknown = [c for c in channels if c not in Channel.values]
    if unknown:
        faults.append(("channels", "invalid",
                       _("Unknown channel: %(names)s.") % {"names": ", ".join(map(str, unknown))}))
    elif not channels:
        faults.append(("channels", "required", _("Choose at least one channel.")))
    if fields.get("kind", MessageKind.TRANSACTIONAL) not in MessageKind.values:
        faults.append(("kind", "invalid", _("Unknown kind of message.")))
    hi_vars = set(template_variables(fields.get("body_hi", "")))
    en_body = fields.get("body_en") or ""
    if en_body and set(template_variables(en_body)) != hi_vars:
        faults.append(("body_en", "invalid", _("The Hindi and English texts must use the same variables.")))
    if faults:
        errors: dict[str, list] = {}
        for field, _code, message in faults:
            errors.setdefault(field, []).append(message)
        first_field, first_code, first_message = faults[0]
        raise DomainError(first_message, code=first_code, field=first_field, errors=errors)
    fields["code"], fields["name"] = code, name
    fields["channels"] = channels
    fields["variables"] = template_variables(fields.get("body_hi", ""), fields.get("subject_hi") or "",
                                             en_body, fields.get("subject_en") or "")
    return fields


@dataclass(kw_only=True)
class TemplateCreate(Action):
    """Create a template; its ``variables`` are derived from the texts. Audit row ``template.create``."""

    code: str
    name: str
    body_hi: str
    body_en: str = ""
    subject_hi: str = ""
    subject_en: str = ""
    channels: list[str] | None = None
    dlt_template_id: str = ""
    kind: str = MessageKind.TRANSACTIONAL
    is_active: bool = True

    def check(self) -> None:
        require_template_editor(self.scope)
        self.fields = _template_clean({
            "code": self.code, "name": self.name, "body_hi": self.body_hi, "body_en": self.body_en or "",
            "subject_hi": self.subject_hi or "", "subject_en": self.subject_en or "",
            "channels": [Channel.SMS] if self.channels is None else self.channels, "dlt_template_id": self.dlt_template_id or "",
            "kind": self.kind, "is_active": self.is_active,
        })

    def perform(self) -> Template:
        return Template.objects.create(**self.fields)

    def log(self, template: Template) -> None:
        audit_log(scope=self.scope, action="template.create", target=template,
                  detail={"code": template.code, "kind": template.kind, "channels": template.channels})


@dataclass(kw_only=True)
class TemplateUpdate(Action):
    """Change a template's fields (any of ``TEMPLATE_FIELDS``); ``variables`` follow the texts. Audit row
    ``template.update`` with each changed field's old and new value."""

    template: Template
    changes: dict

    def check(self) -> None:
        require_template_editor(self.scope)
        unknown = set(self.changes) - set(TEMPLATE_FIELDS)
        if unknown:
            raise DomainError(_("Unknown field: %(names)s.") % {"names": ", ".join(sorted(unknown))})
        # The stored row, not ``template``: the admin hands over an instance its form has already changed.
        self.current = Template.objects.get(pk=self.template.pk)
        self.fields = _template_clean({name: getattr(self.current, name) for name in TEMPLATE_FIELDS}
                                      | self.changes, self.current.pk)

    def perform(self) -> Template:
        self.before = {name: getattr(self.current, name) for name in self.fields}
        for name, value in self.fields.items():
            setattr(self.current, name, value)
        self.current.save()
        return self.current

    def log(self, template: Template) -> None:
        changed = {name: [self.before[name], value] for name, value in self.fields.items()
                   if self.before[name] != value}
        audit_log(scope=self.scope, action="template.update", target=template,
                  detail={"code": template.code, "changed": changed})


template_create = TemplateCreate.run


def template_update(*, scope: Scope, template: Template, **changes) -> Template:
    """``TemplateUpdate`` with the changes as keywords: ``template_update(scope=…, template=t, is_active=False)``."""
    return TemplateUpdate.run(scope=scope, template=template, changes=changes)


def templates_ensure(definitions: dict[str, tuple[str, str, str]], *, scope: Scope, channels=MOBILE_CHANNELS,
                     kind: str = MessageKind.TRANSACTIONAL) -> None:
    """Create the templates of ``definitions`` (code → (name, Hindi body, English body)) that are missing.

    Each app declares the messages it sends this way and calls it before sending, as the system
    (``Scope.system()``); a template an office has since edited (or switched off) is left as it is.
    """
    existing = set(Template.objects.filter(code__in=definitions).values_list("code", flat=True))
    for code, (name, body_hi, body_en) in definitions.items():
        if code not in existing:
            template_create(scope=scope, code=code, name=name, body_hi=body_hi, body_en=body_en,
                            channels=list(channels), kind=kind)


def template_active(code: str, definitions: dict[str, tuple[str, str, str]]) -> Template:
    """The active template ``code``, created from ``definitions`` on first use; DomainError when switched off.

    Takes no scope: the templates an app declares are the system's, created as the system whichever
    action first needs one (a booth worker's grievance may be the first to need the acknowledgement).
    """
    template = Template.objects.filter(code=code, is_active=True).first()
    if template is None:
        templates_ensure(definitions, scope=Scope.system())
        template = Template.objects.filter(code=code, is_active=True).first()
    if template is None:
        raise DomainError(f"The message template {code} is switched off.", code="not_found")
    return template
