"""The tags vocabulary (skills and interests): created and renamed by state administrators, with history.

Each change writes a ``tag.create`` / ``tag.update`` audit row with the values before and after.
"""

import re
from dataclasses import dataclass, field

from django.utils.translation import gettext as _

from sangathan.access.services import audit_log
from sangathan.core.actions import Action
from sangathan.core.errors import DomainError, PermissionDenied
from sangathan.people.models import Tag
from sangathan.people.policies import is_state_admin

DEFAULT_TAGS = (
    ("computer", "कंप्यूटर", "Computer"),
    ("social_media", "सोशल मीडिया", "Social media"),
    ("public_speaking", "भाषण", "Public speaking"),
    ("legal", "कानूनी सलाह", "Legal"),
    ("medical", "चिकित्सा", "Medical"),
    ("driving", "वाहन चालन", "Driving"),
    ("writing", "लेखन", "Writing"),
    ("music", "संगीत", "Music"),
    ("sports", "खेल", "Sports"),
    ("farming", "खेती", "Farming"),
    ("youth_work", "युवा संपर्क", "Youth outreach"),
    ("women_outreach", "महिला संपर्क", "Women's outreach"),
)
CODE_RE = re.compile(r"^[a-z0-9_-]{1,40}$")
LABEL_MAX_LENGTH = 120
LABELS = ("name_hi", "name_en")


def _require_state_admin(scope) -> None:
    if not is_state_admin(scope):
        raise PermissionDenied(_("Only a state administrator may change the tags."))


def _check_labels(values: dict) -> dict:
    cleaned = {}
    for name in LABELS:
        if name in values:
            label = " ".join(str(values[name] or "").split())
            if not label:
                raise DomainError(_("Enter a name."), code="required", field=name)
            if len(label) > LABEL_MAX_LENGTH:
                raise DomainError(_("At most %(max)d characters.") % {"max": LABEL_MAX_LENGTH}, field=name)
            cleaned[name] = label
    return cleaned


@dataclass(kw_only=True)
class TagCreate(Action):
    """A new tag (state administrators only)."""

    name = "tag.create"
    code: str
    name_hi: str
    name_en: str

    def check(self) -> None:
        _require_state_admin(self.scope)
        self.code = (self.code or "").strip().lower()
        if not CODE_RE.match(self.code):
            raise DomainError(_("Use lower-case letters, digits, '_' or '-' (at most 40)."), field="code")
        if Tag.objects.filter(code=self.code).exists():
            raise DomainError(_("This code is taken."), code="duplicate", field="code")
        self._labels = _check_labels({"name_hi": self.name_hi, "name_en": self.name_en})

    def perform(self) -> Tag:
        return Tag.objects.create(code=self.code, **self._labels)

    def log(self, tag: Tag) -> None:
        audit_log(scope=self.scope, action=self.name, target=tag,
                  detail={"code": tag.code, **{name: [None, getattr(tag, name)] for name in LABELS}})


@dataclass(kw_only=True)
class TagUpdate(Action):
    """Rename a tag (its code stays: imports and filters name tags by code). State administrators only."""

    name = "tag.update"
    tag: Tag
    changes: dict = field(default_factory=dict)

    def check(self) -> None:
        _require_state_admin(self.scope)
        unknown = set(self.changes) - set(LABELS)
        if unknown:
            raise DomainError(_("Unknown field."), field=sorted(unknown)[0])
        self._labels = _check_labels(self.changes)

    def perform(self) -> Tag:
        tag = Tag.objects.select_for_update().get(pk=self.tag.pk)
        self._diff = {name: [getattr(tag, name), value] for name, value in self._labels.items()
                      if getattr(tag, name) != value}
        if self._diff:
            for name, (_before, after) in self._diff.items():
                setattr(tag, name, after)
            tag.save(update_fields=list(self._diff))
        return tag

    def log(self, tag: Tag) -> None:
        if self._diff:
            audit_log(scope=self.scope, action=self.name, target=tag, detail={"code": tag.code, **self._diff})


tag_create = TagCreate.run


def tag_update(*, scope, tag: Tag, **changes) -> Tag:
    return TagUpdate(scope=scope, tag=tag, changes=changes).execute()


def tags_seed_defaults(*, scope) -> list[Tag]:
    """The usual skills and interests, created once (idempotent, each new one recorded like ``tag_create``);
    returns every tag in code order."""
    have = set(Tag.objects.values_list("code", flat=True))
    for code, name_hi, name_en in DEFAULT_TAGS:
        if code not in have:
            tag_create(scope=scope, code=code, name_hi=name_hi, name_en=name_en)
    return list(Tag.objects.order_by("code"))
