"""Writes of the people app. Each validates, writes in a transaction and records a history row."""

from collections import defaultdict

from django.db import IntegrityError, transaction
from django.db.models import Count
from django.utils import timezone
from django.utils.translation import gettext as _

from sangathan.core.epic import normalize_epic
from sangathan.core.errors import DomainError, PermissionDenied
from sangathan.core.names import clean_name, name_key, to_latin
from sangathan.core.phones import normalize_mobile
from sangathan.core.tree import SEGMENT
from sangathan.org.models import Unit
from sangathan.people.enums import FlagKind, Gender, PersonStatus, RelationKind
from sangathan.people.models import NAME_MAX_LENGTH, Person, PersonFlag, PersonHistory, UnitHeadcount

EDITABLE_FIELDS = ("name", "relative_name", "relation", "gender", "birth_year", "mobile", "epic", "unit", "status")


def _clean(data: dict) -> dict:
    """Validate and normalize the given fields; raise DomainError with every field error at once."""
    errors: dict[str, list[str]] = {}
    out: dict = {}

    def fail(field, message):
        errors.setdefault(field, []).append(message)

    for field in ("name", "relative_name"):
        if field in data:
            value = clean_name(data[field] or "")
            if field == "name" and not value:
                fail(field, _("Enter a name."))
            elif len(value) > NAME_MAX_LENGTH:
                fail(field, _("A name can have at most %(max)d characters.") % {"max": NAME_MAX_LENGTH})
            out[field] = value
    if "mobile" in data:
        try:
            out["mobile"] = normalize_mobile(data["mobile"])
        except DomainError as error:
            fail("mobile", str(error))
    if "epic" in data:
        try:
            out["epic"] = normalize_epic(data["epic"])
        except DomainError as error:
            fail("epic", str(error))
    if "gender" in data:
        if (data["gender"] or "") not in Gender.values:
            fail("gender", _("Unknown gender."))
        out["gender"] = data["gender"] or ""
    if "relation" in data:
        if data["relation"] not in RelationKind.values:
            fail("relation", _("Unknown relation."))
        out["relation"] = data["relation"]
    if "status" in data:
        if data["status"] not in PersonStatus.values:
            fail("status", _("Unknown status."))
        out["status"] = data["status"]
    if "birth_year" in data:
        year = data["birth_year"]
        if year in (None, ""):
            out["birth_year"] = None
        else:
            try:
                year = int(year)
            except (TypeError, ValueError):
                year = -1
            if not 1900 <= year <= timezone.localdate().year - 14:
                fail("birth_year", _("Enter a real year of birth."))
            out["birth_year"] = year
    if "unit" in data:
        out["unit"] = data["unit"]
    if errors:
        first = next(iter(errors.values()))[0]
        raise DomainError(first, code="invalid", errors=errors)
    if "name" in out:
        out["name_latin"] = to_latin(out["name"])[:200]
        out["name_key"] = name_key(out["name"])[:200]
    if "relative_name" in out:
        out["relative_name_key"] = name_key(out["relative_name"])[:200]
    if "unit" in out:
        out["unit_path"] = out["unit"].path
    return out


def _check_unit(scope, unit) -> None:
    if unit is None:
        raise DomainError(_("Choose the person's unit."), code="required", field="unit")
    if scope is not None and not scope.can_write_path(unit.path):
        raise PermissionDenied(_("You may not add or move people here."), field="unit")


def _save_unique(person: Person, **kwargs) -> None:
    try:
        with transaction.atomic():
            person.save(**kwargs)
    except IntegrityError:
        if Person.objects.filter(mobile=person.mobile).exclude(pk=person.pk).exists():
            raise DomainError(_("A person with this mobile number is already registered."),
                              code="duplicate", field="mobile") from None
        raise DomainError(_("A person with this voter ID is already registered."),
                          code="duplicate", field="epic") from None


def _actor_user(actor):
    return actor if getattr(actor, "is_authenticated", False) else None


@transaction.atomic
def person_create(*, actor=None, scope=None, name: str, mobile: str, unit, relative_name: str = "",
                  relation: str = RelationKind.FATHER, gender: str = "", birth_year=None, epic: str = "",
                  status: str = PersonStatus.ACTIVE) -> Person:
    """Register a person at ``unit``; ``scope`` (when given) must allow writing there."""
    _check_unit(scope, unit)
    data = _clean({"name": name, "mobile": mobile, "unit": unit, "relative_name": relative_name,
                   "relation": relation, "gender": gender, "birth_year": birth_year, "epic": epic,
                   "status": status})
    person = Person(**data)
    _save_unique(person)
    PersonHistory.objects.create(person=person, action=PersonHistory.Action.CREATED, actor=_actor_user(actor),
                                 changes={f: [None, _jsonable(getattr(person, f))] for f in EDITABLE_FIELDS})
    return person


