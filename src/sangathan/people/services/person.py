"""Registering and changing a person: actions that validate (``check``), write, and record a history row."""

from dataclasses import dataclass, field
from datetime import date, datetime

from django.db import IntegrityError, transaction
from django.db.models import Q
from django.db.models.fields.files import FieldFile
from django.utils.translation import gettext as _

from sangathan.core import ratelimit
from sangathan.core.actions import Action
from sangathan.core.errors import DomainError, NotFound, PermissionDenied
from sangathan.people.enums import PersonSource, PersonStatus, RelationKind
from sangathan.people.models import Person, PersonHistory, Tag
from sangathan.people.numbers import PrefixCache, membership_number
from sangathan.people.services.clean import EDITABLE_FIELDS, clean_fields
from sangathan.people.services.headcounts import headcount_add, headcount_changes

REASON_MAX_LENGTH = 300


def _check_known(data: dict) -> None:
    unknown = set(data) - set(EDITABLE_FIELDS)
    if unknown:
        raise DomainError(_("Unknown field."), code="invalid", field=sorted(unknown)[0])


def _check_unit(scope, unit) -> None:
    """A person may be placed only at a unit the actor may write to."""
    if unit is None:
        raise DomainError(_("Choose the person's unit."), code="required", field="unit")
    if not scope.can_write_path(unit.path):
        raise PermissionDenied(_("You may not add or move people here."), field="unit")


def _check_unique(values: dict, exclude_pk: int | None = None) -> None:
    """Refuse a mobile number, voter ID or membership number another record has (one query)."""
    wanted = {key: values[key] for key in ("mobile", "epic", "membership_no") if values.get(key)}
    if not wanted:
        return
    query = Q()
    for key, value in wanted.items():
        query |= Q(**{key: value})
    taken = Person.objects.filter(query).exclude(pk=exclude_pk).values_list("mobile", "epic", "membership_no")
    for mobile, epic, number in taken:
        if mobile == wanted.get("mobile"):
            raise _duplicate("mobile")
        if epic and epic == wanted.get("epic"):
            raise _duplicate("epic")
        if number and number == wanted.get("membership_no"):
            raise _duplicate("membership_no")


def _duplicate(field_name: str) -> DomainError:
    message = {
        "mobile": _("A person with this mobile number is already registered."),
        "membership_no": _("A person with this membership number is already registered."),
        "epic": _("A person with this voter ID is already registered."),
    }[field_name]
    return DomainError(message, code="duplicate", field=field_name)


def _save_unique(person: Person, **kwargs) -> None:
    """Save; a clash the check could not see (written at the same moment) is the same field error."""
    try:
        with transaction.atomic():
            person.save(**kwargs)
    except IntegrityError:
        others = Person.objects.exclude(pk=person.pk)
        if others.filter(mobile=person.mobile).exists():
            raise _duplicate("mobile") from None
        if person.membership_no and others.filter(membership_no=person.membership_no).exists():
            raise _duplicate("membership_no") from None
        raise _duplicate("epic") from None


def _assign_membership_no(person: Person) -> None:
    """Give a record without a membership number its generated one (see ``people.numbers``)."""
    if person.membership_no:
        return
    person.membership_no = membership_number(PrefixCache().for_path(person.unit_path), person.pk)
    _save_unique(person, update_fields=["membership_no"])


def duplicate_answers_left(*, scope) -> None:
    """Raise ``RateLimited`` when the actor has had their share of "already registered" answers
    (``duplicate.actor``): each tells that a number exists somewhere, also outside the actor's area."""
    if scope.actor is not None:
        ratelimit.require_not_exceeded("duplicate.actor", str(scope.actor.pk))


def duplicate_answer_given(*, scope) -> None:
    """Count one "already registered" answer to the actor (outside the refused write's transaction)."""
    if scope.actor is not None:
        ratelimit.hit("duplicate.actor", str(scope.actor.pk))


class DuplicateAnswersLimited:
    """Mixin of the actions that can answer "already registered": refused (429) once the actor has had
    their share; each such answer is counted after its transaction has rolled back."""

    def execute(self):
        duplicate_answers_left(scope=self.scope)
        try:
            return super().execute()
        except DomainError as error:
            if error.code == "duplicate":
                duplicate_answer_given(scope=self.scope)
            raise


def jsonable(value):
    """A field's value as a history row keeps it."""
    if hasattr(value, "pk"):
        return value.pk
    if isinstance(value, FieldFile):
        return value.name or None
    if isinstance(value, (date, datetime)):
        return value.isoformat()
    return value


