"""Writes of the vocabulary: levels, posts and wings (data, per installation).

A post's ``grant`` decides what every holder of it may see and change, and a level's rank what may sit
under what, so only a state administrator (``org.policies.require_state_admin``) edits them, and every
edit leaves an ``OrgChange`` row with the values before and after.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import ClassVar

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from sangathan.core.actions import Action
from sangathan.core.errors import DomainError
from sangathan.core.models import LabelledModel
from sangathan.org.enums import DEFAULT_LEVELS, DEFAULT_POSTS, DEFAULT_WINGS, Grant, WingKind
from sangathan.org.models import Level, OrgChange, Post, Wing
from sangathan.org.policies import require_state_admin
from sangathan.org.services.history import org_change_record, org_change_row, snapshot

# What the history records of each kind of term.
TERM_FIELDS: dict[type[LabelledModel], tuple[str, ...]] = {
    Level: ("code", "name_hi", "name_en", "rank"),
    Post: ("code", "name_hi", "name_en", "grant", "rank"),
    Wing: ("code", "name_hi", "name_en", "kind"),
}


def _validated(term: LabelledModel) -> None:
    """The model's own rules (slug code, lengths, choices, unique code and rank) as a ``DomainError``."""
    try:
        term.full_clean()
    except ValidationError as error:
        errors = {field: [str(m) for m in messages] for field, messages in error.message_dict.items()}
        first = next(iter(errors.values()))[0]
        raise DomainError(first, code="invalid", errors=errors) from None


@dataclass(kw_only=True)
class OrgSeedDefaults(Action):
    """Load the default levels, posts and wings (idempotent: existing rows keep their edited labels).
    Returns the terms it created, each recorded as an ``OrgChange``."""

    name = "org.seed_defaults"

    def check(self) -> None:
        require_state_admin(self.scope)

    def perform(self) -> list[LabelledModel]:
        created = []
        for rank, (code, hi, en) in enumerate(DEFAULT_LEVELS, start=1):
            created.append(Level.objects.get_or_create(
                code=code, defaults={"name_hi": hi, "name_en": en, "rank": rank}))
        for code, hi, en, grant, rank in DEFAULT_POSTS:
            created.append(Post.objects.get_or_create(
                code=code, defaults={"name_hi": hi, "name_en": en, "grant": grant, "rank": rank}))
        for code, hi, en, kind in DEFAULT_WINGS:
            created.append(Wing.objects.get_or_create(code=code, defaults={"name_hi": hi, "name_en": en, "kind": kind}))
        return [term for term, is_new in created if is_new]

    def log(self, created: list[LabelledModel]) -> None:
        OrgChange.objects.bulk_create([
            org_change_row(scope=self.scope, target=term, action=OrgChange.Action.CREATED,
                           after=snapshot(term, TERM_FIELDS[type(term)]), reason="defaults")
            for term in created])


@dataclass(kw_only=True)
class _TermCreate(Action):
    code: str
    name_hi: str
    name_en: str
    reason: str = ""

    model: ClassVar[type[LabelledModel]]

    def values(self) -> dict:
        return {"code": (self.code or "").strip(), "name_hi": (self.name_hi or "").strip(),
                "name_en": (self.name_en or "").strip()}

    def check(self) -> None:
        require_state_admin(self.scope)
        _validated(self.model(**self.values()))

    def perform(self) -> LabelledModel:
        return self.model.objects.create(**self.values())

    def log(self, term: LabelledModel) -> None:
        org_change_record(scope=self.scope, target=term, action=OrgChange.Action.CREATED,
                          after=snapshot(term, TERM_FIELDS[self.model]), reason=self.reason)


@dataclass(kw_only=True)
class _TermUpdate(Action):
    """Change some of a term's fields: ``changes`` maps field names of ``editable`` to new values. The code
    never changes: code and other apps' policies name terms by it (``"president"``, ``"booth"``)."""

    term: LabelledModel
    changes: dict
    reason: str = ""

    model: ClassVar[type[LabelledModel]]
    editable: ClassVar[tuple[str, ...]]

    def check(self) -> None:
        require_state_admin(self.scope)
        unknown = sorted(set(self.changes) - set(self.editable))
        if unknown:
            raise DomainError(_("This field cannot be changed."), code="read_only", field=unknown[0])
        if not self.changes:
            raise DomainError(_("Nothing to change."), code="unchanged")
        current = self.model.objects.get(pk=self.term.pk)
        for field, value in self.changes.items():
            setattr(current, field, value)
        _validated(current)

    def perform(self) -> LabelledModel:
        term = self.model.objects.select_for_update().get(pk=self.term.pk)
        self._before = snapshot(term, self.changes)
        for field, value in self.changes.items():
            setattr(term, field, value)
        term.save(update_fields=list(self.changes))
        return term

    def log(self, term: LabelledModel) -> None:
        org_change_record(scope=self.scope, target=term, action=OrgChange.Action.UPDATED, before=self._before,
                          after=snapshot(term, self.changes), reason=self.reason)


@dataclass(kw_only=True)
class LevelCreate(_TermCreate):
    rank: int
    model = Level
    name = "level.create"

    def values(self) -> dict:
        return {**super().values(), "rank": self.rank}


@dataclass(kw_only=True)
class LevelUpdate(_TermUpdate):
    model = Level
    editable = ("name_hi", "name_en", "rank")
    name = "level.update"


@dataclass(kw_only=True)
class PostCreate(_TermCreate):
    grant: str = Grant.READ
    rank: int = 100
    model = Post
    name = "post.create"

    def values(self) -> dict:
        return {**super().values(), "grant": self.grant, "rank": self.rank}


@dataclass(kw_only=True)
class PostUpdate(_TermUpdate):
    model = Post
    editable = ("name_hi", "name_en", "grant", "rank")
    name = "post.update"


@dataclass(kw_only=True)
class WingCreate(_TermCreate):
    kind: str = WingKind.MORCHA
    model = Wing
    name = "wing.create"

    def values(self) -> dict:
        return {**super().values(), "kind": self.kind}


@dataclass(kw_only=True)
class WingUpdate(_TermUpdate):
    model = Wing
    editable = ("name_hi", "name_en", "kind")
    name = "wing.update"


org_seed_defaults = OrgSeedDefaults.run
level_create = LevelCreate.run
level_update = LevelUpdate.run
post_create = PostCreate.run
post_update = PostUpdate.run
wing_create = WingCreate.run
wing_update = WingUpdate.run