def _jsonable(value):
    if hasattr(value, "pk"):
        return value.pk
    return value


@transaction.atomic
def person_update(*, actor=None, scope=None, person: Person, **changes) -> Person:
    """Change the given fields; a history row records each field's before and after."""
    unknown = set(changes) - set(EDITABLE_FIELDS)
    if unknown:
        raise DomainError(_("Unknown field."), code="invalid", field=sorted(unknown)[0])
    person = Person.objects.select_for_update().get(pk=person.pk)
    if scope is not None and not scope.can_write_path(person.unit_path):
        raise PermissionDenied(_("You may not change this person's record."))
    if "unit" in changes:
        _check_unit(scope, changes["unit"])
    data = _clean(changes)
    diff = {}
    for field, value in data.items():
        before = getattr(person, field)
        if before != value:
            if field in EDITABLE_FIELDS:
                diff[field] = [_jsonable(before), _jsonable(value)]
            setattr(person, field, value)
    if not diff:
        return person
    _save_unique(person)
    action = PersonHistory.Action.STATUS if set(diff) == {"status"} else PersonHistory.Action.UPDATED
    PersonHistory.objects.create(person=person, action=action, actor=_actor_user(actor), changes=diff)
    return person


FLAG_NOTE_MAX_LENGTH = 500


@transaction.atomic
def person_flag_raise(*, actor=None, person: Person, kind: str, note: str = "", source: str = "") -> PersonFlag:
    """Flag ``person``'s record for review (e.g. a caller found the mobile number wrong).

    Idempotent: while a flag of this kind is open, raising it again returns that flag unchanged, so a
    second caller reporting the same wrong number adds nothing. Scope is the caller's to check: the one
    who raises it may not be allowed to read the record (a caller only sees a name and a number).
    """
    if kind not in FlagKind.values:
        raise DomainError(_("Unknown kind of flag."), field="kind")
    note = (note or "").strip()
    if len(note) > FLAG_NOTE_MAX_LENGTH:
        raise DomainError(_("The note is too long."), code="too_long", field="note")
    existing = PersonFlag.objects.filter(person=person, kind=kind, resolved_at__isnull=True).first()
    if existing is not None:
        return existing
    try:
        with transaction.atomic():
            return PersonFlag.objects.create(person=person, kind=kind, note=note, source=source[:100],
                                             unit_path=person.unit_path, raised_by=_actor_user(actor))
    except IntegrityError:  # raised at the same moment by someone else
        return PersonFlag.objects.get(person=person, kind=kind, resolved_at__isnull=True)


@transaction.atomic
def person_flag_resolve(*, actor, scope=None, flag: PersonFlag, resolution: str = "") -> PersonFlag:
    """Close an open flag with what was done about it; ``scope`` (when given) must allow writing there."""
    flag = PersonFlag.objects.select_for_update().get(pk=flag.pk)
    if scope is not None and not scope.can_write_path(flag.unit_path):
        raise PermissionDenied(_("You may not change this person's record."))
    if flag.resolved_at is not None:
        raise DomainError(_("This flag is already resolved."), code="resolved")
    resolution = (resolution or "").strip()
    if len(resolution) > FLAG_NOTE_MAX_LENGTH:
        raise DomainError(_("The note is too long."), code="too_long", field="resolution")
    flag.resolved_at = timezone.now()
    flag.resolved_by = _actor_user(actor)
    flag.resolution = resolution
    flag.save(update_fields=["resolved_at", "resolved_by", "resolution"])
    return flag


def headcounts_refresh(*, now=None) -> int:
    """Recount the people in every unit's subtree into ``UnitHeadcount``; returns the rows written.

    One grouped scan of the people table (per home unit), rolled up every ancestor in Python, then the
    table replaced in one transaction so readers see either the old counts or the new ones.
    """
    now = now or timezone.now()
    totals: dict[str, int] = defaultdict(int)
    per_unit = Person.objects.order_by().values_list("unit_path").annotate(n=Count("*"))
    for path, people in per_unit.iterator(chunk_size=10_000):
        for end in range(SEGMENT, len(path) + 1, SEGMENT):
            totals[path[:end]] += people
    rows = [
        UnitHeadcount(unit_id=unit_id, people=totals[path], computed_at=now)
        for unit_id, path in Unit.objects.values_list("id", "path").iterator(chunk_size=10_000)
        if path in totals
    ]
    with transaction.atomic():
        UnitHeadcount.objects.all().delete()
        UnitHeadcount.objects.bulk_create(rows, batch_size=5_000)
    return len(rows)