@dataclass(kw_only=True)
class PersonCreate(DuplicateAnswersLimited, Action):
    """Register a person at ``data["unit"]``, which the actor must be allowed to write to.

    ``data`` takes the fields of ``EDITABLE_FIELDS``; without a ``membership_no`` the record gets a
    generated one. Writes the person, their tags and a CREATED history row.
    """

    name = "person.create"
    data: dict

    def check(self) -> None:
        _check_known(self.data)
        _check_unit(self.scope, self.data.get("unit"))
        self._values = clean_fields(self.data)
        _check_unique(self._values)

    def perform(self) -> Person:
        values = dict(self._values)
        self._tags = values.pop("tags", None) or []
        person = Person(**values)
        _save_unique(person)
        headcount_add({person.unit_path: 1})
        _assign_membership_no(person)
        if self._tags:
            person.tags.set(self._tags)
        return person

    def log(self, person: Person) -> None:
        PersonHistory.objects.create(person=person, action=PersonHistory.Action.CREATED, actor=self.actor,
                                     changes=_created_changes(person, self._tags))


def _created_changes(person: Person, tags: list[Tag]) -> dict:
    changes = {}
    values = person.__dict__
    for name in EDITABLE_FIELDS:
        value = values.get(name, _UNREAD)  # plain columns as stored on the instance: no descriptor
        if value is _UNREAD or value.__class__ not in _PLAIN:
            value = [tag.code for tag in tags] if name == "tags" else jsonable(getattr(person, name))
        if value not in (None, "", [], {}):
            changes[name] = [None, value]
    return changes


_UNREAD = object()
_PLAIN = (str, int, bool, type(None))


def person_create(*, scope, name: str, mobile: str, unit, relative_name: str = "",
                  relation: str = RelationKind.FATHER, gender: str = "", birth_year=None, epic: str = "",
                  status: str = PersonStatus.ACTIVE, source: str = PersonSource.MANUAL, **record) -> Person:
    """``PersonCreate`` in function form; ``record`` takes the fuller record's fields (``alt_mobile`` …)."""
    return PersonCreate(scope=scope, data={
        "name": name, "mobile": mobile, "unit": unit, "relative_name": relative_name, "relation": relation,
        "gender": gender, "birth_year": birth_year, "epic": epic, "status": status, "source": source, **record,
    }).execute()


@dataclass(kw_only=True)
class PersonUpdate(DuplicateAnswersLimited, Action):
    """Change the given fields of ``person`` (inside the actor's write scope; a move needs the new unit's
    too). Writes the changed fields and one history row with each field's before and after; nothing when
    nothing changed."""

    name = "person.update"
    person: Person
    changes: dict = field(default_factory=dict)
    reason: str = ""  # why (a correction, a move, a death): kept on the history row

    def _require(self, path: str) -> None:
        if not self.scope.can_read_path(path):
            raise NotFound(_("No such person."))
        if not self.scope.can_write_path(path):
            raise PermissionDenied(_("You may not change this person's record."))

    def check(self) -> None:
        _check_known(self.changes)
        if len(self.reason) > REASON_MAX_LENGTH:
            raise DomainError(_("Keep the reason under 300 characters."), code="too_long", field="reason")
        current = Person.objects.filter(pk=self.person.pk).values("unit_path").first()
        if current is None:
            raise NotFound(_("No such person."))
        self._require(current["unit_path"])
        if "unit" in self.changes:
            _check_unit(self.scope, self.changes["unit"])
        self._values = clean_fields(self.changes)
        _check_unique(self._values, exclude_pk=self.person.pk)

    def perform(self) -> Person:
        person = Person.objects.select_for_update().get(pk=self.person.pk)
        self._require(person.unit_path)  # moved since ``check`` read it
        old_path = person.unit_path
        values = dict(self._values)
        tags = values.pop("tags", None)
        photo = values.pop("photo", None)
        diff = {}
        for name, value in values.items():
            before = getattr(person, name)
            if before != value:
                if name in EDITABLE_FIELDS:
                    diff[name] = [jsonable(before), jsonable(value)]
                setattr(person, name, value)
        if "photo" in self.changes:
            before = person.photo.name or None
            if photo:
                person.photo.save(photo.name, photo, save=False)
                diff["photo"] = [before, person.photo.name]
            elif before:
                person.photo = None
                diff["photo"] = [before, None]
        if tags is not None:
            before = sorted(person.tags.values_list("code", flat=True))
            after = [tag.code for tag in tags]
            if before != after:
                person.tags.set(tags)
                diff["tags"] = [before, after]
        if set(diff) - {"tags"}:
            _save_unique(person)
            if person.unit_path != old_path:
                headcount_add(headcount_changes(added=[person.unit_path], removed=[old_path]))
        if "membership_no" in diff and not person.membership_no:
            _assign_membership_no(person)
            diff["membership_no"][1] = person.membership_no
        self._diff = diff
        return person

    def log(self, person: Person) -> None:
        if not self._diff:
            return  # nothing changed, nothing to record
        action = PersonHistory.Action.STATUS if set(self._diff) == {"status"} else PersonHistory.Action.UPDATED
        PersonHistory.objects.create(person=person, action=action, actor=self.actor, changes=self._diff,
                                     reason=self.reason.strip())


def person_update(*, scope, person: Person, reason: str = "", **changes) -> Person:
    """``PersonUpdate`` in function form: ``person_update(scope=…, person=p, name="…", reason="…")``."""
    return PersonUpdate(scope=scope, person=person, changes=changes, reason=reason).execute()
